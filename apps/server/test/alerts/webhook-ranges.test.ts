/**
 * Webhook targets are checked at send time against the admin's address ranges (settings,
 * `webhooks`): by default loopback and link-local (where cloud metadata services answer) are
 * refused, whether the URL names the address or a host name that resolves to it; an allow
 * range opens one again. A real receiver on loopback proves what arrives and what does not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_WEBHOOK_DENY, type Delivery } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { callRoute, codeOf } from '../identity/identity-kit.js';
import { startReceiver, type Receiver } from './support.js';

const FAST = { GUREUM_METRICS_INTERVAL_SECONDS: '1', GUREUM_ALERT_INTERVAL_SECONDS: '1', GUREUM_WEBHOOK_RETRY_SECONDS: '0.3', GUREUM_WEBHOOK_ATTEMPTS: '50' };
const project = uniqueName('whr');
const P = { project };
let g: TestGureum;
let receiver: Receiver;

/** A rule that fires as soon as the replica's memory is measured, with its webhook at `url`. */
async function ruleTo(name: string, url: string): Promise<void> {
  await g.client.call('createAlertRule', { params: P, body: { name, metric: 'memory_bytes', scope: 'instance', target: 'box', comparison: '>', threshold: 0, windowSeconds: 10, webhook: { url } } });
}

async function triedDelivery(rule: string): Promise<Delivery> {
  return waitFor(
    async () => {
      const [d] = await g.client.call('listAlertDeliveries', { params: { project, alert: rule } });
      return d !== undefined && d.attempts >= 2 && d;
    },
    { timeoutMs: 60_000, what: `a delivery of ${rule} tried twice` },
  );
}

before(async () => {
  g = await startGureum(FAST);
  receiver = await startReceiver();
  const app = uniqueName('whr-app');
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app) });
  await g.client.call('createInstance', { params: P, body: { name: 'box', app, replicas: 1 } });
});

after(async () => {
  await g.stop();
  await receiver.close();
  await removeProjects(project);
});

describe('webhook address ranges', () => {
  it('starts with loopback and link-local denied, nothing allowed', async () => {
    const settings = await g.client.call('getSettings', {});
    assert.deepEqual(settings.webhooks, { allow: [], deny: DEFAULT_WEBHOOK_DENY });
    assert.ok(DEFAULT_WEBHOOK_DENY.includes('127.0.0.0/8') && DEFAULT_WEBHOOK_DENY.includes('169.254.0.0/16'));
  });

  it('refuses a loopback receiver by address and by a name resolving to it, and a metadata address, sending nothing', async () => {
    await ruleTo('by-address', receiver.url);
    await ruleTo('by-name', `http://localhost:${receiver.port}/hook`);
    await ruleTo('metadata', 'http://169.254.169.254/latest/meta-data/');
    const byAddress = await triedDelivery('by-address');
    assert.equal(byAddress.status, 'pending');
    assert.match(byAddress.lastError ?? '', /refused to send to 127\.0\.0\.1: it is in the denied range 127\.0\.0\.0\/8/);
    assert.match((await triedDelivery('by-name')).lastError ?? '', /refused to send to (127\.0\.0\.1|::1): it is in the denied range (127\.0\.0\.0\/8|::1\/128)/);
    assert.match((await triedDelivery('metadata')).lastError ?? '', /refused to send to 169\.254\.169\.254: it is in the denied range 169\.254\.0\.0\/16/);
    assert.equal(receiver.received.length, 0, 'the receiver got nothing');
  });

  it('delivers once the admin allows the range, at the next attempt; link-local stays refused', async () => {
    const settings = await g.client.call('updateSettings', { body: { webhooks: { allow: ['127.0.0.0/8'] } } });
    assert.deepEqual(settings.webhooks, { allow: ['127.0.0.0/8'], deny: DEFAULT_WEBHOOK_DENY }, 'deny kept: only the field given changes');
    await waitFor(async () => (await g.client.call('listAlertDeliveries', { params: { project, alert: 'by-address' } }))[0]?.status === 'delivered', { timeoutMs: 30_000, what: 'the delivery to arrive' });
    assert.ok(receiver.received.some((r) => r.headers['x-gureum-event'] === 'firing'));
    const [metadata] = await g.client.call('listAlertDeliveries', { params: { project, alert: 'metadata' } });
    assert.equal(metadata?.status, 'pending');
  });

  it('refuses a range that is not one, naming the field, and changes nothing', async () => {
    for (const bad of ['127.0.0.1', '10.0.0.0/33', 'example.org/8', '::1/129']) {
      const r = await callRoute(g, 'updateSettings', { token: g.token, body: { webhooks: { deny: [bad] } } });
      assert.equal(r.status, 400, bad);
      assert.equal(codeOf(r), 'VALIDATION_FAILED');
      assert.match(JSON.stringify(r.body), /webhooks\.deny\.0|must be an address range/);
    }
    assert.deepEqual((await g.client.call('getSettings', {})).webhooks.deny, DEFAULT_WEBHOOK_DENY);
  });
});
