/**
 * Alert rules through the API: validation, the webhook secret answered once and never again,
 * the admin's list of firing alerts, deletion. (Firing on real load: alert-webhooks.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AlertRuleCreate } from '@gureum/contract';
import { callRoute, codeOf, createUser } from '../identity/identity-kit.js';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { refusal } from './support.js';

let g: TestGureum;
const project = uniqueName('al');
const app = uniqueName('al-app');
const P = { project };
const base = { metric: 'cpu_cores', comparison: '>', threshold: 0.5 } as const;

before(async () => {
  g = await startGureum({ GUREUM_ALERT_INTERVAL_SECONDS: '1' });
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app) });
  await g.client.call('createInstance', { params: P, body: { name: 'web', app, replicas: 0 } });
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

describe('alert rules', () => {
  it('creates a rule with defaults and answers the generated webhook secret once, never in a GET', async () => {
    const created = await g.client.call('createAlertRule', { params: P, body: { name: 'busy', ...base, webhook: { url: 'http://127.0.0.1:9/hook' } } });
    assert.equal(created.agg, 'avg');
    assert.equal(created.scope, 'project');
    assert.equal(created.windowSeconds, 60);
    assert.equal(created.forSeconds, 0);
    assert.equal(created.enabled, true);
    assert.equal(created.state, 'inactive');
    assert.deepEqual(created.webhook, { url: 'http://127.0.0.1:9/hook' });
    const secret = created.webhookSecret;
    assert.ok(secret !== null && secret.length >= 16);

    const texts = [
      JSON.stringify(await g.client.call('getAlertRule', { params: { project, alert: 'busy' } })),
      JSON.stringify(await g.client.call('listAlertRules', { params: P })),
      JSON.stringify(await g.client.call('listEvents', { query: { project } })),
    ];
    for (const text of texts) assert.equal(text.includes(secret), false, `the secret leaked in ${text.slice(0, 120)}`);

    // A replacement without a secret keeps the rule's secret and answers none.
    const updated = await g.client.call('updateAlertRule', { params: { project, alert: 'busy' }, body: { ...base, threshold: 0.9, webhook: { url: 'http://127.0.0.1:9/other' } } });
    assert.equal(updated.webhookSecret, null);
    assert.equal(updated.threshold, 0.9);
    assert.deepEqual(updated.webhook, { url: 'http://127.0.0.1:9/other' });
    // One given is the user's own: answered back in that reply only.
    const given = 'a-secret-of-my-own-choosing';
    const withOwn = await g.client.call('createAlertRule', { params: P, body: { name: 'own', ...base, webhook: { url: 'https://hooks.example.test/x', secret: given } } });
    assert.equal(withOwn.webhookSecret, given);
    assert.equal(JSON.stringify(await g.client.call('getAlertRule', { params: { project, alert: 'own' } })).includes(given), false);
  });

  it('watches an instance, a component or each replica, refusing targets that do not fit or do not exist', async () => {
    const ok = await g.client.call('createAlertRule', { params: P, body: { name: 'per-replica', ...base, scope: 'replica', target: 'web/main' } });
    assert.equal(ok.target, 'web/main');
    await g.client.call('createAlertRule', { params: P, body: { name: 'comp', ...base, scope: 'component', target: 'web/main' } });
    const cases: [Partial<AlertRuleCreate>, number, string][] = [
      [{ scope: 'project', target: 'web' }, 400, 'VALIDATION_FAILED'],
      [{ scope: 'instance' }, 400, 'VALIDATION_FAILED'],
      [{ scope: 'instance', target: 'web/main' }, 400, 'VALIDATION_FAILED'],
      [{ scope: 'component', target: 'web' }, 400, 'VALIDATION_FAILED'],
      [{ scope: 'instance', target: 'nope' }, 404, 'INSTANCE_NOT_FOUND'],
      [{ scope: 'component', target: 'web/nope' }, 404, 'COMPONENT_NOT_FOUND'],
    ];
    for (const [extra, status, code] of cases) {
      assert.deepEqual(await refusal(g.client.call('createAlertRule', { params: P, body: { name: 'bad', ...base, ...extra } })), { status, code }, JSON.stringify(extra));
    }
    const names = (await g.client.call('listAlertRules', { params: P })).map((r) => r.name);
    assert.equal(names.includes('bad'), false, 'nothing half-made');
  });

  it('refuses invalid bodies, duplicates and unknown rules with stable codes', async () => {
    const body = (extra: Record<string, unknown>) => ({ params: P, body: { name: 'x', ...base, ...extra } as AlertRuleCreate });
    for (const extra of [{ metric: 'cpu' }, { comparison: '!=' }, { windowSeconds: 5 }, { forSeconds: -1 }, { webhook: { url: 'ftp://127.0.0.1/x' } }, { webhook: { url: 'http://127.0.0.1/x', secret: 'short' } }, { name: 'Not_A_Label' }, { surprise: 1 }]) {
      assert.deepEqual(await refusal(g.client.call('createAlertRule', body(extra))), { status: 400, code: 'VALIDATION_FAILED' }, JSON.stringify(extra));
    }
    assert.deepEqual(await refusal(g.client.call('createAlertRule', { params: P, body: { name: 'busy', ...base } })), { status: 409, code: 'ALERT_EXISTS' });
    assert.deepEqual(await refusal(g.client.call('getAlertRule', { params: { project, alert: 'ghost' } })), { status: 404, code: 'ALERT_NOT_FOUND' });
    assert.deepEqual(await refusal(g.client.call('listAlertDeliveries', { params: { project, alert: 'ghost' } })), { status: 404, code: 'ALERT_NOT_FOUND' });
    assert.deepEqual(await refusal(g.client.call('deleteAlertRule', { params: { project, alert: 'ghost' } })), { status: 404, code: 'ALERT_NOT_FOUND' });
    assert.deepEqual(await refusal(g.client.call('listAlertRules', { params: { project: uniqueName('none') } })), { status: 404, code: 'PROJECT_NOT_FOUND' });
  });

  it('lists firing alerts for the admin only, and deletes a rule with its deliveries', async () => {
    assert.deepEqual(await g.client.call('listFiringAlerts', {}), []);
    const user = await createUser(g, 'al-user');
    const reply = await callRoute(g, 'listFiringAlerts', { token: user.token });
    assert.deepEqual([reply.status, codeOf(reply)], [403, 'FORBIDDEN']);
    await g.client.call('deleteAlertRule', { params: { project, alert: 'own' } });
    assert.deepEqual(await refusal(g.client.call('getAlertRule', { params: { project, alert: 'own' } })), { status: 404, code: 'ALERT_NOT_FOUND' });
  });
});
