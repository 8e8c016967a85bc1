/**
 * Collection cost: 200 running replicas (tiny busybox `sleep` containers, 16 MiB limit each),
 * sampled by Gureum's collector (cgroup files, rates, one batched write to a real SQLite) and,
 * in the same run, by polling the engine's stats API for the same 200 containers (one-shot
 * stats calls, 8 at a time: the cheapest way to ask the engine). Rounds interleave and swap
 * order. Cost per interval = CPU time of this process (process.cpuUsage) + CPU time of dockerd
 * (/proc/<pid>/stat) during the round. Goals at a 10 s interval: Gureum <= 2 % of one core
 * (200 ms CPU per interval) and >= 10x cheaper than the stats API.
 *
 *   node --import tsx bench/metrics-collect.bench.ts     # BENCH_REPLICAS=200 BENCH_ROUNDS=10
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { pino } from 'pino';
import { MetricsCollector } from '../apps/server/src/domain/monitoring/metrics-collector.js';
import type { InstanceRecord } from '../apps/server/src/domain/core/records.js';
import { DockerDriver } from '../apps/server/src/drivers/docker/docker.driver.js';
import { openDatabase } from '../apps/server/src/store/db.js';
import { MetricsRepository } from '../apps/server/src/store/metrics.repository.js';
import { Store } from '../apps/server/src/store/store.js';
import { tempDir, TEST_IMAGE, uniqueName } from '../apps/server/test/support/harness.js';
import { machineInfo, report, requireImage, round, say, sleep, statsOf } from './support/bench-kit.js';
import { BENCH_LABEL, removeDirect } from './support/direct-engine.js';

const REPLICAS = Math.min(400, Number(process.env.BENCH_REPLICAS ?? 200));
const ROUNDS = Math.min(50, Number(process.env.BENCH_ROUNDS ?? 10));
const INTERVAL_S = 10;
const PER_INSTANCE = 10;
const CREATE_CONCURRENCY = 8;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const docker = new Docker();
await requireImage(TEST_IMAGE, docker);
const machine = await machineInfo(docker);
const runId = uniqueName('mcol');
const dataDir = tempDir('gureum-bench-mcol-');

/** dockerd's CPU time so far, in ms (utime + stime of /proc/<pid>/stat). */
function dockerdCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function measured(fn: () => Promise<unknown>, dockerd: number): Promise<{ selfMs: number; dockerdMs: number; wallMs: number }> {
  const [s0, d0, w0] = [selfCpuMs(), dockerdCpuMs(dockerd), performance.now()];
  await fn();
  return { selfMs: selfCpuMs() - s0, dockerdMs: dockerdCpuMs(dockerd) - d0, wallMs: performance.now() - w0 };
}

const dockerdPid = Number(execFileSync('pgrep', ['-o', '-x', 'dockerd'], { encoding: 'utf8' }).trim());
try {
  say(`creating ${REPLICAS} busybox replicas`);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < REPLICAS) {
        next++;
        const container = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['sleep', '3600'], Labels: { [BENCH_LABEL]: runId }, HostConfig: { Memory: 16 * 1024 * 1024, Init: true } });
        await container.start();
        ids.push(container.id);
      }
    }),
  );

  // The records the collector reads: instances of 10 replicas whose observed replicas are those containers.
  const db = await openDatabase(`sqlite:${path.join(dataDir, 'gureum.db')}`);
  const store = new Store(db);
  const now = new Date().toISOString();
  await store.projects.insert({ name: 'bench', description: '', deleting: false, createdAt: now, quota: {}, policy: {} });
  await store.apps.insert({ name: 'box', project: null, title: 'box', description: '', parameters: [], components: [{ name: 'main', image: TEST_IMAGE, replicas: PER_INSTANCE }], version: 1, createdAt: now, updatedAt: now });
  for (let i = 0; i * PER_INSTANCE < ids.length; i++) {
    const replicas = ids.slice(i * PER_INSTANCE, (i + 1) * PER_INSTANCE).map((containerId, index) => ({
      component: 'main', index, containerId, state: 'running' as const, restartCount: 0, lastExitCode: null, oomKilled: false, health: 'none' as const,
      startedAt: now, node: os.hostname(), ip: null, ports: [], specHash: 'x', current: true,
    }));
    const record: InstanceRecord = {
      id: `${runId}-${i}`, project: 'bench', name: `i${i}`, app: 'box', appVersion: 1, parameters: {}, replicasOverride: null, env: {},
      components: [{ name: 'main', image: TEST_IMAGE, env: {}, ports: [], replicas: PER_INSTANCE, volumes: [] }],
      desiredState: 'running', deleting: false, generation: 1, restartNonce: 0, phase: 'running', reason: null, replicas, observedAt: now, observedGeneration: 1, createdAt: now, updatedAt: now,
    };
    await store.instances.insert(record);
  }
  const repo = new MetricsRepository(db);
  const collector = new MetricsCollector({
    runtime: new DockerDriver(), store, repo, log: pino({ level: 'silent' }), intervalMs: INTERVAL_S * 1000,
    retention: { rawSeconds: 86_400, minuteSeconds: 7 * 86_400, hourSeconds: 90 * 86_400 }, diskPaths: [dataDir],
  });
  const statsApi = new DockerDriver({ metricsSource: 'engine' });

  say('warming up (locating every container once; one stats poll)');
  await collector.collect();
  await statsApi.sampleReplicas(ids);
  const gureum: { selfMs: number; dockerdMs: number; wallMs: number }[] = [];
  const engine: typeof gureum = [];
  let sampledByGureum = 0;
  let sampledByEngine = 0;
  for (let round_ = 0; round_ < ROUNDS; round_++) {
    const order = round_ % 2 === 0 ? ['gureum', 'engine'] : ['engine', 'gureum'];
    for (const which of order) {
      await sleep(1500); // let the previous round's work on dockerd drain
      if (which === 'gureum') {
        gureum.push(await measured(() => collector.collect(), dockerdPid));
        sampledByGureum = collector.latestReplicas.length;
      } else {
        engine.push(await measured(async () => (sampledByEngine = (await statsApi.sampleReplicas(ids)).length), dockerdPid));
      }
    }
    say(`round ${round_ + 1}/${ROUNDS}: gureum ${round(gureum.at(-1)!.selfMs + gureum.at(-1)!.dockerdMs)} ms CPU, stats API ${round(engine.at(-1)!.selfMs + engine.at(-1)!.dockerdMs)} ms CPU`);
  }
  const total = (xs: typeof gureum) => xs.map((x) => x.selfMs + x.dockerdMs);
  const g = statsOf(total(gureum));
  const e = statsOf(total(engine));
  const shareOfCore = round((g.p50 / (INTERVAL_S * 1000)) * 100, 2);
  const ratio = round(e.p50 / g.p50);
  report(
    'metrics-collect',
    {
      machine,
      replicas: REPLICAS,
      sampled: { gureum: sampledByGureum, statsApi: sampledByEngine },
      intervalSeconds: INTERVAL_S,
      gureumCpuMs: g,
      gureumSelfCpuMs: statsOf(gureum.map((x) => x.selfMs)),
      gureumDockerdCpuMs: statsOf(gureum.map((x) => x.dockerdMs)),
      gureumWallMs: statsOf(gureum.map((x) => x.wallMs)),
      statsApiCpuMs: e,
      statsApiSelfCpuMs: statsOf(engine.map((x) => x.selfMs)),
      statsApiDockerdCpuMs: statsOf(engine.map((x) => x.dockerdMs)),
      statsApiWallMs: statsOf(engine.map((x) => x.wallMs)),
      gureumShareOfOneCorePercent: shareOfCore,
      ratioP50: ratio,
      goals: { shareOfOneCorePercent: 2, ratio: 10 },
      rounds: { gureum, engine },
    },
    `metrics-collect: ${REPLICAS} replicas, Gureum p50 ${g.p50} ms CPU per collection (${shareOfCore} % of a core at ${INTERVAL_S} s; goal <= 2 %) vs stats API p50 ${e.p50} ms: ${ratio}x cheaper (goal >= 10x)`,
  );
  await collector.stop();
  await store.close();
} finally {
  say('removing the containers');
  await removeDirect(docker, runId);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
