import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseComponent, parseSeconds } from '../command-kit.js';
import { alertRuleOf } from './alerts.js';
import { mergePolicy } from './policy.js';

describe('alert, policy and autoscale arguments', () => {
  it('builds an alert rule from flags', () => {
    assert.deepEqual(alertRuleOf('hot', { metric: 'cpu_cores', when: '>= 1.5', window: '2m', for: '30', webhook: 'http://h/x', disabled: true }), {
      name: 'hot',
      metric: 'cpu_cores',
      comparison: '>=',
      threshold: 1.5,
      windowSeconds: 120,
      forSeconds: 30,
      webhook: { url: 'http://h/x' },
      enabled: false,
    });
    assert.throws(() => alertRuleOf('hot', { when: 'above 3' }), /--when must be a comparison/);
    assert.throws(() => alertRuleOf(undefined, {}), /give the rule a NAME/);
  });

  it('lays policy flags over the current policy, leaving the rest', () => {
    const base = { allowPrivileged: false, allowHostNetwork: true, allowHostPid: false, allowHostIpc: false, allowHostPaths: ['/data'], allowCapabilities: [], allowRoot: true, pidsLimit: 1024 };
    assert.deepEqual(mergePolicy(base, { allowHostNetwork: false, allowCapabilities: 'SYS_PTRACE, NET_ADMIN', allowHostPaths: 'none', pidsLimit: '64' }), {
      ...base,
      allowHostNetwork: false,
      allowCapabilities: ['SYS_PTRACE', 'NET_ADMIN'],
      allowHostPaths: [],
      pidsLimit: 64,
    });
  });

  it('reads durations and INSTANCE/COMPONENT', () => {
    assert.equal(parseSeconds('90', '--for'), 90);
    assert.equal(parseSeconds('5m', '--for'), 300);
    assert.throws(() => parseSeconds('5 minutes', '--for'), /--for must be seconds or a duration/);
    assert.deepEqual(parseComponent('web/main'), { instance: 'web', component: 'main' });
    assert.throws(() => parseComponent('web'), /web is not INSTANCE\/COMPONENT/);
    assert.throws(() => parseComponent('web/main/0'), /not INSTANCE\/COMPONENT/);
  });
});
