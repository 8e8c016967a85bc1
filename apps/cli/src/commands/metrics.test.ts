import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricsResult, ReplicaSample } from '@gureum/contract';
import { renderMetricsChart, renderMetricsTable, scopeOf } from './metrics.js';
import { renderTop } from './top.js';

const t0 = Date.UTC(2025, 0, 1, 9, 0, 0);
const sample: MetricsResult = {
  metric: 'memory_bytes',
  unit: 'bytes',
  scope: 'instance',
  id: 'lab/box',
  agg: 'avg',
  from: t0,
  to: t0 + 120_000,
  step: 30,
  resolution: 'raw',
  series: [
    { key: 'lab/box/main/0', labels: {}, points: [[t0, 1048576], [t0 + 30_000, 2097152], [t0 + 60_000, null], [t0 + 90_000, 4194304]] },
    { key: 'lab/box/main/1', labels: {}, points: [[t0, 1048576], [t0 + 30_000, 1048576], [t0 + 60_000, 1048576], [t0 + 90_000, 1048576]] },
  ],
};

describe('metrics and top rendering (sample data: the server side lands on the monitoring branch)', () => {
  it('maps a target to a query scope', () => {
    const project = () => 'lab';
    assert.deepEqual(scopeOf(undefined, undefined, project), { scope: 'project', id: 'lab' });
    assert.deepEqual(scopeOf('box', undefined, project), { scope: 'instance', id: 'lab/box' });
    assert.deepEqual(scopeOf('box/web', undefined, project), { scope: 'component', id: 'lab/box/web' });
    assert.deepEqual(scopeOf('box/web/2', undefined, project), { scope: 'replica', id: 'lab/box/web/2' });
    assert.deepEqual(scopeOf(undefined, 'node1', project), { scope: 'node', id: 'node1' });
    assert.throws(() => scopeOf('a/b/c/d', undefined, project), /is not INSTANCE/);
    assert.throws(() => scopeOf('box', 'node1', project), /not both/);
  });

  it('charts each series on one line with its last, min and max', () => {
    const text = renderMetricsChart(sample, { width: 4, height: 1 });
    const lines = text.split('\n');
    assert.match(lines[0]!, /^memory_bytes lab\/box\/main\/0 \(avg, 30s steps\) {2}last 4\.0MiB {2}min 1\.0MiB {2}max 4\.0MiB$/);
    assert.match(lines[1]!, /^ {2}▃▅ █ {2}/, '1, 2, (gap), 4 MiB on a 0-4 MiB range');
    assert.match(text, /memory_bytes lab\/box\/main\/1 .* last 1\.0MiB/);
    assert.match(renderMetricsChart({ ...sample, series: [] }, { width: 4, height: 1 }), /no data between/);
  });

  it('tabulates the points with one column per series', () => {
    const lines = renderMetricsTable(sample).trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME\s+LAB\/BOX\/MAIN\/0\s+LAB\/BOX\/MAIN\/1$/);
    assert.equal(lines.length, 5);
    assert.match(lines[3]!, /^\d\d:\d\d:\d\d\s+-\s+1\.0MiB$/);
  });

  it('shows top as CPU and memory per replica, with the share of their limits', () => {
    const row: ReplicaSample = {
      project: 'lab',
      instance: 'box',
      component: 'main',
      replica: 0,
      node: 'n1',
      time: new Date(t0).toISOString(),
      cpuCores: 0.25,
      cpuLimitCores: 0.5,
      memoryBytes: 33554432,
      memoryLimitBytes: 67108864,
      netRxBps: 2048,
      netTxBps: 0,
      blkReadBps: 0,
      blkWriteBps: 0,
      restarts: 1,
    };
    const lines = renderTop([row, { ...row, replica: 1, cpuLimitCores: null, memoryLimitBytes: null }], false).trimEnd().split('\n');
    assert.match(lines[0]!, /^INSTANCE\s+REPLICA\s+CPU\s+MEMORY\s+NET RX\/TX\s+BLOCK R\/W\s+RESTARTS\s+NODE$/);
    assert.match(lines[1]!, /^box\s+main\/0\s+0\.250 \(50%\)\s+32\.0MiB \(50%\)\s+2\.0KiB\/s 0B\/s\s+0B\/s 0B\/s\s+1\s+n1$/);
    assert.match(lines[2]!, /^box\s+main\/1\s+0\.250\s+32\.0MiB\s+/);
  });
});
