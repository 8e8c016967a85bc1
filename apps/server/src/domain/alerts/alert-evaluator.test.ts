import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { DEFAULT_WEBHOOK_DENY, type NodeMetric, type ReplicaMetric } from '@gureum/contract';
import { openDatabase } from '../../store/db.js';
import { Store } from '../../store/store.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { AlertService } from './alert.service.js';
import { NodeAlertService } from './node-alert.service.js';
import { EventService } from '../core/event.service.js';
import type { MetricsReader, NodeFigure, ReplicaFigure, ReplicaSelector } from '../monitoring/metrics-reader.js';
import { ProjectService } from '../identity/project.service.js';
import { SettingsService } from '../governance/settings.service.js';
import { SecretBox } from '../core/secret-box.js';
import { WebhookSender, type WebhookPayload } from './webhook-sender.js';

/** A fake MetricsReader: the per-replica figures are whatever the test sets. */
class FakeMetricsReader implements MetricsReader {
  figures: ReplicaFigure[] = [];
  reads: { selector: ReplicaSelector; metric: ReplicaMetric; windowMs: number }[] = [];
  recent(selector: ReplicaSelector, metric: ReplicaMetric, windowMs: number): Promise<ReplicaFigure[]> {
    this.reads.push({ selector, metric, windowMs });
    return Promise.resolve(this.figures.filter((f) => f.project === selector.project && (selector.instance === undefined || f.instance === selector.instance)));
  }
  /** Per node metric, the figures of every node. */
  nodes: Partial<Record<NodeMetric, NodeFigure[]>> = {};
  recentNodes(metric: NodeMetric, _windowMs: number, node?: string): Promise<NodeFigure[]> {
    return Promise.resolve((this.nodes[metric] ?? []).filter((f) => node === undefined || f.node === node));
  }
}

const fig = (instance: string, replica: number, value: number): ReplicaFigure => ({ project: 'lab', instance, component: 'main', replica, value, samples: 2 });

describe('alert evaluator (fake metrics reader, real SQLite in memory)', () => {
  let store: Store;
  let events: EventService;
  let alerts: AlertService;
  let nodeAlerts: NodeAlertService;
  let evaluator: AlertEvaluator;
  const reader = new FakeMetricsReader();
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const log = pino({ level: 'silent' });

  before(async () => {
    store = new Store(await openDatabase('sqlite::memory:'));
    events = new EventService(store);
    const box = SecretBox.withKey(randomBytes(32));
    const projects = new ProjectService(store, events, { enqueue: () => undefined, enqueueProject: () => undefined, deletionProblem: () => null }, new SettingsService(store, events));
    await store.projects.insert({ name: 'lab', description: '', deleting: false, createdAt: new Date().toISOString(), quota: {}, policy: {} });
    alerts = new AlertService(store, projects, box, events);
    nodeAlerts = new NodeAlertService(store, box, events);
    const sender = new WebhookSender(store, box, events, log, { timeoutMs: 1000, maxAttempts: 2, retryBaseMs: 100, retryMaxMs: 1000, ranges: () => Promise.resolve({ allow: [], deny: DEFAULT_WEBHOOK_DENY }) });
    evaluator = new AlertEvaluator(store, reader, events, sender, log, 1000, () => clock);
  });

  after(() => store.close());

  const typesOf = async (type: string) => (await events.list({ type, limit: 100 })).map((e) => e.data);

  it('moves a rule pending → firing → resolved, with events carrying value and threshold, and webhooks for firing and resolved', async () => {
    const created = await alerts.create('lab', { name: 'hot', metric: 'memory_bytes', agg: 'max', scope: 'project', comparison: '>', threshold: 100, windowSeconds: 30, forSeconds: 20, webhook: { url: 'http://127.0.0.1:9/hook' }, enabled: true });
    assert.ok(created.webhookSecret && created.webhookSecret.length >= 16, 'a secret is generated and answered once');
    assert.equal(JSON.stringify(await alerts.get('lab', 'hot')).includes(created.webhookSecret), false, 'GET never answers the secret');

    reader.figures = [fig('a', 0, 50), fig('b', 0, 150)];
    await evaluator.evaluateAll();
    assert.deepEqual(reader.reads.at(-1), { selector: { project: 'lab' }, metric: 'memory_bytes', windowMs: 30_000 });
    let rule = await alerts.get('lab', 'hot');
    assert.equal(rule.state, 'pending');
    assert.deepEqual(
      rule.series.map((s) => [s.key, s.state, s.value]),
      [['lab', 'pending', 150]],
    );
    assert.deepEqual(await typesOf('alert.pending'), [{ rule: 'hot', key: 'lab', metric: 'memory_bytes', agg: 'max', comparison: '>', threshold: 100, value: 150, since: rule.series[0]!.since }]);

    clock += 20_000;
    await evaluator.evaluateAll();
    rule = await alerts.get('lab', 'hot');
    assert.equal(rule.state, 'firing');
    assert.equal((await typesOf('alert.firing')).length, 1);
    assert.deepEqual(
      (await alerts.firing()).map((f) => [f.project, f.rule, f.key, f.value]),
      [['lab', 'hot', 'lab', 150]],
    );

    clock += 5_000;
    await evaluator.evaluateAll();
    assert.equal((await typesOf('alert.firing')).length, 1, 'firing is an event once, not every evaluation');

    reader.figures = [fig('a', 0, 50)];
    clock += 5_000;
    await evaluator.evaluateAll();
    rule = await alerts.get('lab', 'hot');
    assert.equal(rule.state, 'inactive');
    const [resolved] = await typesOf('alert.resolved');
    assert.equal(resolved?.value, 50);
    assert.deepEqual(await alerts.firing(), []);

    const deliveries = await alerts.deliveries('lab', 'hot');
    assert.deepEqual(
      deliveries.map((d) => [d.event, d.key, d.status, d.attempts]),
      [
        ['resolved', 'lab', 'pending', 0],
        ['firing', 'lab', 'pending', 0],
      ],
    );
    const [firingBody] = (await store.alerts.deliveries('lab', 'hot', 10)).slice(-1).map((d) => JSON.parse(d.body) as WebhookPayload);
    assert.deepEqual({ ...firingBody, since: null, time: null }, { rule: 'hot', project: 'lab', state: 'firing', key: 'lab', metric: 'memory_bytes', agg: 'max', scope: 'project', value: 150, threshold: 100, comparison: '>', since: null, time: null });
  });

  it('keeps one series per replica for scope replica, and stays quiet when the instance is gone', async () => {
    const now = new Date(clock).toISOString();
    await store.alerts.insert({ project: 'lab', name: 'each', metric: 'cpu_cores', agg: 'avg', scope: 'replica', target: 'gone', comparison: '>=', threshold: 1, windowSeconds: 10, forSeconds: 0, webhookUrl: null, webhookSecretSealed: null, enabled: true, evaluatedAt: null, createdAt: now, updatedAt: now });
    reader.figures = [fig('gone', 0, 2), fig('gone', 1, 0.5), fig('gone', 2, 1)];
    await evaluator.evaluateAll();
    let rule = await alerts.get('lab', 'each');
    assert.deepEqual(
      rule.series.map((s) => [s.key, s.state]),
      [
        ['gone/main/0', 'firing'],
        ['gone/main/2', 'firing'],
      ],
    );
    reader.figures = [];
    clock += 1000;
    await evaluator.evaluateAll();
    rule = await alerts.get('lab', 'each');
    assert.equal(rule.state, 'inactive');
    assert.deepEqual(rule.series, []);
    assert.equal((await typesOf('alert.resolved')).filter((d) => d.rule === 'each').length, 2);
    assert.equal(await store.alerts.deliveries('lab', 'each', 10).then((d) => d.length), 0, 'no webhook configured, no delivery');
  });

  it('resolves the firing series of a disabled rule and then keeps it quiet', async () => {
    await alerts.create('lab', { name: 'off', metric: 'cpu_cores', agg: 'sum', scope: 'project', comparison: '>', threshold: 0, windowSeconds: 10, forSeconds: 0, webhook: null, enabled: true });
    reader.figures = [fig('x', 0, 1)];
    await evaluator.evaluateAll();
    assert.equal((await alerts.get('lab', 'off')).state, 'firing');
    await alerts.update('lab', 'off', { metric: 'cpu_cores', agg: 'sum', scope: 'project', comparison: '>', threshold: 0, windowSeconds: 10, forSeconds: 0, webhook: null, enabled: false });
    await evaluator.evaluateAll();
    assert.equal((await alerts.get('lab', 'off')).state, 'inactive');
    await evaluator.evaluateAll();
    assert.equal((await typesOf('alert.firing')).filter((d) => d.rule === 'off').length, 1);
  });

  it('keeps one series per node for a node rule on a derived percentage: fires with project null, webhooks, lists it as firing, resolves', async () => {
    const disk = (n1: number, n2: number) => ({
      node_disk_used_bytes: [
        { node: 'n1', value: n1, samples: 2 },
        { node: 'n2', value: n2, samples: 2 },
      ],
      node_disk_total_bytes: [
        { node: 'n1', value: 100, samples: 2 },
        { node: 'n2', value: 100, samples: 2 },
      ],
    });
    await nodeAlerts.create({ name: 'disk', metric: 'node_disk_used_percent', comparison: '>', threshold: 80, windowSeconds: 60, forSeconds: 0, webhook: { url: 'http://127.0.0.1:9/hook' }, enabled: true });
    reader.nodes = disk(95, 10);
    clock += 1000;
    await evaluator.evaluateAll();
    const rule = await nodeAlerts.get('disk');
    assert.equal(rule.state, 'firing');
    assert.deepEqual(
      rule.series.map((s) => [s.key, s.state, s.value]),
      [['n1', 'firing', 95]],
    );
    const [fired] = (await events.list({ type: 'alert.firing', limit: 100 })).filter((e) => e.data.rule === 'disk');
    assert.equal(fired?.project, null, 'a node alert belongs to no project (admins see it)');
    assert.equal(fired?.data.node, 'n1');
    assert.deepEqual(
      (await alerts.firing()).filter((f) => f.rule === 'disk').map((f) => [f.project, f.node, f.key, f.metric, f.value]),
      [[null, 'n1', 'n1', 'node_disk_used_percent', 95]],
    );
    const [body] = (await store.alerts.deliveries(null, 'disk', 10)).map((d) => JSON.parse(d.body) as WebhookPayload);
    assert.deepEqual([body?.project, body?.scope, body?.key, body?.state], [null, 'node', 'n1', 'firing']);
    assert.equal((await alerts.list('lab')).some((r) => r.name === 'disk'), false, 'a node rule is no project rule');

    reader.nodes = disk(50, 10);
    clock += 1000;
    await evaluator.evaluateAll();
    assert.equal((await nodeAlerts.get('disk')).state, 'inactive');
    assert.deepEqual(
      (await nodeAlerts.deliveries('disk')).map((d) => [d.event, d.key]),
      [
        ['resolved', 'n1'],
        ['firing', 'n1'],
      ],
    );
  });
});
