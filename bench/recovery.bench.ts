/**
 * Failure to recovery: kill a replica until it runs again (the engine's own `start` event for
 * that replica slot). Three series, interleaved, ~15 kills each:
 *   - gureum, `docker kill` (the engine's kill API, SIGKILL);
 *   - gureum, SIGKILL of the container's PID from the host (a crash the engine did not ask for);
 *   - baseline: the same container with `--restart always`, SIGKILL of its PID from the host.
 *     (`docker kill` counts as a manual stop to Docker: a `--restart always` container killed
 *     that way stays down, so the baseline can only be killed from outside the engine.)
 * Every target has run >= 11 s before it is killed, so neither Gureum's crash-loop back-off
 * (replicas that ran < 10 s) nor Docker's (100 ms doubling, reset after 10 s of running)
 * applies: this measures the first failure. Goal: gureum median <= 2 s.
 *
 *   node --import tsx bench/recovery.bench.ts      # BENCH_KILLS=15 BENCH_REPLICAS=8
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import Docker from 'dockerode';
import { busyboxApp, removeProjects, TEST_IMAGE, uniqueName, waitFor } from '../apps/server/test/support/harness.js';
import { bounded, machineInfo, report, requireImage, round, say, sleep, statsOf } from './support/bench-kit.js';
import { BENCH_LABEL, createDirect, removeDirect } from './support/direct-engine.js';
import { EngineEvents } from './support/engine-events.js';
import { spanTotals, startTracedGureum } from './support/engine-trace.js';

const KILLS = Math.min(60, Number(process.env.BENCH_KILLS ?? 15));
const REPLICAS = Math.min(20, Number(process.env.BENCH_REPLICAS ?? 8));
const MIN_RUN_MS = 11_000;
const GOAL_MEDIAN_MS = 2000;
const COMMAND = ['sh', '-c', 'echo started; exec sleep 3600'];

type Series = 'gureum-docker-kill' | 'gureum-sigkill-pid' | 'engine-restart-always';
interface Kill {
  series: Series;
  slot: number;
  /** Kill request sent .. the engine's `start` event of the slot. */
  ms: number;
  /** The engine's `die` event .. its `start` event (engine timestamps). */
  dieToStartMs: number;
  /** Gureum only: `die` .. Gureum's startReplica call, and that call's own duration. */
  reactionMs?: number;
  startReplicaMs?: number;
  engineCalls?: Record<string, { calls: number; ms: number }>;
}

const docker = new Docker();
const runId = randomBytes(3).toString('hex');
await requireImage(TEST_IMAGE, docker);
const machine = await machineInfo(docker);
const engineEvents = await EngineEvents.open(docker);
const g = await startTracedGureum();
const project = uniqueName('brec');
const baselineProject = uniqueName('brecb');
const app = uniqueName('bench-recovery');
const kills: Kill[] = [];
let interfered = 0;
let readyAt = 0;

const isSlot = (series: Series, slot: number) =>
  series === 'engine-restart-always'
    ? (a: Record<string, string>) => a[BENCH_LABEL] === runId && a['io.gureum-bench.replica'] === String(slot)
    : (a: Record<string, string>) => a['io.gureum.project'] === project && a['io.gureum.replica'] === String(slot);

/** The slot's running container; null when there is none right now. */
async function containerOf(series: Series, slot: number): Promise<Docker.ContainerInspectInfo | null> {
  const label = series === 'engine-restart-always' ? [`${BENCH_LABEL}=${runId}`, `io.gureum-bench.replica=${slot}`] : [`io.gureum.project=${project}`, `io.gureum.replica=${slot}`];
  const [found] = await docker.listContainers({ filters: { label, status: ['running'] } });
  if (!found) return null;
  return docker.getContainer(found.Id).inspect().catch(() => null);
}

/**
 * One kill and its recovery; null when something else interfered (another Gureum on the same
 * engine removed the container as a stray, so the slot came back as a new container).
 */
async function killOnce(series: Series, slot: number): Promise<Kill | null> {
  const match = isSlot(series, slot);
  const lastStart = engineEvents.last((e) => e.action === 'start' && match(e.attributes))?.time ?? readyAt;
  const rested = Date.now() - lastStart;
  if (rested < MIN_RUN_MS) await sleep(MIN_RUN_MS - rested);
  const info = await containerOf(series, slot);
  if (!info?.State.Running) {
    await sleep(1000);
    return null;
  }

  const t0 = Date.now();
  try {
    if (series === 'gureum-docker-kill') await docker.getContainer(info.Id).kill();
    else process.kill(info.State.Pid, 'SIGKILL');
  } catch {
    return null; // gone between the inspect and the kill
  }
  const started = await engineEvents.waitFor((e) => e.action === 'start' && e.time > t0 && match(e.attributes), 60_000, `${series} slot ${slot} started again`);
  if (started.id !== info.Id) return null;
  const died = engineEvents.last((e) => e.action === 'die' && e.id === info.Id && e.time >= t0 - 5);
  const kill: Kill = { series, slot, ms: round(started.time - t0), dieToStartMs: round(started.time - (died?.time ?? t0)) };
  if (series !== 'engine-restart-always') {
    await sleep(100); // lets the startReplica call that caused the event answer
    const from = t0 - performance.timeOrigin;
    const spans = g.trace.between(from - 5, started.time - performance.timeOrigin + 50);
    const start = spans.find((s) => s.method === 'startReplica' || s.method === 'createReplica');
    if (start) {
      kill.reactionMs = round(start.start + performance.timeOrigin - (died?.time ?? t0));
      kill.startReplicaMs = round(start.end - start.start);
    }
    kill.engineCalls = spanTotals(spans.filter((s) => s.start + performance.timeOrigin <= started.time + 50));
    g.trace.prune(from - 1000);
  }
  return kill;
}

let summary: Record<string, unknown> = {};
let human = '';
try {
  await g.client.call('createApp', { body: busyboxApp(app) });
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createInstance', { params: { project }, body: { name: 'rec', app, replicas: REPLICAS } });
  await createDirect(docker, { project: baselineProject, instance: 'rec', image: TEST_IMAGE, command: COMMAND, replicas: REPLICAS, runId, restartAlways: true });
  await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance: 'rec' } })).phase === 'running', { timeoutMs: 120_000, what: 'the instance to run' });
  readyAt = Date.now();
  say(`${REPLICAS} gureum replicas and ${REPLICAS} --restart always containers running; ${KILLS} kills per series (each target rests ${MIN_RUN_MS / 1000} s between kills)`);

  for (let j = 0; j < KILLS; j++) {
    const round3: [Series, number][] = [
      ['gureum-docker-kill', (2 * j) % REPLICAS],
      ['engine-restart-always', j % REPLICAS],
      ['gureum-sigkill-pid', (2 * j + 1) % REPLICAS],
    ];
    for (const [series, slot] of round3) {
      let k: Kill | null = null;
      for (let attempt = 0; attempt < 5 && !k; attempt++) {
        k = await bounded(`${series} kill`, 90_000, () => killOnce(series, slot));
        if (!k) {
          interfered++;
          say(`${series} slot ${slot}: the container was replaced by something else during the measurement (another Gureum on this engine?); measuring again`);
        }
      }
      engineEvents.assertEngineStayedUp();
      if (!k) throw new Error(`${series} slot ${slot}: interfered with five times in a row`);
      kills.push(k);
      say(`kill ${j + 1}/${KILLS} ${series} slot ${slot}: ${k.ms} ms (die->start ${k.dieToStartMs} ms${k.reactionMs !== undefined ? `, gureum reacted after ${k.reactionMs} ms` : ''})`);
      await sleep(300);
    }
  }

  // What a user sees afterwards: every replica running, and the restarts counted.
  const instance = await waitFor(
    async () => {
      const i = await g.client.call('getInstance', { params: { project, instance: 'rec' } });
      return i.phase === 'running' && i.replicas.reduce((n, r) => n + r.restartCount, 0) >= 2 * KILLS ? i : undefined;
    },
    { timeoutMs: 30_000, what: 'the instance to show every restart' },
  );

  const of = (s: Series) => kills.filter((k) => k.series === s);
  const stat = (s: Series) => statsOf(of(s).map((k) => k.ms));
  const dock = stat('gureum-docker-kill');
  const pid = stat('gureum-sigkill-pid');
  const base = stat('engine-restart-always');
  const gureumAll = statsOf(kills.filter((k) => k.series !== 'engine-restart-always').map((k) => k.ms));
  const met = dock.p50 <= GOAL_MEDIAN_MS && pid.p50 <= GOAL_MEDIAN_MS;
  const gureumKills = kills.filter((k) => k.reactionMs !== undefined);
  summary = {
    config: { kills: KILLS, replicas: REPLICAS, minRunMs: MIN_RUN_MS, image: TEST_IMAGE, resyncSeconds: 10 },
    results: {
      'gureum-docker-kill': { ms: dock, dieToStartMs: statsOf(of('gureum-docker-kill').map((k) => k.dieToStartMs)) },
      'gureum-sigkill-pid': { ms: pid, dieToStartMs: statsOf(of('gureum-sigkill-pid').map((k) => k.dieToStartMs)) },
      'engine-restart-always': { ms: base, dieToStartMs: statsOf(of('engine-restart-always').map((k) => k.dieToStartMs)) },
      gureumAll,
      ratioP50DockerKillToEngine: round(dock.p50 / base.p50, 2),
      ratioP50SigkillToEngine: round(pid.p50 / base.p50, 2),
      gureumBreakdownP50: {
        reactionMs: statsOf(gureumKills.map((k) => k.reactionMs!)).p50,
        startReplicaMs: statsOf(gureumKills.map((k) => k.startReplicaMs!)).p50,
      },
      restartCountsShown: instance.replicas.map((r) => r.restartCount),
      interferedSamplesDiscarded: interfered,
      goal: `gureum median <= ${GOAL_MEDIAN_MS} ms`,
      met,
      samples: kills,
    },
    met,
  };
  human =
    `recovery — gureum docker kill p50 ${dock.p50} / p95 ${dock.p95} ms; gureum SIGKILL p50 ${pid.p50} / p95 ${pid.p95} ms; ` +
    `engine --restart always p50 ${base.p50} / p95 ${base.p95} ms; ratios p50 ${round(dock.p50 / base.p50, 2)} / ${round(pid.p50 / base.p50, 2)} (goal median <= ${GOAL_MEDIAN_MS} ms: ${met ? 'met' : 'MISSED'})`;
} finally {
  engineEvents.close();
  await g.client.call('deleteProject', { params: { project }, query: { force: 'true' } }).catch(() => undefined);
  await waitFor(() => g.client.call('getProject', { params: { project } }).then(() => false, () => true), { timeoutMs: 60_000, what: 'the project to go' }).catch(() => undefined);
  await g.stop();
  fs.rmSync(g.dataDir, { recursive: true, force: true });
  await removeDirect(docker, runId);
  await removeProjects(project, baselineProject);
}

report('recovery', { machine, ...summary }, human);
