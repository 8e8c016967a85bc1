/**
 * /metrics in the Prometheus text format: checked by promtool and scraped by a real
 * Prometheus (Debian's prometheus package; scripts/ensure-test-tools.sh installs it) on
 * loopback, with its own data dir, killed afterwards.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, freePort, removeProjects, startGureum, tempDir, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { addMember, createUser } from '../identity/identity-kit.js';

let g: TestGureum;
const project = uniqueName('prom');
const hidden = uniqueName('prom-h');
const app = uniqueName('prom-app');
let prometheus: ChildProcess | undefined;

async function scrape(token: string | undefined): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${g.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** promtool's verdict on an exposition: exit code and what it printed. */
function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }));
    child.stdin?.end(text);
  });
}

before(async () => {
  g = await startGureum({ GUREUM_METRICS_INTERVAL_SECONDS: '1' });
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createProject', { body: { name: hidden } });
  await g.client.call('createApp', { body: busyboxApp(app) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'web', app } });
  await g.client.call('createInstance', { params: { project: hidden }, body: { name: 'secret', app } });
  await waitFor(async () => (await g.client.call('latestMetrics', {})).length === 2, { what: 'both replicas sampled', timeoutMs: 60_000 });
});

after(async () => {
  prometheus?.kill('SIGKILL');
  await g?.stop();
  await removeProjects(project, hidden);
});

describe('/metrics (Prometheus exposition)', () => {
  it('needs a token', async () => {
    const anonymous = await scrape(undefined);
    assert.equal(anonymous.status, 401);
    assert.equal((JSON.parse(anonymous.text) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    assert.equal((await scrape('not-a-token')).status, 401);
  });

  it('passes promtool check metrics, with control-plane, replica and node metrics', async () => {
    await g.client.call('listProjects', {}); // at least one request counted under its route
    const { status, type, text } = await scrape(g.token);
    assert.equal(status, 200);
    assert.match(type ?? '', /^text\/plain; version=0\.0\.4/);
    const check = await promtoolCheck(text);
    assert.equal(check.code, 0, `promtool: ${check.output}`);
    assert.equal(check.output.trim(), '', 'no lint findings either');
    assert.match(text, /^gureum_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/projects",status="200"\} [1-9]/m);
    assert.match(text, /^gureum_reconcile_duration_seconds_count [1-9]/m);
    assert.match(text, /^gureum_work_queue_depth \d+$/m);
    assert.match(text, /^gureum_metrics_collection_duration_seconds_count [1-9]/m);
    assert.match(text, new RegExp(`^gureum_replica_cpu_cores\\{project="${project}",instance="web",component="main",replica="0",node="[^"]+"\\} [0-9.e-]+$`, 'm'));
    assert.match(text, new RegExp(`^gureum_replica_memory_bytes\\{project="${project}",instance="web",.*\\} [1-9]`, 'm'));
    assert.match(text, /^gureum_node_memory_total_bytes\{node="[^"]+"\} [1-9]/m);
  });

  it('shows a user only the replicas of projects they may see', async () => {
    const viewer = await createUser(g, uniqueName('pv'));
    await addMember(g, project, viewer.name, 'viewer');
    const { text } = await scrape(viewer.token);
    assert.match(text, new RegExp(`project="${project}"`));
    assert.ok(!text.includes(hidden), 'another project stays hidden');
    assert.match(text, /^gureum_node_cpus\{node="[^"]+"\} [1-9]/m);
    assert.ok((await scrape(g.token)).text.includes(hidden), 'the administrator sees every project');
  });

  it('is scraped by a real Prometheus, which then answers the replica series', async () => {
    const port = await freePort();
    const dir = tempDir('gureum-prometheus-');
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, g.token, { mode: 0o600 });
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: gureum',
        '    metrics_path: /metrics',
        // Gureum's `instance` label is the instance's name, not the scrape target's.
        '    honor_labels: true',
        '    authorization:',
        `      credentials_file: ${tokenFile}`,
        '    static_configs:',
        `      - targets: ['${new URL(g.url).host}']`,
        '',
      ].join('\n'),
    );
    prometheus = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    const api = `http://127.0.0.1:${port}/api/v1`;
    const series = await waitFor(
      async () => {
        const response = await fetch(`${api}/query?query=${encodeURIComponent(`gureum_replica_cpu_cores{project="${project}"}`)}`);
        const body = (await response.json()) as { data?: { result?: { metric: Record<string, string>; value: [number, string] }[] } };
        const result = body.data?.result ?? [];
        return result.length > 0 ? result : undefined;
      },
      { what: 'Prometheus to scrape a replica series', timeoutMs: 60_000, intervalMs: 500 },
    );
    assert.equal(series[0]!.metric.instance, 'web');
    assert.equal(series[0]!.metric.component, 'main');
    assert.equal(series[0]!.metric.job, 'gureum');
    const targets = (await (await fetch(`${api}/targets`)).json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
    assert.equal(targets.data.activeTargets[0]?.health, 'up', targets.data.activeTargets[0]?.lastError);
    prometheus.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
