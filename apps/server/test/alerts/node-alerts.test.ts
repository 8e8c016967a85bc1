/**
 * Node alert rules on a real server, reading the real node's metrics: a disk rule that always
 * holds fires and a real receiver on loopback gets the signed delivery; a memory rule above
 * 100 % never fires; every route is the admin's only; bad bodies are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NodeAlertRuleCreate, RouteId } from '@gureum/contract';
import { callRoute, codeOf, createUser } from '../identity/identity-kit.js';
import { startGureum, waitFor, type TestGureum } from '../support/harness.js';
import { allowLoopbackWebhooks, refusal, signedWith, startReceiver, type Receiver } from './support.js';

let g: TestGureum;
let receiver: Receiver;

before(async () => {
  g = await startGureum({ GUREUM_METRICS_INTERVAL_SECONDS: '1', GUREUM_ALERT_INTERVAL_SECONDS: '1', GUREUM_WEBHOOK_RETRY_SECONDS: '0.3' });
  await allowLoopbackWebhooks(g);
  receiver = await startReceiver();
});

after(async () => {
  await g?.stop();
  await receiver?.close();
});

describe('node alert rules', () => {
  it('fires a disk rule that always holds, with a signed webhook, in the firing list; a memory rule over 100 % stays quiet', async () => {
    const disk = await g.client.call('createNodeAlertRule', { body: { name: 'disk', metric: 'node_disk_used_percent', comparison: '>', threshold: 0, windowSeconds: 10, webhook: { url: receiver.url } } });
    assert.equal(disk.node, null);
    assert.equal(disk.state, 'inactive');
    const secret = disk.webhookSecret;
    assert.ok(secret !== null && secret.length >= 16);
    await g.client.call('createNodeAlertRule', { body: { name: 'memory', metric: 'node_memory_used_percent', comparison: '>', threshold: 100, windowSeconds: 10 } });

    const rule = await waitFor(
      async () => {
        const r = await g.client.call('getNodeAlertRule', { params: { alert: 'disk' } });
        return r.state === 'firing' ? r : undefined;
      },
      { what: 'the disk rule to fire' },
    );
    const [node] = await g.client.call('latestNodeMetrics', {});
    assert.ok(node, 'the node reports metrics');
    const [series] = rule.series;
    assert.equal(series?.key, node.node, 'one series per node, keyed by its name');
    assert.ok(series.value !== null && series.value > 0 && series.value <= 100, `a percentage: ${series.value}`);

    const delivered = await waitFor(() => receiver.received.find((r) => r.headers['x-gureum-event'] === 'firing'), { what: 'the firing webhook' });
    assert.ok(signedWith(delivered, secret), 'signed with the secret answered at creation');
    const body = JSON.parse(delivered.body) as Record<string, unknown>;
    assert.deepEqual([body.rule, body.project, body.scope, body.key, body.metric, body.state], ['disk', null, 'node', node.node, 'node_disk_used_percent', 'firing']);
    await waitFor(async () => (await g.client.call('listNodeAlertDeliveries', { params: { alert: 'disk' } })).some((d) => d.status === 'delivered'), { what: 'the delivery row to say delivered' });

    const firing = await g.client.call('listFiringAlerts', {});
    assert.deepEqual(
      firing.map((f) => [f.project, f.node, f.rule, f.metric]),
      [[null, node.node, 'disk', 'node_disk_used_percent']],
    );
    const events = await g.client.call('listEvents', { query: { type: 'alert.firing' } });
    assert.deepEqual(
      events.map((e) => [e.project, e.data.rule, e.data.node]),
      [[null, 'disk', node.node]],
    );

    const memory = await waitFor(
      async () => {
        const r = await g.client.call('getNodeAlertRule', { params: { alert: 'memory' } });
        return r.evaluatedAt !== null ? r : undefined;
      },
      { what: 'the memory rule to be evaluated' },
    );
    assert.equal(memory.state, 'inactive');
    assert.deepEqual(
      (await g.client.call('listNodeAlertRules', {})).map((r) => [r.name, r.state]),
      [
        ['disk', 'firing'],
        ['memory', 'inactive'],
      ],
    );

    // Deleting a firing rule resolves it.
    await g.client.call('deleteNodeAlertRule', { params: { alert: 'disk' } });
    assert.deepEqual(await g.client.call('listFiringAlerts', {}), []);
    assert.deepEqual(await refusal(g.client.call('getNodeAlertRule', { params: { alert: 'disk' } })), { status: 404, code: 'ALERT_NOT_FOUND' });
  });

  it('answers 403 to a non-admin on every node-alert route', async () => {
    const user = await createUser(g, 'na-user');
    const calls: [RouteId, Record<string, unknown>][] = [
      ['listNodeAlertRules', {}],
      ['createNodeAlertRule', { body: { name: 'mine', metric: 'node_load1', comparison: '>', threshold: 8 } }],
      ['getNodeAlertRule', { params: { alert: 'memory' } }],
      ['updateNodeAlertRule', { params: { alert: 'memory' }, body: { metric: 'node_load1', comparison: '>', threshold: 8 } }],
      ['deleteNodeAlertRule', { params: { alert: 'memory' } }],
      ['listNodeAlertDeliveries', { params: { alert: 'memory' } }],
    ];
    for (const [id, input] of calls) {
      const reply = await callRoute(g, id, { ...input, token: user.token });
      assert.deepEqual([reply.status, codeOf(reply)], [403, 'FORBIDDEN'], id);
    }
    assert.equal((await g.client.call('getNodeAlertRule', { params: { alert: 'memory' } })).metric, 'node_memory_used_percent', 'untouched');
  });

  it('refuses bad bodies with VALIDATION_FAILED, duplicates with ALERT_EXISTS, and updates a rule', async () => {
    const base = { metric: 'node_load1', comparison: '>', threshold: 8 } as const;
    const extras: Record<string, unknown>[] = [{ metric: 'node_disk_percent' }, { metric: 'cpu_cores' }, { windowSeconds: -10 }, { forSeconds: -1 }, { comparison: '!=' }, { agg: 'max' }];
    for (const extra of extras) {
      const body = { name: 'bad', ...base, ...extra } as unknown as NodeAlertRuleCreate;
      assert.deepEqual(await refusal(g.client.call('createNodeAlertRule', { body })), { status: 400, code: 'VALIDATION_FAILED' }, JSON.stringify(extra));
    }
    assert.equal((await g.client.call('listNodeAlertRules', {})).some((r) => r.name === 'bad'), false, 'nothing half-made');
    assert.deepEqual(await refusal(g.client.call('createNodeAlertRule', { body: { name: 'memory', ...base } })), { status: 409, code: 'ALERT_EXISTS' });

    const updated = await g.client.call('updateNodeAlertRule', { params: { alert: 'memory' }, body: { ...base, node: 'some-node', forSeconds: 30 } });
    assert.deepEqual([updated.metric, updated.node, updated.threshold, updated.forSeconds, updated.webhookSecret], ['node_load1', 'some-node', 8, 30, null]);
  });
});
