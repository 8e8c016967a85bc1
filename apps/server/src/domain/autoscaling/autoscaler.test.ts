import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { AppCreate, InstanceCreate, type ReplicaMetric } from '@gureum/contract';
import { openDatabase } from '../../store/db.js';
import { Store } from '../../store/store.js';
import type { Principal } from '../identity/access.js';
import { AppService } from '../catalog/app.service.js';
import { AutoscaleService } from './autoscale.service.js';
import { Autoscaler } from './autoscaler.js';
import { EventService } from '../core/event.service.js';
import { InstanceService } from '../instances/instance.service.js';
import type { MetricsReader, NodeFigure, ReplicaFigure, ReplicaSelector } from '../monitoring/metrics-reader.js';
import { ProjectService } from '../identity/project.service.js';
import { SettingsService } from '../governance/settings.service.js';
import { QuotaService } from '../governance/quota.service.js';

/** A fake MetricsReader: each replica of the component uses the cores and memory bytes the test sets. */
class FakeMetricsReader implements MetricsReader {
  cores: number[] = [];
  memory: number[] = [];
  recent(selector: ReplicaSelector, metric: ReplicaMetric, _windowMs: number): Promise<ReplicaFigure[]> {
    const values = metric === 'memory_bytes' ? this.memory : metric === 'cpu_cores' ? this.cores : [];
    return Promise.resolve(values.map((value, replica) => ({ project: selector.project, instance: selector.instance ?? '', component: selector.component ?? '', replica, value, samples: 3 })));
  }
  recentNodes(): Promise<NodeFigure[]> {
    return Promise.resolve([]);
  }
}

const MiB = 1024 * 1024;

const admin: Principal = { userId: 'admin', userName: 'admin', isAdmin: true, via: 'token', token: null, csrf: null, roles: new Map() };

describe('autoscaler (fake metrics reader, real SQLite in memory, real instance service and quota)', () => {
  let store: Store;
  let events: EventService;
  let instances: InstanceService;
  let autoscale: AutoscaleService;
  let autoscaler: Autoscaler;
  const reader = new FakeMetricsReader();
  let clock = 1_000_000;
  const enqueued: string[] = [];

  before(async () => {
    store = new Store(await openDatabase('sqlite::memory:'));
    events = new EventService(store);
    const queue = { enqueue: (id: string) => void enqueued.push(id), enqueueProject: () => undefined, deletionProblem: () => null };
    const settings = new SettingsService(store, events);
    const projects = new ProjectService(store, events, queue, settings);
    const apps = new AppService(store, events);
    const quotas = new QuotaService(store);
    instances = new InstanceService(store, projects, apps, events, queue, settings, [quotas]);
    autoscale = new AutoscaleService(store, instances, events);
    autoscaler = new Autoscaler(store, reader, autoscale, pino({ level: 'silent' }), { intervalMs: 1000, windowMs: 10_000 }, () => clock);
    await store.projects.insert({ name: 'lab', description: '', deleting: false, createdAt: new Date().toISOString(), quota: { replicas: 2 }, policy: {} });
    await apps.create(AppCreate.parse({ name: 'burn', components: [{ name: 'main', image: 'busybox', resources: { cpus: 0.5 } }] }), admin);
    await apps.create(AppCreate.parse({ name: 'fill', components: [{ name: 'main', image: 'busybox', resources: { cpus: 0.5, memoryBytes: 64 * MiB } }] }), admin);
    await instances.create('lab', InstanceCreate.parse({ name: 'web', app: 'burn', replicas: 1 }));
    await autoscale.put('lab', 'web', 'main', { min: 1, max: 4, targetCpuPercent: 50, scaleUpStabilizationSeconds: 0, scaleDownStabilizationSeconds: 0 });
  });

  after(() => store.close());

  const replicas = async () => (await instances.get('lab', 'web')).components[0]?.desiredReplicas;
  const autoscaled = async () => (await events.list({ type: 'instance.autoscaled', limit: 100 })).map((e) => e.data);

  it('scales up through the instance update (queued for the reconciler) and records the figures', async () => {
    reader.cores = [0.5];
    const queuedBefore = enqueued.length;
    await autoscaler.evaluateAll();
    assert.equal(await replicas(), 2);
    assert.ok(enqueued.length > queuedBefore, 'the reconciler was asked to act');
    assert.deepEqual(await autoscaled(), [{ component: 'main', from: 1, to: 2, wanted: 2, reason: 'cpu above target', avgCpuPercent: 100, targetCpuPercent: 50, recommendation: 2, replicasReporting: 1, capped: null }]);
    const policy = await autoscale.get('lab', 'web', 'main');
    assert.equal(policy.lastCpuPercent, 100);
    assert.match(policy.lastDecision ?? '', /^1 → 2: cpu above target: average CPU 100% of limit, target 50%$/);
  });

  it('takes what the quota allows and says so, without an event when nothing changes', async () => {
    reader.cores = [0.5, 0.5];
    clock += 1000;
    await autoscaler.evaluateAll();
    assert.equal(await replicas(), 2);
    assert.equal((await autoscaled()).length, 1);
    assert.match((await autoscale.get('lab', 'web', 'main')).lastDecision ?? '', /^2 → 2: wanted 4: .*capped by the quota/);
  });

  it('scales down when idle, and brings a manual change back into [min, max]', async () => {
    reader.cores = [0, 0];
    clock += 1000;
    await autoscaler.evaluateAll();
    assert.equal(await replicas(), 1);
    assert.equal((await autoscaled()).at(-1)?.reason, 'cpu below target');

    await store.projects.setQuota('lab', {});
    await instances.update('lab', 'web', { replicas: 6 });
    reader.cores = [0.25, 0.25, 0.25, 0.25, 0.25, 0.25];
    clock += 1000;
    await autoscaler.evaluateAll();
    assert.equal(await replicas(), 4);
    assert.equal((await autoscaled()).at(-1)?.reason, 'above max');
  });

  it('leaves stopped and deleted instances alone', async () => {
    await instances.setRunState('lab', 'web', 'stop');
    reader.cores = [0.5, 0.5, 0.5, 0.5];
    const count = (await autoscaled()).length;
    clock += 1000;
    await autoscaler.evaluateAll();
    assert.equal((await instances.get('lab', 'web')).components[0]?.desiredReplicas, 0);
    await instances.setRunState('lab', 'web', 'start');
    await instances.delete('lab', 'web');
    clock += 1000;
    await autoscaler.evaluateAll();
    assert.equal((await autoscaled()).length, count);
  });

  it('scales on memory, and on both targets takes the larger count, naming memory', async () => {
    await instances.create('lab', InstanceCreate.parse({ name: 'mem', app: 'fill', replicas: 1 }));
    const count = async () => (await instances.get('lab', 'mem')).components[0]?.desiredReplicas;
    await autoscale.put('lab', 'mem', 'main', { min: 1, max: 4, targetMemoryPercent: 50, scaleUpStabilizationSeconds: 0, scaleDownStabilizationSeconds: 0 });
    reader.memory = [48 * MiB];
    reader.cores = [];
    clock += 1000;
    await autoscaler.evaluateAll();
    assert.equal(await count(), 2);
    const event = (await autoscaled()).at(-1);
    assert.deepEqual(event, { component: 'main', from: 1, to: 2, wanted: 2, reason: 'memory above target', avgMemoryPercent: 75, targetMemoryPercent: 50, recommendation: 2, replicasReporting: 1, capped: null });
    let policy = await autoscale.get('lab', 'mem', 'main');
    assert.deepEqual([policy.targetCpuPercent, policy.targetMemoryPercent, policy.lastCpuPercent, policy.lastMemoryPercent], [null, 50, null, 75]);
    assert.equal(policy.lastDecision, '1 → 2: memory above target: average memory 75% of limit, target 50%');

    // CPU idle asks for 1, memory at 90 % asks for 4: memory wins.
    await autoscale.put('lab', 'mem', 'main', { min: 1, max: 4, targetCpuPercent: 60, targetMemoryPercent: 50, scaleUpStabilizationSeconds: 0, scaleDownStabilizationSeconds: 0 });
    reader.cores = [0.01, 0.01];
    reader.memory = [58 * MiB, 57.2 * MiB];
    clock += 1000;
    await autoscaler.evaluateAll();
    assert.equal(await count(), 4);
    policy = await autoscale.get('lab', 'mem', 'main');
    assert.deepEqual([policy.lastCpuPercent, policy.lastMemoryPercent], [2, 90]);
    assert.equal(policy.lastDecision, '2 → 4: memory above target: average memory 90% of limit, target 50%; average CPU 2% of limit, target 60%');
    assert.equal((await autoscaled()).at(-1)?.reason, 'memory above target');
  });

  it('refuses a memory target on a component without a memory limit, changing nothing', async () => {
    await instances.create('lab', InstanceCreate.parse({ name: 'nolimit', app: 'burn', replicas: 3 }));
    await assert.rejects(autoscale.put('lab', 'nolimit', 'main', { min: 1, max: 2, targetCpuPercent: 50, targetMemoryPercent: 50, scaleUpStabilizationSeconds: 0, scaleDownStabilizationSeconds: 0 }), (err: Error & { code?: string }) => err.code === 'AUTOSCALE_NEEDS_MEMORY_LIMIT' && /no memory limit \(resources\.memoryBytes\)/.test(err.message));
    assert.equal((await instances.get('lab', 'nolimit')).components[0]?.desiredReplicas, 3);
  });
});
