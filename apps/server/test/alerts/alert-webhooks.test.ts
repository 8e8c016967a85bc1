/**
 * Alerts on a real engine with a real webhook receiver on loopback: a CPU burner crosses a
 * threshold, the rule fires, the receiver gets signed JSON (after answering 500 once: retried),
 * a rule with forSeconds is pending first, an unreachable webhook gives up with one event, the
 * alert resolves when the load stops, and a pending delivery survives a restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from '@gureum/contract';
import { openExec } from '../identity/identity-kit.js';
import { busyboxApp, freePort, removeProjects, startGureum, tempDir, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { allowLoopbackWebhooks, burnerApp, signedWith, startReceiver, type Receiver } from './support.js';

const FAST = { GUREUM_METRICS_INTERVAL_SECONDS: '1', GUREUM_ALERT_INTERVAL_SECONDS: '1', GUREUM_WEBHOOK_RETRY_SECONDS: '0.3', GUREUM_WEBHOOK_TIMEOUT_SECONDS: '2' };
const projects: string[] = [];
const receivers: Receiver[] = [];
const gureums: TestGureum[] = [];

after(async () => {
  for (const g of gureums) await g.stop().catch(() => undefined);
  for (const r of receivers) await r.close();
  await removeProjects(...projects);
});

async function eventsOf(g: TestGureum, project: string, type: string): Promise<Event[]> {
  return g.client.call('listEvents', { query: { project, type, limit: 500 } });
}

describe('alerts on real load', () => {
  let g: TestGureum;
  let receiver: Receiver;
  const project = uniqueName('alw');
  projects.push(project);
  const P = { project };
  const instance = 'hot';
  const condition = { metric: 'cpu_cores', agg: 'max', scope: 'instance', target: instance, comparison: '>', threshold: 0.1, windowSeconds: 10 } as const;

  before(async () => {
    g = await startGureum({ ...FAST, GUREUM_WEBHOOK_ATTEMPTS: '3' });
    gureums.push(g);
    await allowLoopbackWebhooks(g);
    receiver = await startReceiver();
    receivers.push(receiver);
    const app = uniqueName('alw-burn');
    await g.client.call('createProject', { body: { name: project } });
    await g.client.call('createApp', { body: burnerApp(app, 0.25) });
    await g.client.call('createInstance', { params: P, body: { name: instance, app, replicas: 1 } });
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance } })).phase === 'running', { what: 'the burner to run' });
  });

  it('fires over the threshold, delivers signed JSON (retried after a 500), is pending first with forSeconds, and resolves when the load stops', async () => {
    const busy = await g.client.call('createAlertRule', { params: P, body: { name: 'busy', ...condition, webhook: { url: receiver.url } } });
    const secret = busy.webhookSecret!;
    await g.client.call('createAlertRule', { params: P, body: { name: 'slow', ...condition, forSeconds: 4 } });
    const closed = await freePort();
    await g.client.call('createAlertRule', { params: P, body: { name: 'unreachable', ...condition, webhook: { url: `http://127.0.0.1:${closed}/hook` } } });
    receiver.answers.push(500);

    // Idle: evaluated, and nothing fires.
    await waitFor(async () => (await g.client.call('getAlertRule', { params: { project, alert: 'busy' } })).evaluatedAt !== null, { what: 'a first evaluation' });
    assert.deepEqual((await g.client.call('listFiringAlerts', {})).filter((f) => f.project === project), []);

    assert.deepEqual(await openExec(g, g.token, project, instance, ['touch', '/load/on']), { output: '', exit: 0 });
    const firing = await waitFor(
      async () => {
        const rule = await g.client.call('getAlertRule', { params: { project, alert: 'busy' } });
        return rule.state === 'firing' && rule;
      },
      { timeoutMs: 60_000, what: 'busy to fire' },
    );
    assert.deepEqual(
      firing.series.map((s) => [s.key, s.state]),
      [[instance, 'firing']],
    );
    assert.ok((firing.series[0]?.value ?? 0) > 0.1);

    // The receiver answered 500 first: the same signed body came again and was taken.
    await waitFor(() => receiver.received.length >= 2, { timeoutMs: 20_000, what: 'the retried webhook' });
    const [first, second] = receiver.received;
    assert.ok(first && second);
    assert.equal(first.body, second.body);
    assert.equal(first.headers['x-gureum-delivery'], second.headers['x-gureum-delivery']);
    assert.equal(first.headers['x-gureum-event'], 'firing');
    assert.equal(first.headers['content-type'], 'application/json');
    assert.ok(signedWith(first, secret) && signedWith(second, secret), 'signed with the rule secret');
    assert.equal(signedWith(first, 'another-secret-entirely'), false);
    const payload = JSON.parse(first.body) as Record<string, unknown>;
    assert.deepEqual({ ...payload, value: null, since: null, time: null }, { rule: 'busy', project, state: 'firing', key: instance, metric: 'cpu_cores', agg: 'max', scope: 'instance', value: null, threshold: 0.1, comparison: '>', since: null, time: null });
    assert.ok((payload.value as number) > 0.1);
    await waitFor(async () => (await g.client.call('listAlertDeliveries', { params: { project, alert: 'busy' } }))[0]?.status === 'delivered', { what: 'the delivery to be marked delivered' });
    const [delivery] = await g.client.call('listAlertDeliveries', { params: { project, alert: 'busy' } });
    assert.deepEqual({ id: String(delivery?.id), event: delivery?.event, status: delivery?.status, attempts: delivery?.attempts, code: delivery?.lastStatusCode }, { id: first.headers['x-gureum-delivery'], event: 'firing', status: 'delivered', attempts: 2, code: 200 });

    const firingList = (await g.client.call('listFiringAlerts', {})).filter((f) => f.project === project && f.rule === 'busy');
    assert.deepEqual(
      firingList.map((f) => [f.key, f.metric, f.comparison, f.threshold]),
      [[instance, 'cpu_cores', '>', 0.1]],
    );
    const [fired] = (await eventsOf(g, project, 'alert.firing')).filter((e) => e.data.rule === 'busy');
    assert.equal(fired?.data.threshold, 0.1);
    assert.ok((fired?.data.value as number) > 0.1);

    // forSeconds: pending first, firing after.
    await waitFor(async () => (await g.client.call('getAlertRule', { params: { project, alert: 'slow' } })).state === 'firing', { timeoutMs: 30_000, what: 'slow to fire' });
    const pendingEvent = (await eventsOf(g, project, 'alert.pending')).find((e) => e.data.rule === 'slow');
    const firingEvent = (await eventsOf(g, project, 'alert.firing')).find((e) => e.data.rule === 'slow');
    assert.ok(pendingEvent && firingEvent && pendingEvent.id < firingEvent.id, 'pending before firing');
    assert.ok(Date.parse(firingEvent.time) - Date.parse(pendingEvent.time) >= 4000, 'pending for forSeconds');

    // An unreachable webhook: given up after 3 attempts, with one event.
    await waitFor(async () => (await g.client.call('listAlertDeliveries', { params: { project, alert: 'unreachable' } }))[0]?.status === 'failed', { timeoutMs: 30_000, what: 'the unreachable delivery to fail' });
    const [failed] = await g.client.call('listAlertDeliveries', { params: { project, alert: 'unreachable' } });
    assert.equal(failed?.attempts, 3);
    assert.ok(failed?.lastError);
    assert.equal((await eventsOf(g, project, 'alert.delivery_failed')).filter((e) => e.data.rule === 'unreachable').length, 1);

    // The load stops: resolved, as an event and a signed webhook.
    assert.deepEqual(await openExec(g, g.token, project, instance, ['rm', '/load/on']), { output: '', exit: 0 });
    await waitFor(async () => (await g.client.call('getAlertRule', { params: { project, alert: 'busy' } })).state === 'inactive', { timeoutMs: 60_000, what: 'busy to resolve' });
    const resolvedEvent = (await eventsOf(g, project, 'alert.resolved')).find((e) => e.data.rule === 'busy');
    assert.ok(resolvedEvent && (resolvedEvent.data.value as number) <= 0.1);
    const resolved = await waitFor(() => receiver.received.find((r) => r.headers['x-gureum-event'] === 'resolved'), { timeoutMs: 20_000, what: 'the resolved webhook' });
    assert.ok(signedWith(resolved, secret));
    assert.equal((JSON.parse(resolved.body) as { state: string }).state, 'resolved');
    assert.deepEqual((await g.client.call('listFiringAlerts', {})).filter((f) => f.rule === 'busy' && f.project === project), []);
  });
});

describe('webhook deliveries across a restart', () => {
  it('sends a delivery still pending when Gureum stopped once it is back', async () => {
    const project = uniqueName('alr');
    projects.push(project);
    const P = { project };
    const dataDir = tempDir();
    const port = await freePort(); // nothing listens there until Gureum is stopped
    const env = { ...FAST, GUREUM_WEBHOOK_ATTEMPTS: '50' };
    const g1 = await startGureum(env, dataDir);
    gureums.push(g1);
    await allowLoopbackWebhooks(g1); // kept across the restart, as every setting
    const app = uniqueName('alr-app');
    await g1.client.call('createProject', { body: { name: project } });
    await g1.client.call('createApp', { body: busyboxApp(app) });
    await g1.client.call('createInstance', { params: P, body: { name: 'box', app, replicas: 1 } });
    const rule = await g1.client.call('createAlertRule', { params: P, body: { name: 'any-memory', metric: 'memory_bytes', scope: 'instance', target: 'box', comparison: '>', threshold: 0, windowSeconds: 10, webhook: { url: `http://127.0.0.1:${port}/hook` } } });
    const failedOnce = await waitFor(
      async () => {
        const [d] = await g1.client.call('listAlertDeliveries', { params: { project, alert: 'any-memory' } });
        return d !== undefined && d.attempts >= 1 && d;
      },
      { timeoutMs: 60_000, what: 'a first failed attempt' },
    );
    assert.equal(failedOnce.status, 'pending');
    await g1.stop();
    gureums.splice(gureums.indexOf(g1), 1);

    const receiver = await startReceiver(port);
    receivers.push(receiver);
    const g2 = await startGureum({ ...env, GUREUM_INSTALLATION: g1.installation }, dataDir);
    gureums.push(g2);
    const delivered = await waitFor(
      async () => {
        const [d] = await g2.client.call('listAlertDeliveries', { params: { project, alert: 'any-memory' } });
        return d?.status === 'delivered' && d;
      },
      { timeoutMs: 60_000, what: 'the pending delivery to be sent after the restart' },
    );
    assert.equal(delivered.id, failedOnce.id);
    assert.equal(receiver.received[0]?.headers['x-gureum-delivery'], String(failedOnce.id));
    assert.ok(signedWith(receiver.received[0], rule.webhookSecret!));
    // Still firing after the restart: no second notification.
    assert.equal((await g2.client.call('getAlertRule', { params: { project, alert: 'any-memory' } })).state, 'firing');
    assert.equal((await g2.client.call('listAlertDeliveries', { params: { project, alert: 'any-memory' } })).length, 1);
  });
});
