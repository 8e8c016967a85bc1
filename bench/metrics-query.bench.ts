/**
 * Metric queries over synthetic history written through the metrics repository into a real
 * Gureum's database (in-process, its own collector off): 50 instances of 2 replicas with 7 days
 * of samples (one a minute, rolled up into the 1-minute and 1-hour tiers, raw pruned to 24 h as
 * the default retention does). Timed through the HTTP API, interleaved, against GET /healthz:
 *   A: 24 h of one replica at a 1-minute step (1,440 points);
 *   B: 7 days of the 50-instance project at a 1-hour step, summed (168 points over 100 series).
 * Goal: p95 <= 50 ms for both. Also: store bytes per replica-day (20 replicas sampled every
 * 10 s for a day in a fresh database, rolled up), per tier and at the default retention.
 *
 *   node --import tsx bench/metrics-query.bench.ts     # BENCH_REQUESTS=200
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ReplicaMetric } from '@gureum/contract';
import { openDatabase } from '../apps/server/src/store/db.js';
import { MetricsRepository, type ReplicaRow } from '../apps/server/src/store/metrics.repository.js';
import { busyboxApp, removeProjects, startGureum, tempDir, uniqueName } from '../apps/server/test/support/harness.js';
import { machineInfo, report, round, say, statsOf } from './support/bench-kit.js';

const REQUESTS = Math.min(2000, Number(process.env.BENCH_REQUESTS ?? 200));
const INSTANCES = 50;
const REPLICAS = 2;
const DAYS = 7;
const GOAL_P95_MS = 50;
const DAY = 86_400;

function values(seed: number, t: number): Record<ReplicaMetric, number | null> {
  const wave = Math.sin((t / 3600 + seed) / 3);
  return {
    cpu_cores: 0.2 + 0.15 * wave,
    memory_bytes: Math.round(64e6 + 8e6 * wave),
    memory_limit_bytes: 256 * 2 ** 20,
    net_rx_bps: Math.round(2000 + 1000 * wave),
    net_tx_bps: Math.round(500 + 200 * wave),
    blk_read_bps: 0,
    blk_write_bps: Math.round(100 * (1 + wave)),
    restarts: 0,
  };
}

/** Samples every `every` seconds over [from, to) for the given replicas, one write per time. */
async function fill(repo: MetricsRepository, keys: Omit<ReplicaRow, 'values'>[], from: number, to: number, every: number): Promise<void> {
  for (let t = from; t < to; t += every) await repo.write(t, keys.map((k, i) => ({ ...k, values: values(i, t) })), []);
}

const machine = await machineInfo();
const dataDir = tempDir('gureum-bench-mq-');
const g = await startGureum({ GUREUM_METRICS_INTERVAL_SECONDS: '0', GUREUM_RESYNC_SECONDS: '3600' }, dataDir);
const project = uniqueName('bmq');
const sizeDir = tempDir('gureum-bench-mq-size-');
try {
  await g.client.call('createProject', { body: { name: project } });
  const app = uniqueName('bmq-app');
  await g.client.call('createApp', { body: busyboxApp(app, { replicas: REPLICAS }) });
  for (let i = 0; i < INSTANCES; i++) await g.client.call('createInstance', { params: { project }, body: { name: `i${i}`, app, replicas: { main: 0 } } });

  const now = Math.floor(Date.now() / 1000);
  const keys = Array.from({ length: INSTANCES * REPLICAS }, (_, k) => ({ project, instance: `i${Math.floor(k / REPLICAS)}`, component: 'main', replica: k % REPLICAS }));
  const repo = new MetricsRepository(await openDatabase(`sqlite:${path.join(dataDir, 'gureum.db')}`));
  say(`writing ${DAYS} days of one sample a minute for ${keys.length} replicas`);
  const writeStarted = performance.now();
  await fill(repo, keys, now - DAYS * DAY, now, 60);
  const writeMs = performance.now() - writeStarted;
  await repo.rollUp(now, 0);
  const pruned = await repo.prune({ raw: now - DAY, '1m': now - 7 * DAY, '1h': now - 90 * DAY }, () => new Promise((r) => setImmediate(r)));
  say(`written in ${round(writeMs / 1000)} s, rolled up, ${pruned} raw rows pruned`);

  const replicaQuery = { metric: 'cpu_cores', scope: 'replica', id: `${project}/i0/main/0`, from: '-24h', step: '1m' } as const;
  const projectQuery = { metric: 'cpu_cores', scope: 'project', id: project, from: '-7d', step: '1h', agg: 'sum' } as const;
  const a = await g.client.call('queryMetrics', { query: replicaQuery });
  const b = await g.client.call('queryMetrics', { query: projectQuery });
  const filled = (r: typeof a) => r.series[0]!.points.filter(([, v]) => v !== null).length;
  say(`A: ${a.series[0]!.points.length} points (${filled(a)} with values) from ${a.resolution}; B: ${b.series[0]!.points.length} points (${filled(b)}) from ${b.resolution}`);

  const timings = { replica24h: [] as number[], project7d: [] as number[], healthz: [] as number[] };
  const timed = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  for (let i = 0; i < 10; i++) await g.client.call('queryMetrics', { query: i % 2 ? replicaQuery : projectQuery }); // warm-up
  for (let i = 0; i < REQUESTS; i++) {
    timings.replica24h.push(await timed(() => g.client.call('queryMetrics', { query: replicaQuery })));
    timings.project7d.push(await timed(() => g.client.call('queryMetrics', { query: projectQuery })));
    timings.healthz.push(await timed(() => g.client.call('healthz', {})));
  }

  say('store size: 20 replicas sampled every 10 s for a day');
  const sizeRepo = new MetricsRepository(await openDatabase(`sqlite:${path.join(sizeDir, 'size.db')}`));
  const sizeKeys = keys.slice(0, 20);
  await fill(sizeRepo, sizeKeys, now - DAY, now, 10);
  await sizeRepo.rollUp(now, 0);
  const sizes = await sizeRepo.tableSizes();
  const perReplicaDay = (prefix: string) => round(Object.entries(sizes).filter(([name]) => name.includes(prefix)).reduce((sum, [, bytes]) => sum + bytes, 0) / sizeKeys.length / 1024);
  const kib = { raw: perReplicaDay('replica_raw'), minute: perReplicaDay('replica_1m'), hour: perReplicaDay('replica_1h') };
  const steadyMiB = round((kib.raw * 1 + kib.minute * 7 + kib.hour * 90) / 1024, 2);

  const A = statsOf(timings.replica24h);
  const B = statsOf(timings.project7d);
  const H = statsOf(timings.healthz);
  report(
    'metrics-query',
    {
      machine,
      requests: REQUESTS,
      history: { instances: INSTANCES, replicasPerInstance: REPLICAS, days: DAYS, sampleEverySeconds: 60, writeSeconds: round(writeMs / 1000) },
      replica24hAt1m: { ...A, points: a.series[0]!.points.length, resolution: a.resolution },
      project7dAt1h: { ...B, points: b.series[0]!.points.length, resolution: b.resolution },
      healthz: H,
      storeKiBPerReplicaDay: kib,
      storeMiBPerReplicaAtDefaultRetention: steadyMiB,
      goalP95Ms: GOAL_P95_MS,
      samples: timings,
    },
    `metrics-query: 24 h of a replica at 1 m p95 ${A.p95} ms, 7 d of 50 instances at 1 h p95 ${B.p95} ms (goal <= ${GOAL_P95_MS}); /healthz p95 ${H.p95} ms; store per replica-day raw ${kib.raw} KiB, 1m ${kib.minute} KiB, 1h ${kib.hour} KiB (${steadyMiB} MiB per replica at the default retention)`,
  );
} finally {
  await g.stop();
  await removeProjects(project);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(sizeDir, { recursive: true, force: true });
}
