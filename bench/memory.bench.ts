/**
 * Control-plane memory: Gureum as its own process (the built server, as users run it), its
 * resident set (VmRSS) idle 10 s after start, then with 200 running replicas (20 instances x 10
 * busybox `sleep`) once the reconciler has settled and a few resync cycles have passed.
 * Goal: <= 150 MiB with 200 replicas.
 *
 *   npx tsc -b packages/contract apps/server   # the script runs this unless BENCH_NO_BUILD=1
 *   node --import tsx bench/memory.bench.ts     # BENCH_INSTANCES=20 BENCH_REPLICAS=10
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { GureumClient } from '@gureum/contract';
import Docker from 'dockerode';
import { busyboxApp, freePort, REPO_ROOT, removeProjects, spawnGureum, tempDir, TEST_IMAGE, uniqueName, waitFor } from '../apps/server/test/support/harness.js';
import { machineInfo, report, requireImage, round, say, sleep, statsOf } from './support/bench-kit.js';
import { EngineEvents } from './support/engine-events.js';

const INSTANCES = Math.min(40, Number(process.env.BENCH_INSTANCES ?? 20));
const REPLICAS = Math.min(20, Number(process.env.BENCH_REPLICAS ?? 10));
/** Instances launched together; the next batch waits until these run. */
const BATCH = 4;
const RESYNC_SECONDS = 10;
const SETTLE_CYCLES = 3;
const IDLE_MS = 10_000;
const GOAL_MIB = 150;

interface MemorySample {
  t: number;
  phase: string;
  rssMiB: number;
}

/** VmRSS and VmHWM (peak) of a process, in MiB. */
function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: round(kib('VmRSS') / 1024), hwmMiB: round(kib('VmHWM') / 1024) };
}

const docker = new Docker();
await requireImage(TEST_IMAGE, docker);
const machine = await machineInfo(docker);
if (process.env.BENCH_NO_BUILD !== '1') {
  say('building the server (npx tsc -b packages/contract apps/server)');
  execFileSync('npx', ['tsc', '-b', 'packages/contract', 'apps/server'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

const dataDir = tempDir('gureum-bench-mem-');
const port = await freePort();
const engineEvents = await EngineEvents.open(docker);
const started = performance.now();
const { child, url, token } = await spawnGureum(dataDir, port, { GUREUM_RESYNC_SECONDS: String(RESYNC_SECONDS), GUREUM_INSTALLATION: uniqueName('bench') });
const pid = child.pid!;
const client = new GureumClient({ baseUrl: url, token });
const project = uniqueName('bmem');
const app = uniqueName('bench-mem');
const samples: MemorySample[] = [];
let phase = 'idle';
const sampler = setInterval(() => {
  try {
    samples.push({ t: round((performance.now() - started) / 1000), phase, rssMiB: memoryOf(pid).rssMiB });
  } catch {
    // the process has gone; the main flow notices
  }
}, 1000);

/** Running containers of the project, as the engine sees them. */
async function runningReplicas(): Promise<number> {
  return (await docker.listContainers({ filters: { label: [`io.gureum.project=${project}`], status: ['running'] } })).length;
}

const maxOf = (p: string) => Math.max(...samples.filter((s) => s.phase === p).map((s) => s.rssMiB));
let summary: Record<string, unknown> = {};
let human = '';
try {
  await sleep(IDLE_MS);
  const idle = memoryOf(pid);
  say(`idle after ${IDLE_MS / 1000} s: VmRSS ${idle.rssMiB} MiB`);

  phase = 'deploying';
  const deployStart = performance.now();
  await client.call('createProject', { body: { name: project } });
  await client.call('createApp', { body: busyboxApp(app) });
  for (let first = 0; first < INSTANCES; first += BATCH) {
    const names = Array.from({ length: Math.min(BATCH, INSTANCES - first) }, (_, i) => `i${first + i}`);
    await Promise.all(names.map((name) => client.call('createInstance', { params: { project }, body: { name, app, replicas: REPLICAS } })));
    await waitFor(
      async () => {
        const list = await client.call('listInstances', { params: { project } });
        if (!names.every((n) => list.find((i) => i.name === n)?.phase === 'running')) return false;
        // The engine's word too: a phase is what the reconciler saw last.
        return (await runningReplicas()) >= (first + names.length) * REPLICAS;
      },
      { timeoutMs: 300_000, intervalMs: 1000, what: `instances ${names.join(', ')} to run` },
    );
    engineEvents.assertEngineStayedUp();
    say(`${first + names.length}/${INSTANCES} instances running (${(first + names.length) * REPLICAS} replicas), VmRSS ${memoryOf(pid).rssMiB} MiB`);
  }
  const deployMs = performance.now() - deployStart;
  const running = await runningReplicas();
  const justRunning = memoryOf(pid);

  phase = 'settling';
  const settleFrom = Date.now();
  const settleMs = SETTLE_CYCLES * RESYNC_SECONDS * 1000 + 5000;
  say(`${running} replicas running; waiting ${settleMs / 1000} s (${SETTLE_CYCLES} resync cycles)`);
  await sleep(settleMs);
  const settled = memoryOf(pid);
  engineEvents.assertEngineStayedUp();
  const runningAtEnd = await runningReplicas();
  const foreign = engineEvents.all((e) => e.action === 'destroy' && e.attributes['io.gureum.project'] === project && e.time >= settleFrom).length;
  const list = await client.call('listInstances', { params: { project } });
  const stillRunning = list.filter((i) => i.phase === 'running').length;

  const met = settled.rssMiB <= GOAL_MIB;
  summary = {
    config: { instances: INSTANCES, replicasEach: REPLICAS, batch: BATCH, resyncSeconds: RESYNC_SECONDS, settleSeconds: settleMs / 1000, idleSeconds: IDLE_MS / 1000, image: TEST_IMAGE },
    results: {
      idleRssMiB: idle.rssMiB,
      runningReplicas: running,
      runningReplicasAtEnd: runningAtEnd,
      deploySeconds: round(deployMs / 1000),
      rssWhenAllRunningMiB: justRunning.rssMiB,
      settledRssMiB: settled.rssMiB,
      maxRssWhileSettlingMiB: maxOf('settling'),
      p50RssWhileSettlingMiB: statsOf(samples.filter((x) => x.phase === 'settling').map((x) => x.rssMiB)).p50,
      maxRssWhileDeployingMiB: maxOf('deploying'),
      peakRssMiB: settled.hwmMiB,
      instancesRunningAtEnd: stillRunning,
      containersRemovedByOthersWhileSettling: foreign,
      goal: `settled VmRSS <= ${GOAL_MIB} MiB with ${INSTANCES * REPLICAS} replicas`,
      met,
      samples,
    },
    met,
  };
  human =
    `memory — idle ${idle.rssMiB} MiB; with ${runningAtEnd} replicas: settled ${settled.rssMiB} MiB, max while settling ${maxOf('settling')} MiB, ` +
    `peak (VmHWM) ${settled.hwmMiB} MiB (goal <= ${GOAL_MIB} MiB: ${met ? 'met' : 'MISSED'})`;
} finally {
  clearInterval(sampler);
  phase = 'cleanup';
  say('deleting the project and stopping gureum');
  await client.call('deleteProject', { params: { project }, query: { force: 'true' } }).catch(() => undefined);
  await waitFor(() => client.call('getProject', { params: { project } }).then(() => false, () => true), { timeoutMs: 300_000, intervalMs: 1000, what: 'the project to go' }).catch(() => undefined);
  child.kill('SIGTERM');
  await waitFor(() => child.exitCode !== null || child.signalCode !== null, { timeoutMs: 15_000, what: 'gureum to exit' }).catch(() => child.kill('SIGKILL'));
  engineEvents.close();
  await removeProjects(project);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

report('memory', { machine, ...summary }, human);
