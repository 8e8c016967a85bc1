import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MetricsResult, ReplicaSample } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, tempDir, uniqueName, waitFor, type TestGureum } from '../../server/test/support/harness.js';
import { buildCli, cliEnv, gureum, ok, OnTerminal } from './support.js';

const MiB = 1024 * 1024;
let g: TestGureum;
let env: Record<string, string>;
const project = uniqueName('cli-top');
const app = uniqueName('burner');
const work = tempDir('gureum-cli-top-');

before(async () => {
  buildCli();
  g = await startGureum({ GUREUM_METRICS_INTERVAL_SECONDS: '1' });
  env = cliEnv(undefined, { GUREUM_URL: g.url, GUREUM_TOKEN: g.token, GUREUM_PROJECT: project });
  await ok(env, ['projects', 'create', project]);
  // A quarter-core burner that also holds 24 MiB of tmpfs (memory the kernel cannot reclaim).
  await g.client.call('createApp', {
    body: busyboxApp(app, { command: ['sh', '-c', 'dd if=/dev/zero of=/dev/shm/hog bs=1M count=24 && while :; do :; done'], resources: { cpus: 0.25, memoryBytes: 128 * MiB } }),
  });
  await ok(env, ['run', app, '--name', 'burner', '--replicas', '2', '--wait']);
  await waitFor(async () => (await g.client.call('latestMetrics', { query: { project } })).length === 2, { what: 'a sample of both replicas', timeoutMs: 60_000 });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('gureum top and metrics (real collector, real engine)', () => {
  it('top shows CPU and memory per replica, against their limits', async () => {
    const rows = JSON.parse(await ok(env, ['top', '-o', 'json'])) as ReplicaSample[];
    assert.deepEqual(rows.map((r) => `${r.instance}/${r.component}/${r.replica}`), ['burner/main/0', 'burner/main/1']);
    for (const r of rows) {
      assert.ok(r.cpuCores > 0.05 && r.cpuCores < 0.4, `a quarter core, limited: ${r.cpuCores}`);
      assert.ok(r.memoryBytes >= 24 * MiB, `holds its tmpfs: ${r.memoryBytes}`);
      assert.equal(r.memoryLimitBytes, 128 * MiB);
    }
    const table = await ok(env, ['top', 'burner']);
    assert.match(table, /^INSTANCE\s+REPLICA\s+CPU\s+MEMORY/);
    assert.match(table, /^burner\s+main\/0\s+0\.\d{3} \(\d+%\)\s+[\d.]+MiB \(\d+%\)/m);
  });

  it('top on a terminal refreshes until Ctrl-C, which exits 130', async () => {
    const term = new OnTerminal(env, ['top', '--interval', '1'], path.join(work, 'tty'));
    await term.waitFor(/every 1s, q or Ctrl-C to stop/);
    const first = term.output.length;
    await term.waitFor(/every 1s, q or Ctrl-C to stop/, first);
    assert.ok(term.output.includes('\x1b[H\x1b[2J'), 'the screen is redrawn');
    term.type('\x03');
    assert.equal(await term.exitCode(), 130);
  });

  it('top on a terminal quits on q, exit 0, like top(1)', async () => {
    const term = new OnTerminal(env, ['top', '--interval', '1'], path.join(work, 'tty-q'));
    await term.waitFor(/every 1s, q or Ctrl-C to stop/);
    term.type('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('metrics shows a series as an inline chart, a table, or JSON', async () => {
    const result = JSON.parse(await ok(env, ['metrics', 'burner', '-m', 'memory_bytes', '--from', '-2m', '--group', 'replica', '-o', 'json'])) as MetricsResult;
    assert.equal(result.scope, 'instance');
    assert.deepEqual(result.series.map((s) => s.key).sort(), ['burner/main/0', 'burner/main/1']);
    const chart = await ok(env, ['metrics', 'burner', '--from', '-2m', '--width', '40']);
    assert.match(chart, /^cpu_cores .*burner \(avg, \d+s steps\) {2}last 0\.\d+ cores {2}min .* {2}max .*\n {2}[ ▁▂▃▄▅▆▇█]{1,40} {2}\d\d:\d\d → \d\d:\d\d\n$/);
    const tall = await ok(env, ['metrics', 'burner/main/0', '-m', 'memory_bytes', '--from', '-2m', '--height', '4', '--width', '30']);
    assert.equal(tall.trimEnd().split('\n').length, 6);
    assert.match(tall, /[\u2801-\u28ff]/, 'braille dots drawn');
    const table = await ok(env, ['metrics', 'burner', '-m', 'memory_bytes', '--from', '-1m', '--step', '10s', '--table']);
    assert.match(table, /^TIME\s+MEMORY_BYTES\n(\d\d:\d\d:\d\d\s+([\d.]+MiB|-)\n)+$/);
  });

  it('refuses a bad metric name as a usage error and a bad range with the API code', async () => {
    const bad = await gureum(env, ['metrics', 'burner', '-m', 'joules']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--metric must be one of cpu_cores/);
    const range = await gureum(env, ['metrics', 'burner', '--from', 'yesterday']);
    assert.equal(range.code, 1);
    assert.match(range.stderr, /VALIDATION_FAILED|METRIC_QUERY_INVALID/);
  });
});
