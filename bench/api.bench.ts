/**
 * API: GET /api/v1/projects/:project/instances answering 500 instances, ~300 sequential
 * requests over HTTP on loopback after a warm-up, against GET /healthz in the same run
 * (interleaved) as the baseline. Goal: p99 <= 30 ms.
 *
 * Gureum runs in this process (startGureum of the harness: real SQLite, real engine). The 500
 * instances are created through the API with replicas 0 (scaled to zero: no containers, but
 * real records the reconciler has observed). Two phases on the same data:
 *   - default: Gureum's default resync (10 s); the requests are paced over one resync period,
 *     so the periodic resync of the 500 instances overlaps them as often as it would a user's;
 *   - quiet: resync set to an hour and the reconciler idle: the cost of the request alone.
 *
 *   node --import tsx bench/api.bench.ts           # BENCH_INSTANCES=500 BENCH_REQUESTS=300
 */
import fs from 'node:fs';
import Docker from 'dockerode';
import { busyboxApp, removeProjects, startGureum, tempDir, TEST_IMAGE, uniqueName, type TestGureum } from '../apps/server/test/support/harness.js';
import { machineInfo, report, round, say, sleep, statsOf, type Stats } from './support/bench-kit.js';

const INSTANCES = Math.min(2000, Number(process.env.BENCH_INSTANCES ?? 500));
const REQUESTS = Math.min(3000, Number(process.env.BENCH_REQUESTS ?? 300));
const WARMUP = 30;
const CREATE_CONCURRENCY = 8;
const GOAL_P99_MS = 30;
const RESYNC_SECONDS = 10;
/** The measured requests are spread over a little more than one resync period. */
const SPAN_MS = RESYNC_SECONDS * 1000 + 500;

interface Phase {
  list: Stats;
  healthz: Stats;
  ratioP50: number;
  ratioP99: number;
  /** Share of list requests answered while the reconciler had work queued or running. */
  listDuringReconcileShare: number;
  listP99WhileReconcilerBusy: number | null;
  listP99WhileReconcilerIdle: number | null;
  bytes: number;
}

const docker = new Docker();
const machine = await machineInfo(docker);
const project = uniqueName('bapi');
const app = uniqueName('bench-api');
const dataDir = tempDir('gureum-bench-api-');
/** One installation name for both starts on the same data. */
const installation = uniqueName('bench');

async function timedGet(g: TestGureum, path: string, auth: boolean): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(g.url + path, { headers: auth ? { authorization: `Bearer ${g.token}` } : {} });
  const body = await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return { ms, bytes: body.byteLength };
}

async function measure(g: TestGureum): Promise<Phase> {
  const listPath = `/api/v1/projects/${project}/instances`;
  for (let i = 0; i < WARMUP; i++) {
    await timedGet(g, listPath, true);
    await timedGet(g, '/healthz', false);
  }
  const list: number[] = [];
  const health: number[] = [];
  const busy: boolean[] = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    // Paced over one resync period, so the default phase sees the resync as often as a user would.
    const due = started + (i * SPAN_MS) / REQUESTS;
    if (performance.now() < due) await sleep(due - performance.now());
    const depthBefore = g.gureum.reconciler.depth;
    const l = await timedGet(g, listPath, true);
    busy.push(depthBefore > 0 || g.gureum.reconciler.depth > 0);
    list.push(l.ms);
    bytes = l.bytes;
    health.push((await timedGet(g, '/healthz', false)).ms);
  }
  const ls = statsOf(list);
  const hs = statsOf(health);
  const whileBusy = list.filter((_, i) => busy[i]);
  const whileIdle = list.filter((_, i) => !busy[i]);
  return {
    list: ls,
    healthz: hs,
    ratioP50: round(ls.p50 / hs.p50, 2),
    ratioP99: round(ls.p99 / hs.p99, 2),
    listDuringReconcileShare: round(whileBusy.length / list.length, 2),
    listP99WhileReconcilerBusy: whileBusy.length > 0 ? statsOf(whileBusy).p99 : null,
    listP99WhileReconcilerIdle: whileIdle.length > 0 ? statsOf(whileIdle).p99 : null,
    bytes,
  };
}

let summary: Record<string, unknown> = {};
let human = '';
let g = await startGureum({ GUREUM_RESYNC_SECONDS: String(RESYNC_SECONDS), GUREUM_INSTALLATION: installation }, dataDir);
try {
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app) });
  say(`creating ${INSTANCES} instances with replicas 0 through the API`);
  const createStart = performance.now();
  for (let first = 0; first < INSTANCES; first += CREATE_CONCURRENCY) {
    const names = Array.from({ length: Math.min(CREATE_CONCURRENCY, INSTANCES - first) }, (_, i) => `inst-${String(first + i).padStart(4, '0')}`);
    await Promise.all(names.map((name) => g.client.call('createInstance', { params: { project }, body: { name, app, replicas: 0 } })));
  }
  await g.gureum.reconciler.idle();
  const createSeconds = round((performance.now() - createStart) / 1000);
  const observed = (await g.client.call('listInstances', { params: { project } })).filter((i) => i.observedAt !== null).length;
  say(`${INSTANCES} instances created and reconciled in ${createSeconds} s (${observed} observed); measuring with the default resync`);
  const withResync = await measure(g);

  await g.stop();
  g = await startGureum({ GUREUM_RESYNC_SECONDS: '3600', GUREUM_INSTALLATION: installation }, dataDir);
  // The start-up resync is asynchronous: run one to its end, then wait for its work.
  await g.gureum.reconciler.resync();
  await g.gureum.reconciler.idle();
  say('measuring again with the reconciler quiet (resync 1 h, queue idle)');
  const quiet = await measure(g);

  const met = withResync.list.p99 <= GOAL_P99_MS;
  summary = {
    config: { instances: INSTANCES, requests: REQUESTS, warmup: WARMUP, pacedOverMs: SPAN_MS, resyncSeconds: RESYNC_SECONDS, instancesCreatedThrough: 'the API, replicas 0 (no containers)', image: TEST_IMAGE },
    results: { createSeconds, defaultResync: withResync, reconcilerQuiet: quiet, goal: `list p99 <= ${GOAL_P99_MS} ms (default resync)`, met },
    met,
  };
  human =
    `api — GET list of ${INSTANCES} instances (${Math.round(withResync.bytes / 1024)} KiB): p50 ${withResync.list.p50} / p95 ${withResync.list.p95} / p99 ${withResync.list.p99} ms ` +
    `(healthz p99 ${withResync.healthz.p99} ms, ratio p99 ${withResync.ratioP99}); reconciler quiet: p99 ${quiet.list.p99} ms (goal p99 <= ${GOAL_P99_MS} ms: ${met ? 'met' : 'MISSED'})`;
} finally {
  await g.stop();
  await removeProjects(project);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

report('api', { machine, ...summary }, human);
