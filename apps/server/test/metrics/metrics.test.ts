/**
 * Metrics against the real engine: a CPU burner pinned to half a core and a memory hog of a
 * known size, measured by Gureum's collector (cgroup files) and checked against the kernel's
 * own accounting as the engine reports it, through the query API and its shortcuts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, type MetricsQuery } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { containerOf, engineReading, mean, MiB, valuesOf } from './support.js';

let g: TestGureum;
const project = uniqueName('met');
const burnerApp = uniqueName('burner');
const hogApp = uniqueName('hog');
const HOG_MIB = 48;
let burner: string;
let hog: string;

const query = (q: Partial<MetricsQuery> & Pick<MetricsQuery, 'metric' | 'scope' | 'id'>) => g.client.call('queryMetrics', { query: q });

async function refused(promise: Promise<unknown>, status: number, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.status, status);
    if (message) assert.match(err.message, message);
    return true;
  });
}

before(async () => {
  g = await startGureum({ GUREUM_METRICS_INTERVAL_SECONDS: '1' });
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(burnerApp, { command: ['sh', '-c', 'while :; do :; done'], resources: { cpus: 0.5 } }) });
  // A tmpfs file is memory the kernel cannot reclaim: it stays in the working set.
  await g.client.call('createApp', { body: busyboxApp(hogApp, { command: ['sh', '-c', `dd if=/dev/zero of=/dev/shm/hog bs=1M count=${HOG_MIB} && exec sleep 3600`], resources: { memoryBytes: 256 * MiB } }) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'burner', app: burnerApp } });
  await g.client.call('createInstance', { params: { project }, body: { name: 'hog', app: hogApp } });
  burner = await waitFor(() => containerOf(g.client, project, 'burner'), { what: 'the burner to run', timeoutMs: 60_000 });
  hog = await waitFor(() => containerOf(g.client, project, 'hog'), { what: 'the hog to run', timeoutMs: 60_000 });
  // Both have a rate (two samples) in the latest figures.
  await waitFor(async () => (await g.client.call('latestMetrics', { query: { project } })).length === 2, { what: 'two latest samples', timeoutMs: 30_000 });
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

describe('replica metrics (real engine, real burner and hog)', () => {
  it('measures the burner at its half-core limit, as the kernel counts it', async () => {
    const first = await engineReading(burner);
    await new Promise((r) => setTimeout(r, 8000));
    const last = await engineReading(burner);
    const kernel = (last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000);
    // Samples taken after the first reading cover the same stretch of time.
    const result = await query({ metric: 'cpu_cores', scope: 'replica', id: `${project}/burner/main/0`, from: String(first.at + 1000), to: String(last.at), step: '1s' });
    assert.equal(result.resolution, 'raw');
    assert.equal(result.unit, 'cores');
    const measured = mean(valuesOf(result));
    assert.ok(valuesOf(result).length >= 5, `points: ${JSON.stringify(result.series)}`);
    assert.ok(Math.abs(measured - kernel) < 0.08, `Gureum says ${measured.toFixed(3)} cores, the kernel ${kernel.toFixed(3)}`);
    // The limit bites (on a busy machine the burner may get less, never more).
    assert.ok(measured <= 0.56 && measured >= 0.2, `measured ${measured}`);
  });

  it('measures the hog’s working set, its tmpfs file included, and its limit', async () => {
    const kernel = await engineReading(hog);
    const result = await query({ metric: 'memory_bytes', scope: 'instance', id: `${project}/hog`, from: '-5s' });
    const measured = valuesOf(result).at(-1)!;
    assert.ok(measured >= HOG_MIB * MiB && measured < (HOG_MIB + 16) * MiB, `working set ${measured / MiB} MiB`);
    assert.ok(Math.abs(measured - kernel.workingSet) < 4 * MiB, `Gureum ${measured / MiB} MiB, kernel ${kernel.workingSet / MiB} MiB`);
    const limit = await query({ metric: 'memory_limit_bytes', scope: 'replica', id: `${project}/hog/main/0`, from: '-5s' });
    assert.equal(valuesOf(limit).at(-1), 256 * MiB);
  });

  it('gives the latest sample of every replica the caller can see', async () => {
    const latest = await g.client.call('latestMetrics', { query: { project } });
    const b = latest.find((s) => s.instance === 'burner')!;
    const h = latest.find((s) => s.instance === 'hog')!;
    assert.equal(b.cpuLimitCores, 0.5);
    assert.ok(b.cpuCores > 0.2, `burner ${b.cpuCores}`);
    assert.ok(h.cpuCores < 0.1, `hog ${h.cpuCores}`);
    assert.ok(h.memoryBytes >= HOG_MIB * MiB);
    assert.equal(b.memoryLimitBytes, null);
    assert.equal(b.restarts, 0);
    assert.ok(b.node.length > 0);
    const one = await g.client.call('latestMetrics', { query: { project, instance: 'hog' } });
    assert.deepEqual(one.map((s) => s.instance), ['hog']);
  });

  it('combines and groups replicas of a project', async () => {
    const summed = await query({ metric: 'memory_bytes', scope: 'project', id: project, from: '-10s', agg: 'sum', group: 'none' });
    assert.equal(summed.series.length, 1);
    assert.equal(summed.series[0]!.key, 'all');
    assert.deepEqual(summed.series[0]!.labels, { project });
    const grouped = await query({ metric: 'memory_bytes', scope: 'project', id: project, from: '-10s', group: 'instance' });
    assert.deepEqual(grouped.series.map((s) => s.key).sort(), ['burner', 'hog']);
    const hogSeries = grouped.series.find((s) => s.key === 'hog')!;
    assert.deepEqual(hogSeries.labels, { project, instance: 'hog' });
    // The project's sum at the last complete step is the two instances' figures added.
    const at = (points: [number, number | null][], t: number) => points.find(([time]) => time === t)?.[1] ?? null;
    const t = summed.series[0]!.points.filter(([, v]) => v !== null).at(-2)![0];
    const parts = grouped.series.map((s) => at(s.points, t));
    assert.ok(parts.every((v) => v !== null));
    assert.ok(Math.abs(at(summed.series[0]!.points, t)! - (parts[0]! + parts[1]!)) < 1);
    const max = await query({ metric: 'memory_bytes', scope: 'project', id: project, from: '-10s', agg: 'max' });
    assert.ok(Math.abs(at(max.series[0]!.points, t)! - Math.max(parts[0]!, parts[1]!)) < 1);
  });

  it('answers the instance and node shortcuts', async () => {
    const bundle = await g.client.call('instanceMetrics', { params: { project, instance: 'burner' }, query: { from: '-30s' } });
    assert.deepEqual(Object.keys(bundle.metrics).sort(), ['blk_read_bps', 'blk_write_bps', 'cpu_cores', 'memory_bytes', 'memory_limit_bytes', 'net_rx_bps', 'net_tx_bps', 'restarts']);
    assert.equal(bundle.metrics.cpu_cores!.unit, 'cores');
    assert.ok(bundle.metrics.cpu_cores!.points.some(([, v]) => v !== null && v > 0.2));
    const some = await g.client.call('instanceMetrics', { params: { project, instance: 'burner' }, query: { from: '-30s', metrics: 'cpu_cores,restarts' } });
    assert.deepEqual(Object.keys(some.metrics).sort(), ['cpu_cores', 'restarts']);

    const [node] = await g.client.call('listNodes', {});
    const nodeBundle = await g.client.call('nodeMetrics', { params: { node: node!.name }, query: { from: '-30s' } });
    const last = (name: string) => nodeBundle.metrics[name]!.points.filter(([, v]) => v !== null).at(-1)?.[1];
    assert.equal(last('node_cpus'), node!.cpus);
    assert.ok(last('node_memory_total_bytes')! > 0 && last('node_memory_bytes')! > 0);
    assert.ok(last('node_memory_total_bytes')! >= last('node_memory_bytes')!);
    assert.ok(last('node_disk_total_bytes')! >= last('node_disk_used_bytes')! && last('node_disk_used_bytes')! > 0);
    // At least the burner's half core is busy on the node.
    assert.ok(last('node_cpu_cores')! > 0.3, `node cpu ${last('node_cpu_cores')}`);
    const latestNodes = await g.client.call('latestNodeMetrics', {});
    assert.equal(latestNodes[0]?.node, node!.name);
    const viaQuery = await query({ metric: 'node_load1', scope: 'node', id: node!.name, from: '-30s' });
    assert.equal(viaQuery.unit, 'load');
    assert.ok(valuesOf(viaQuery).length > 0);
  });

  it('refuses bad queries with METRIC_QUERY_INVALID and a message, and unknown objects as not found', async () => {
    const [node] = await g.client.call('listNodes', {});
    await refused(query({ metric: 'cpu_cores', scope: 'node', id: node!.name }), 400, 'METRIC_QUERY_INVALID', /replica metric/);
    await refused(query({ metric: 'node_load1', scope: 'project', id: project }), 400, 'METRIC_QUERY_INVALID', /scope=node/);
    await refused(query({ metric: 'cpu_cores', scope: 'instance', id: project }), 400, 'METRIC_QUERY_INVALID', /project\/instance/);
    await refused(query({ metric: 'cpu_cores', scope: 'replica', id: `${project}/burner/main/x` }), 400, 'METRIC_QUERY_INVALID', /index/);
    await refused(query({ metric: 'cpu_cores', scope: 'project', id: project, from: '-1h', to: '-2h' }), 400, 'METRIC_QUERY_INVALID', /before/);
    await refused(query({ metric: 'cpu_cores', scope: 'project', id: project, from: '-7d', step: '1s' }), 400, 'METRIC_QUERY_INVALID', /at most 11000/);
    assert.equal((await query({ metric: 'cpu_cores', scope: 'instance', id: `${project}/burner`, group: 'instance' })).series.length, 1);
    await refused(query({ metric: 'cpu_cores', scope: 'component', id: `${project}/burner/main`, group: 'instance' }), 400, 'METRIC_QUERY_INVALID', /grouped/);
    await refused(g.client.call('instanceMetrics', { params: { project, instance: 'burner' }, query: { metrics: 'cpu_cores,node_load1' } }), 400, 'METRIC_QUERY_INVALID', /node_load1/);
    await refused(g.client.call('latestMetrics', { query: { instance: 'burner' } }), 400, 'METRIC_QUERY_INVALID', /project/);
    await refused(query({ metric: 'cpu_cores', scope: 'component', id: `${project}/burner/nope` }), 404, 'COMPONENT_NOT_FOUND');
    await refused(query({ metric: 'cpu_cores', scope: 'instance', id: `${project}/nope` }), 404, 'INSTANCE_NOT_FOUND');
    await refused(query({ metric: 'cpu_cores', scope: 'project', id: 'no-such-project' }), 404, 'PROJECT_NOT_FOUND');
    await refused(query({ metric: 'node_load1', scope: 'node', id: 'no-such-node' }), 404, 'NODE_NOT_FOUND');
    await refused(g.client.call('nodeMetrics', { params: { node: 'no-such-node' }, query: {} }), 404, 'NODE_NOT_FOUND');
  });
});
