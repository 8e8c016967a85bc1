/**
 * Image upload: what checking an upload before the engine sees it costs. A 100 MiB image
 * (random bytes: nothing compresses) saved as a `docker save` tarball, plain and gzip, loaded
 * through `POST /api/v1/images/load` (written to a file, read once for its expanded size,
 * expansion ratio and layers, then streamed to the engine) against the same tarball loaded
 * straight into the engine's load API (dockerode `loadImage`) in the same run. Rounds
 * interleave and swap their order; the image is removed after each load. Goal: the checked
 * upload takes at most 1.5× the direct load.
 *
 *   node --import tsx bench/image-load.bench.ts        # BENCH_ROUNDS=5 BENCH_MIB=100
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { startGureum, tempDir, uniqueName, type TestGureum } from '../apps/server/test/support/harness.js';
import { machineInfo, report, round, say, statsOf, type Stats } from './support/bench-kit.js';

const run = promisify(execFile);
const ROUNDS = Math.min(20, Number(process.env.BENCH_ROUNDS ?? 5));
const MIB = Math.min(1024, Number(process.env.BENCH_MIB ?? 100));
const GOAL_RATIO = 1.5;

const docker = new Docker();
const machine = await machineInfo(docker);
const work = tempDir('gureum-bench-image-load-');
const ref = `gureum-bench-load/${uniqueName('img')}:1`;

async function makeTarballs(): Promise<{ plain: string; gzip: string }> {
  const rootfs = path.join(work, 'rootfs');
  fs.mkdirSync(rootfs);
  await run('sh', ['-c', `head -c ${MIB * 1024 * 1024} /dev/urandom > "${rootfs}/blob" && tar -C "${rootfs}" -cf "${work}/rootfs.tar" . && rm -r "${rootfs}"`]);
  await run('docker', ['import', path.join(work, 'rootfs.tar'), ref]);
  fs.rmSync(path.join(work, 'rootfs.tar'));
  const plain = path.join(work, 'image.tar');
  const gzip = `${plain}.gz`;
  await run('docker', ['save', '-o', plain, ref]);
  await run('sh', ['-c', `gzip -1 -c "${plain}" > "${gzip}"`]);
  await removeImage();
  return { plain, gzip };
}

async function removeImage(): Promise<void> {
  await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
}

async function throughGureum(g: TestGureum, file: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${g.url}/api/v1/images/load`, { method: 'POST', headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/x-tar' }, body: fs.createReadStream(file) as unknown as BodyInit, duplex: 'half' } as RequestInit);
  const text = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok || text.includes('"status":"error"')) throw new Error(`load answered ${res.status}: ${text.slice(0, 300)}`);
  return ms;
}

async function direct(file: string): Promise<number> {
  const t0 = performance.now();
  const stream = await docker.loadImage(fs.createReadStream(file), { quiet: true });
  await new Promise<void>((resolve, reject) => {
    stream.on('data', () => undefined);
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  const ms = performance.now() - t0;
  await docker.getImage(ref).inspect();
  return ms;
}

let g: TestGureum | undefined;
let summary: Record<string, unknown> = {};
let human = 'image-load: did not finish';
try {
  const files = await makeTarballs();
  g = await startGureum();
  const results: Record<string, { gureum: Stats; direct: Stats; ratioP50: number }> = {};
  for (const [kind, file] of Object.entries(files)) {
    const ours: number[] = [];
    const theirs: number[] = [];
    // One untimed load of each first.
    await throughGureum(g, file);
    await removeImage();
    await direct(file);
    await removeImage();
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? ['gureum', 'direct'] : ['direct', 'gureum'];
      for (const who of order) {
        const ms = who === 'gureum' ? await throughGureum(g, file) : await direct(file);
        (who === 'gureum' ? ours : theirs).push(ms);
        await removeImage();
      }
      say(`${kind} round ${i + 1}/${ROUNDS}: gureum ${round(ours.at(-1)!)} ms, direct ${round(theirs.at(-1)!)} ms`);
    }
    const gureum = statsOf(ours);
    const straight = statsOf(theirs);
    results[kind] = { gureum, direct: straight, ratioP50: round(gureum.p50 / straight.p50, 2) };
  }
  const sizes = { plainBytes: fs.statSync(files.plain).size, gzipBytes: fs.statSync(files.gzip).size };
  const met = Object.values(results).every((r) => r.ratioP50 <= GOAL_RATIO);
  summary = { config: { rounds: ROUNDS, mib: MIB, ...sizes }, results, goal: `p50 ratio <= ${GOAL_RATIO}`, met };
  human = `image-load — ${MIB} MiB image: plain p50 ${results.plain!.gureum.p50} ms vs direct ${results.plain!.direct.p50} ms (${results.plain!.ratioP50}×), gzip p50 ${results.gzip!.gureum.p50} ms vs ${results.gzip!.direct.p50} ms (${results.gzip!.ratioP50}×) (goal <= ${GOAL_RATIO}×: ${met ? 'met' : 'MISSED'})`;
} finally {
  await g?.stop();
  await removeImage();
  fs.rmSync(work, { recursive: true, force: true });
}

report('image-load', { machine, ...summary }, human);
