import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseComponent, parseSeconds } from '../command-kit.js';
import type { AlertRule } from '@gureum/contract';
import { alertRuleOf, alertRuleUpdateOf } from './alerts.js';
import { autoscaleBodyOf } from './autoscale.js';
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

  it('builds the whole rule an update sends: the current one with the flags given over it', () => {
    const current: AlertRule = {
      project: 'lab',
      name: 'hot',
      metric: 'cpu_cores',
      agg: 'max',
      scope: 'instance',
      target: 'web',
      comparison: '>',
      threshold: 1.5,
      windowSeconds: 60,
      forSeconds: 120,
      webhook: { url: 'http://h/x' },
      enabled: true,
      state: 'inactive',
      series: [],
      evaluatedAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const kept = { metric: 'cpu_cores', agg: 'max', scope: 'instance', target: 'web', comparison: '>', threshold: 1.5, windowSeconds: 60, forSeconds: 120, webhook: { url: 'http://h/x' }, enabled: true };
    assert.deepEqual(alertRuleUpdateOf(current, { when: '>=2', for: '5m' }), { ...kept, comparison: '>=', threshold: 2, forSeconds: 300 });
    assert.deepEqual(alertRuleUpdateOf(current, { rotateSecret: true }, () => 'a-new-secret-of-24-chars'), { ...kept, webhook: { url: 'http://h/x', secret: 'a-new-secret-of-24-chars' } });
    assert.deepEqual(alertRuleUpdateOf(current, { webhook: false, disabled: true }), { ...kept, webhook: null, enabled: false });
    const { target: _target, ...projectWide } = kept;
    assert.deepEqual(alertRuleUpdateOf(current, { scope: 'project' }), { ...projectWide, scope: 'project' });
    assert.deepEqual(alertRuleUpdateOf({ ...current, enabled: false }, { enabled: true }).enabled, true);
    assert.throws(() => alertRuleUpdateOf(current, {}), /nothing to change/);
    assert.throws(() => alertRuleUpdateOf(current, { enabled: true, disabled: true }), /contradict/);
    assert.throws(() => alertRuleUpdateOf(current, { rotateSecret: true, webhookSecret: 'x'.repeat(20) }), /leave out --webhook-secret/);
    assert.throws(() => alertRuleUpdateOf({ ...current, webhook: null }, { rotateSecret: true }), /has no webhook to sign for/);
    // Generated secrets are new each time and long enough for the API (16 or more characters).
    const a = alertRuleUpdateOf(current, { rotateSecret: true }).webhook?.secret ?? '';
    const b = alertRuleUpdateOf(current, { rotateSecret: true }).webhook?.secret ?? '';
    assert.ok(a.length >= 16 && a !== b);
  });

  it('builds an autoscaling policy on CPU, memory or both, and asks for a target', () => {
    assert.deepEqual(autoscaleBodyOf({ min: '1', max: '4', memory: '70' }), { min: 1, max: 4, targetMemoryPercent: 70 });
    assert.deepEqual(autoscaleBodyOf({ min: '1', max: '4', cpuPercent: '60', memory: '70', downWindow: '10m' }), { min: 1, max: 4, targetCpuPercent: 60, targetMemoryPercent: 70, scaleDownStabilizationSeconds: 600 });
    assert.throws(() => autoscaleBodyOf({ min: '1', max: '4' }), /give --cpu-percent, --memory or both/);
    assert.throws(() => autoscaleBodyOf({ min: '1', max: '4', memory: 'lots' }), /--memory must be a number/);
  });

  it('lays policy flags over the current policy, leaving the rest', () => {
    const base = { allowPrivileged: false, allowHostNetwork: true, allowHostPid: false, allowHostIpc: false, allowHostPaths: ['/data'], allowCapabilities: [], allowRoot: true, allowHostPorts: true, allowLowHostPorts: false, pidsLimit: 1024 };
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
