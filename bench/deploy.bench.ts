/**
 * Deploy latency: POST an instance of N replicas until every replica runs (the instance's phase
 * turns `running`, as followed on the SSE event stream), against the same containers created
 * and started straight through the Engine API (network + N containers in parallel) in the same
 * run, rounds interleaved. Goal: median gureum/direct <= 1.3 for N=1 and N=10.
 *
 *   node --import tsx bench/deploy.bench.ts        # BENCH_ROUNDS=10 BENCH_SIZES=1,10
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import Docker from 'dockerode';
import { busyboxApp, removeProjects, TEST_IMAGE, uniqueName } from '../apps/server/test/support/harness.js';
import { bounded, machineInfo, report, requireImage, round, say, sleep, statsOf } from './support/bench-kit.js';
import { createDirect, removeDirect, removeDirectSet } from './support/direct-engine.js';
import { EngineEvents } from './support/engine-events.js';
import { spanTotals, startTracedGureum, type Span } from './support/engine-trace.js';
import { EventFollower } from './support/event-follower.js';

const ROUNDS = Math.min(50, Number(process.env.BENCH_ROUNDS ?? 10));
const SIZES = (process.env.BENCH_SIZES ?? '1,10').split(',').map(Number);
const GOAL_RATIO = 1.3;
const COMMAND = ['sh', '-c', 'echo started; exec sleep 3600'];
/** Lets the engine finish the previous round's asynchronous clean-up before the next timing. */
const SETTLE_MS = 500;

interface GureumRound {
  ms: number;
  /** POST answered. */
  postMs: number;
  /** First engine call of the reconcile (time from POST until the reconciler picked the instance up). */
  firstEngineCallMs: number;
  /** First createReplica began .. last createReplica ended. */
  createWindow: [number, number];
  /** Last createReplica ended .. phase `running` seen on the event stream. */
  afterCreatesMs: number;
  /** The reconcile's first ensureNetwork call (list, create, list again). */
  ensureNetworkMs: number;
  engineCalls: Record<string, { calls: number; ms: number }>;
}

const docker = new Docker();
const runId = randomBytes(3).toString('hex');
await requireImage(TEST_IMAGE, docker);
const machine = await machineInfo(docker);
const engineEvents = await EngineEvents.open(docker);
const g = await startTracedGureum();
const follower = await EventFollower.open(g.url, g.token);
const app = uniqueName('bench-deploy');
const projects: string[] = [];
let interfered = 0;

function breakdown(spans: Span[], t0: number, tPost: number, t1: number): Omit<GureumRound, 'ms'> {
  const creates = spans.filter((s) => s.method === 'createReplica');
  const createStart = Math.min(...creates.map((s) => s.start));
  const createEnd = Math.max(...creates.map((s) => s.end));
  const network = spans.find((s) => s.method === 'ensureNetwork');
  return {
    ensureNetworkMs: network ? round(network.end - network.start) : 0,
    postMs: round(tPost - t0),
    firstEngineCallMs: round((spans[0]?.start ?? t1) - t0),
    createWindow: [round(createStart - t0), round(createEnd - t0)],
    afterCreatesMs: round(t1 - createEnd),
    engineCalls: spanTotals(spans),
  };
}

/** One timed deploy; null when something else removed one of its containers meanwhile (another Gureum on this engine). */
async function gureumRound(n: number): Promise<GureumRound | null> {
  const project = uniqueName('bdg');
  projects.push(project);
  await g.client.call('createProject', { body: { name: project } });
  await sleep(SETTLE_MS);
  const mark = follower.mark();
  const t0 = performance.now();
  await g.client.call('createInstance', { params: { project }, body: { name: 'web', app, replicas: n } });
  const tPost = performance.now();
  const done = await follower.waitFor(
    (e) => e.project === project && ((e.type === 'instance.phase_changed' && e.data.to === 'running') || e.type === 'instance.failed'),
    { after: mark, timeoutMs: 120_000, what: `instance of ${n} running` },
  );
  if (done.event.type === 'instance.failed') throw new Error(`the instance failed: ${done.event.message}`);
  const t1 = done.at;
  const result = { ms: round(t1 - t0), ...breakdown(g.trace.between(t0, t1), t0, tPost, t1) };
  g.trace.prune(t1);
  const epoch = (t: number) => t + performance.timeOrigin;
  const foreign = engineEvents.all((e) => e.action === 'destroy' && e.attributes['io.gureum.project'] === project && e.time >= epoch(t0) && e.time <= epoch(t1) + 5);

  const deleteMark = follower.mark();
  await g.client.call('deleteProject', { params: { project }, query: { force: 'true' } });
  await follower.waitFor((e) => e.type === 'project.deleted' && e.project === project, { after: deleteMark, timeoutMs: 120_000, what: `project ${project} deleted` });
  return foreign.length > 0 ? null : result;
}

interface DirectRound {
  ms: number;
  networkMs: number;
}

async function directRound(n: number): Promise<DirectRound> {
  const project = uniqueName('bdd');
  await sleep(SETTLE_MS);
  const t0 = performance.now();
  const set = await createDirect(docker, { project, instance: 'web', image: TEST_IMAGE, command: COMMAND, replicas: n, runId });
  const ms = round(performance.now() - t0);
  await removeDirectSet(docker, set);
  return { ms, networkMs: round(set.networkMs) };
}

async function timedGureumRound(n: number): Promise<GureumRound> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await bounded(`gureum round N=${n}`, 180_000, () => gureumRound(n));
    if (result) return result;
    interfered++;
    say(`N=${n}: a container of the round was removed by something else (another Gureum on this engine?); measuring again`);
  }
  throw new Error('interfered with five times in a row');
}

const results: Record<string, unknown> = {};
const lines: string[] = [];
let allMet = true;
try {
  await g.client.call('createApp', { body: busyboxApp(app) });
  say('warm-up (one untimed round of each, N=1)');
  await gureumRound(1);
  await directRound(1);

  for (const n of SIZES) {
    const gureum: GureumRound[] = [];
    const direct: DirectRound[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so neither always runs on a freshly cleaned engine.
      const order = r % 2 === 0 ? (['gureum', 'direct'] as const) : (['direct', 'gureum'] as const);
      for (const which of order) {
        if (which === 'gureum') gureum.push(await timedGureumRound(n));
        else direct.push(await bounded(`direct round N=${n}`, 180_000, () => directRound(n)));
      }
      engineEvents.assertEngineStayedUp();
      say(`N=${n} round ${r + 1}/${ROUNDS}: gureum ${gureum.at(-1)!.ms} ms, direct ${direct.at(-1)!.ms} ms`);
    }
    const gs = statsOf(gureum.map((x) => x.ms));
    const ds = statsOf(direct.map((x) => x.ms));
    const pairRatios = statsOf(gureum.map((x, i) => x.ms / direct[i]!.ms));
    const ratio = round(gs.p50 / ds.p50, 2);
    const met = ratio <= GOAL_RATIO;
    allMet &&= met;
    const med = (f: (x: GureumRound) => number) => statsOf(gureum.map(f)).p50;
    results[`N=${n}`] = {
      replicas: n,
      gureumMs: gs,
      directMs: ds,
      ratioP50: ratio,
      ratioP95: round(gs.p95 / ds.p95, 2),
      pairwiseRatio: { p50: round(pairRatios.p50, 2), min: round(pairRatios.min, 2), max: round(pairRatios.max, 2) },
      goal: `ratio <= ${GOAL_RATIO}`,
      met,
      gureumBreakdownP50: {
        postMs: med((x) => x.postMs),
        firstEngineCallMs: med((x) => x.firstEngineCallMs),
        createStartMs: med((x) => x.createWindow[0]),
        createEndMs: med((x) => x.createWindow[1]),
        afterCreatesMs: med((x) => x.afterCreatesMs),
        ensureNetworkMs: med((x) => x.ensureNetworkMs),
      },
      directNetworkCreateMsP50: statsOf(direct.map((x) => x.networkMs)).p50,
      rounds: { gureum, direct },
    };
    lines.push(`N=${n}: gureum p50 ${gs.p50} / p95 ${gs.p95} ms, direct p50 ${ds.p50} / p95 ${ds.p95} ms, ratio ${ratio} (goal <= ${GOAL_RATIO}: ${met ? 'met' : 'MISSED'})`);
  }
} finally {
  follower.close();
  engineEvents.close();
  await g.stop();
  fs.rmSync(g.dataDir, { recursive: true, force: true });
  await removeDirect(docker, runId);
  await removeProjects(...projects);
}

report('deploy', { machine, config: { rounds: ROUNDS, sizes: SIZES, image: TEST_IMAGE, resyncSeconds: 10, settleMs: SETTLE_MS }, results, interferedRoundsDiscarded: interfered, met: allMet }, `deploy — ${lines.join('; ')}`);
