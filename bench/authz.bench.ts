/**
 * Authorization cost: GET /api/v1/projects/:project/instances answering 500 instances, as a
 * member of 50 projects against the same request as the administrator, interleaved in one
 * run (alternating which goes first). The member's request pays for its memberships (loaded
 * per request) and the role check; the admin's skips the role lookup. Goal: member p99 within
 * 10 % of admin p99.
 *
 * Gureum runs in this process (startGureum of the test harness: real SQLite, real engine).
 * The instances are created through the API with replicas 0 (no containers); the reconciler
 * is quiet (resync 1 h, queue idle) while measuring.
 *
 *   node --import tsx bench/authz.bench.ts      # BENCH_INSTANCES=500 BENCH_PROJECTS=50 BENCH_REQUESTS=500
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyboxApp, removeProjects, startGureum, tempDir, uniqueName } from '../apps/server/test/support/harness.js';
import { callRoute, createUser } from '../apps/server/test/identity/identity-kit.js';
import { round, say, statsOf } from './support/bench-kit.js';

const INSTANCES = Math.min(2000, Number(process.env.BENCH_INSTANCES ?? 500));
const PROJECTS = Math.min(500, Number(process.env.BENCH_PROJECTS ?? 50));
const REQUESTS = Math.min(5000, Number(process.env.BENCH_REQUESTS ?? 500));
const WARMUP = 50;
const CREATE_CONCURRENCY = 8;
const GOAL_RATIO = 1.1;

const dataDir = tempDir('gureum-bench-authz-');
const projects = Array.from({ length: PROJECTS }, (_, i) => `${uniqueName('bz')}-${i}`);
const target = projects[0]!;
const app = uniqueName('bench-authz');
const g = await startGureum({ GUREUM_RESYNC_SECONDS: '3600' }, dataDir);
let summary: Record<string, unknown> = {};
let human = '';
try {
  const member = await createUser(g, 'bench-member');
  await g.client.call('createApp', { body: busyboxApp(app) });
  for (const project of projects) {
    await g.client.call('createProject', { body: { name: project } });
    await g.client.call('putMember', { params: { project, user: member.name }, body: { role: 'member' } });
  }
  say(`${PROJECTS} projects with the member in each; creating ${INSTANCES} instances (replicas 0) in ${target}`);
  for (let first = 0; first < INSTANCES; first += CREATE_CONCURRENCY) {
    const names = Array.from({ length: Math.min(CREATE_CONCURRENCY, INSTANCES - first) }, (_, i) => `inst-${String(first + i).padStart(4, '0')}`);
    await Promise.all(names.map((name) => g.client.call('createInstance', { params: { project: target }, body: { name, app, replicas: 0 } })));
  }
  await g.gureum.reconciler.idle();

  const who = { member: member.token, admin: g.token };
  const timed = async (token: string): Promise<{ ms: number; bytes: number; count: number }> => {
    const t0 = performance.now();
    const r = await callRoute(g, 'listInstances', { token, params: { project: target } });
    const ms = performance.now() - t0;
    if (r.status !== 200) throw new Error(`list answered ${r.status}`);
    return { ms, bytes: JSON.stringify(r.body).length, count: (r.body as unknown[]).length };
  };
  const check = await timed(who.member);
  if (check.count !== INSTANCES) throw new Error(`the member sees ${check.count} instances, not ${INSTANCES}`);
  for (let i = 0; i < WARMUP; i++) for (const token of [who.member, who.admin]) await timed(token);
  say(`measuring ${REQUESTS} requests each, interleaved`);
  const samples = { member: [] as number[], admin: [] as number[] };
  for (let i = 0; i < REQUESTS; i++) {
    const order: ('member' | 'admin')[] = i % 2 === 0 ? ['member', 'admin'] : ['admin', 'member'];
    for (const kind of order) samples[kind].push((await timed(who[kind])).ms);
  }
  const member50 = statsOf(samples.member);
  const admin = statsOf(samples.admin);
  const ratioP99 = round(member50.p99 / admin.p99, 3);
  const ratioP50 = round(member50.p50 / admin.p50, 3);
  const met = ratioP99 <= GOAL_RATIO;
  summary = {
    config: { instances: INSTANCES, memberOfProjects: PROJECTS, requests: REQUESTS, warmup: WARMUP, bytes: check.bytes, transport: 'HTTP/1.1 on loopback, node:http client, sequential' },
    results: { member: member50, admin, ratioP50, ratioP99, goal: `member p99 <= ${GOAL_RATIO} x admin p99`, met },
    met,
  };
  human =
    `authz — GET list of ${INSTANCES} instances (${Math.round(check.bytes / 1024)} KiB): member of ${PROJECTS} projects p50 ${member50.p50} / p99 ${member50.p99} ms, ` +
    `admin p50 ${admin.p50} / p99 ${admin.p99} ms; ratio p99 ${ratioP99} (goal <= ${GOAL_RATIO}: ${met ? 'met' : 'MISSED'})`;
} finally {
  await g.stop();
  await removeProjects(...projects);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const machine = { nproc: os.availableParallelism(), memoryGiB: round(os.totalmem() / 1024 ** 3), kernel: os.release(), node: process.version, cpuModel: os.cpus()[0]?.model ?? 'unknown', loadavg1: round(os.loadavg()[0] ?? 0, 2) };
const full = { benchmark: 'authz', date: new Date().toISOString(), machine, ...summary };
const results = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
fs.mkdirSync(results, { recursive: true });
fs.writeFileSync(path.join(results, 'authz.json'), JSON.stringify(full, null, 2) + '\n');
console.log(JSON.stringify(full, null, 2));
console.log(`\n${human}`);
