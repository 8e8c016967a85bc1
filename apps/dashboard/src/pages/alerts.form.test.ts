import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertRuleCreate, type AlertRule } from '@gureum/contract';
import { alertBody, describeRule, EMPTY_ALERT_FORM, EMPTY_NODE_ALERT_FORM, formOfRule, nodeAlertBody } from './alerts.form.js';

const messageOf = (input: unknown, field: string) => {
  const r = AlertRuleCreate.safeParse(input);
  assert.ok(!r.success);
  return r.error.issues.find((i) => i.path.join('.') === field)?.message;
};

describe('alert rule form', () => {
  it('builds the create body with the schema defaults filled in', () => {
    const checked = alertBody({ ...EMPTY_ALERT_FORM, name: 'cpu-high', threshold: '0.8', windowSeconds: '', forSeconds: '' }, 'create');
    assert.ok(checked.ok);
    assert.deepEqual(checked.body, {
      name: 'cpu-high',
      metric: 'cpu_cores',
      agg: 'avg',
      scope: 'project',
      comparison: '>',
      threshold: 0.8,
      windowSeconds: 60,
      forSeconds: 0,
      webhook: null,
      enabled: true,
    });
  });

  it('shows the API’s messages for a bad name, window and webhook URL', () => {
    const form = { ...EMPTY_ALERT_FORM, name: 'Bad Name', threshold: '1', windowSeconds: '5', webhookUrl: 'ftp://x' };
    const checked = alertBody(form, 'create');
    assert.ok(!checked.ok);
    const apiInput = { name: 'Bad Name', metric: 'cpu_cores', comparison: '>', threshold: 1, windowSeconds: 5, webhook: { url: 'ftp://x' } };
    assert.equal(checked.errors.name, messageOf(apiInput, 'name'));
    assert.equal(checked.errors.windowSeconds, messageOf(apiInput, 'windowSeconds'));
    assert.equal(checked.errors['webhook.url'], messageOf(apiInput, 'webhook.url'));
  });

  it('asks for a number threshold and a target outside the project scope', () => {
    const checked = alertBody({ ...EMPTY_ALERT_FORM, name: 'x', threshold: 'lots', scope: 'component', target: 'web' }, 'create');
    assert.ok(!checked.ok);
    assert.equal(checked.errors.threshold, 'must be a number');
    assert.equal(checked.errors.target, 'scope component needs target = instance/component');
    const empty = alertBody({ ...EMPTY_ALERT_FORM, name: 'x', threshold: '', scope: 'instance' }, 'create');
    assert.ok(!empty.ok);
    assert.equal(empty.errors.threshold, 'enter a number');
    assert.equal(empty.errors.target, 'scope instance needs target = an instance name');
    const replica = alertBody({ ...EMPTY_ALERT_FORM, name: 'x', threshold: '1', scope: 'replica', target: 'web/api' }, 'create');
    assert.ok(replica.ok, 'a replica scope takes instance/component too');
  });

  it('edits a rule without its name and keeps the webhook URL but not a secret', () => {
    const rule: AlertRule = {
      project: 'lab',
      name: 'mem',
      metric: 'memory_bytes',
      agg: 'max',
      scope: 'instance',
      target: 'web',
      comparison: '>=',
      threshold: 1e9,
      windowSeconds: 120,
      forSeconds: 30,
      webhook: { url: 'https://hooks.example/x' },
      enabled: false,
      state: 'inactive',
      series: [],
      evaluatedAt: null,
      createdAt: '2030-01-01T00:00:00Z',
      updatedAt: '2030-01-01T00:00:00Z',
    };
    const checked = alertBody(formOfRule(rule), 'edit');
    assert.ok(checked.ok);
    assert.equal('name' in checked.body, false);
    assert.deepEqual(checked.body.webhook, { url: 'https://hooks.example/x' });
    assert.equal(checked.body.target, 'web');
    assert.equal(checked.body.enabled, false);
  });
});

describe('alert rule in words', () => {
  it('says what a rule watches and when it fires', () => {
    const base = { agg: 'avg', metric: 'cpu_cores', comparison: '>', threshold: 0.8, windowSeconds: 60 } as const;
    assert.equal(describeRule({ ...base, scope: 'project', target: null, forSeconds: 0 }), 'avg cpu_cores of the project > 0.8 over 60 s');
    assert.equal(describeRule({ ...base, scope: 'component', target: 'web/api', forSeconds: 120 }), 'avg cpu_cores of component web/api > 0.8 over 60 s for 120 s');
  });
});

describe('node alert rule form', () => {
  it('builds the create body: no node means every node, the webhook as for project rules', () => {
    const checked = nodeAlertBody({ ...EMPTY_NODE_ALERT_FORM, name: 'disk', threshold: '85', webhookUrl: ' https://hooks.lab/x ' });
    assert.ok(checked.ok);
    assert.deepEqual(checked.body, { name: 'disk', metric: 'node_disk_used_percent', comparison: '>', threshold: 85, windowSeconds: 60, forSeconds: 0, webhook: { url: 'https://hooks.lab/x' }, enabled: true });
    const one = nodeAlertBody({ ...EMPTY_NODE_ALERT_FORM, name: 'load', metric: 'node_load1', node: 'gpu-1 ' });
    assert.ok(one.ok);
    assert.equal(one.body.node, 'gpu-1');
  });

  it('refuses an unknown metric, a negative window and a threshold that is no number', () => {
    const checked = nodeAlertBody({ ...EMPTY_NODE_ALERT_FORM, name: 'x', metric: 'node_gpu_percent', windowSeconds: '-5', threshold: 'lots' });
    assert.ok(!checked.ok);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['metric', 'threshold', 'windowSeconds']);
  });
});
