import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricsBundle, MetricsResult } from '@gureum/contract';
import { formatValue } from '../ui/format.js';
import { bundleSeries, extentOf, INSTANCE_CHARTS, labelledTicks, lastValue, linePath, niceTicks, rangeQuery, seriesByInstance } from './chart-data.js';

const T = 1_700_000_000_000;
const bundle: MetricsBundle = {
  from: T,
  to: T + 120_000,
  step: 60,
  resolution: 'raw',
  metrics: {
    cpu_cores: { unit: 'cores', points: [[T, 0.5], [T + 60_000, null], [T + 120_000, 1.5]] },
    memory_bytes: { unit: 'bytes', points: [[T, 100], [T + 60_000, 200], [T + 120_000, 300]] },
    memory_limit_bytes: { unit: 'bytes', points: [[T, null], [T + 60_000, null], [T + 120_000, null]] },
  },
};

describe('chart data', () => {
  it('takes a chart’s series from a bundle and leaves out metrics without a single sample', () => {
    const memory = INSTANCE_CHARTS.find((c) => c.title === 'Memory')!;
    const { unit, series } = bundleSeries(bundle, memory.metrics);
    assert.equal(unit, 'bytes');
    assert.deepEqual(series.map((s) => s.label), ['used']);
    const network = INSTANCE_CHARTS.find((c) => c.title === 'Network')!;
    assert.deepEqual(bundleSeries(bundle, network.metrics).series, []);
  });

  it('breaks the line at a missing sample instead of drawing it to zero', () => {
    const extent = extentOf([{ label: 'cpu', points: bundle.metrics.cpu_cores!.points }])!;
    assert.deepEqual(extent, { t0: T, t1: T + 120_000, min: 0, max: 1.5 });
    const d = linePath(bundle.metrics.cpu_cores!.points, extent, 100, 50);
    assert.equal(d, 'M0.0,33.3M100.0,0.0');
  });

  it('has no extent when nothing was sampled (the chart shows its empty state)', () => {
    assert.equal(extentOf([{ label: 'x', points: [[T, null]] }]), null);
    assert.equal(extentOf([]), null);
  });

  it('keeps a flat line inside the box', () => {
    const extent = extentOf([{ label: 'x', points: [[T, 0], [T + 1000, 0]] }])!;
    assert.equal(extent.max, 1);
    assert.equal(linePath([[T, 0], [T + 1000, 0]], extent, 10, 10), 'M0.0,10.0L10.0,10.0');
  });

  it('picks round ticks', () => {
    assert.deepEqual(niceTicks(0, 1.5), [0, 0.5, 1, 1.5]);
    assert.deepEqual(niceTicks(0, 1000), [0, 500, 1000]);
    assert.deepEqual(niceTicks(0, 1000, 5), [0, 200, 400, 600, 800, 1000]);
  });

  it('never writes one label twice on an axis: fewer ticks when two would read the same', () => {
    const cores = (v: number) => formatValue(v, 'cores');
    const labels = labelledTicks(0, 0.003, cores).map((t) => t.label);
    assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
    const bytes = labelledTicks(1_048_576, 1_049_600, (v) => formatValue(v, 'bytes')).map((t) => t.label);
    assert.equal(new Set(bytes).size, bytes.length, bytes.join(' | '));
    assert.deepEqual(labelledTicks(0, 1.5, String).map((t) => t.label), ['0', '0.5', '1', '1.5'], 'distinct labels keep every tick');
  });

  it('reads the latest value that is not missing', () => {
    assert.equal(lastValue([[T, 1], [T + 1, null]]), 1);
    assert.equal(lastValue([]), null);
  });

  it('splits a project query by instance', () => {
    const result: MetricsResult = {
      metric: 'cpu_cores', unit: 'cores', scope: 'project', id: 'lab', agg: 'sum', from: T, to: T + 1, step: 10, resolution: 'raw',
      series: [
        { key: 'lab/web', labels: {}, points: [[T, 1]] },
        { key: 'x', labels: { instance: 'db' }, points: [[T, 2]] },
      ],
    };
    const by = seriesByInstance(result);
    assert.deepEqual([...by.keys()], ['web', 'db']);
  });

  it('turns ranges into API queries', () => {
    assert.deepEqual(rangeQuery('live'), { query: { from: '-15m' }, refreshMs: 5000 });
    assert.equal(rangeQuery('7d').query.from, '-7d');
    const custom = rangeQuery('custom', { from: '2026-01-01T10:00', to: '2026-01-01T12:00' });
    assert.match(custom.query.from, /^2026-01-01T\d\d:00:00.000Z$/);
    assert.equal(custom.refreshMs, undefined);
  });
});
