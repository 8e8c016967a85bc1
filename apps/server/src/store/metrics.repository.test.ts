import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicaMetric } from '@gureum/contract';
import { openDatabase } from './db.js';
import { MetricsRepository, type ReplicaRow } from './metrics.repository.js';

const T0 = 1_700_000_000 - (1_700_000_000 % 3600); // an hour boundary

function replica(index: number, cpu: number, restarts = 0): ReplicaRow {
  const values: Record<ReplicaMetric, number | null> = {
    cpu_cores: cpu,
    memory_bytes: 64 * 2 ** 20,
    memory_limit_bytes: null,
    net_rx_bps: 1000,
    net_tx_bps: 10,
    blk_read_bps: 0,
    blk_write_bps: 0,
    restarts,
  };
  return { project: 'lab', instance: 'web', component: 'main', replica: index, values };
}

const node = (cpu: number) => ({
  node: 'n1',
  values: { node_cpu_cores: cpu, node_cpus: 2, node_memory_bytes: 1e9, node_memory_total_bytes: 4e9, node_load1: 0.25, node_disk_used_bytes: 5e9, node_disk_total_bytes: 1e10 },
});

/** Two replicas (0.5 and 1.5 cores) and a node sampled every 10 s for `minutes` from T0. */
async function filled(minutes: number): Promise<MetricsRepository> {
  const repo = new MetricsRepository(await openDatabase('sqlite::memory:'));
  for (let t = T0; t < T0 + minutes * 60; t += 10) await repo.write(t, [replica(0, 0.5), replica(1, 1.5, t >= T0 + 60 ? 2 : 0)], [node(1)]);
  return repo;
}

describe('metrics repository (real SQLite)', () => {
  it('answers per-replica averages and the latest restart count over a window', async () => {
    const repo = await filled(3);
    const cpu = await repo.recent({ project: 'lab' }, 'cpu_cores', T0 + 120);
    assert.deepEqual(
      cpu.map((r) => [r.replica, r.value, r.samples]),
      [
        [0, 0.5, 6],
        [1, 1.5, 6],
      ],
    );
    const restarts = await repo.recent({ project: 'lab', instance: 'web', component: 'main' }, 'restarts', T0);
    assert.deepEqual(
      restarts.map((r) => r.value),
      [0, 2],
    );
    assert.deepEqual(await repo.recent({ project: 'other' }, 'cpu_cores', T0), []);
  });

  it('rolls complete minutes up and reads the same averages from either tier', async () => {
    const repo = await filled(5);
    await repo.rollUp(T0 + 5 * 60 + 30, 20);
    assert.equal(await repo.rolledUntil('replica', '1m'), T0 + 300);
    const ids = (await repo.replicaSeries({ project: 'lab' })).map((s) => s.id);
    const raw = await repo.readBuckets('replica', 'cpu_cores', ids, 'raw', T0, T0 + 300, 60);
    const minute = await repo.readBuckets('replica', 'cpu_cores', ids, '1m', T0, T0 + 300, 60);
    assert.equal(minute.length, 10); // 2 series x 5 minutes
    assert.deepEqual(
      minute.map((b) => [b.series, b.bucket, b.sum / b.n, b.n]),
      raw.map((b) => [b.series, b.bucket, b.sum / b.n, b.n]),
    );
    // Combined in the database across tiers: per-series averages, then summed per step.
    const segments = [
      { tier: '1m' as const, from: T0, to: T0 + 180 },
      { tier: 'raw' as const, from: T0 + 180, to: T0 + 300 },
    ];
    const summed = await repo.readCombined('replica', 'cpu_cores', ids, segments, 60, 'sum');
    assert.deepEqual(summed, [0, 60, 120, 180, 240].map((b) => ({ bucket: T0 + b, value: 2 })));
    const max = await repo.readCombined('replica', 'memory_bytes', ids, segments, 300, 'max');
    assert.deepEqual(max, [{ bucket: T0, value: 64 * 2 ** 20 }]);
    // Nothing of the hour is complete yet.
    assert.equal(await repo.rolledUntil('replica', '1h'), T0);
    const nodeIds = (await repo.nodeSeries('n1')).map((s) => s.id);
    const load = await repo.readBuckets('node', 'node_load1', nodeIds, '1m', T0, T0 + 300, 300);
    assert.deepEqual(load.map((b) => b.sum / b.n), [0.25]);
  });

  it('rolls minutes into hours weighted by sample count', async () => {
    const repo = new MetricsRepository(await openDatabase('sqlite::memory:'));
    // 50 samples at 1 core in the first minute, 1 sample at 3 cores in the second: the hour is ~1.04, not 2.
    for (let i = 0; i < 50; i++) await repo.write(T0 + i, [replica(0, 1)], []);
    await repo.write(T0 + 60, [replica(0, 3)], []);
    await repo.rollUp(T0 + 2 * 3600, 0);
    const ids = (await repo.replicaSeries({ project: 'lab', replica: 0 })).map((s) => s.id);
    const [hour] = await repo.readBuckets('replica', 'cpu_cores', ids, '1h', T0, T0 + 3600, 3600);
    assert.equal(hour?.n, 51);
    assert.ok(Math.abs(hour.sum / hour.n - 53 / 51) < 1e-9);
  });

  it('prunes each tier past its cutoff, but never what is not rolled up yet', async () => {
    const repo = await filled(5);
    const ids = (await repo.replicaSeries({ project: 'lab' })).map((s) => s.id);
    const cutoff = { raw: T0 + 120, '1m': T0, '1h': T0 };
    // Not rolled up: raw stays whole.
    assert.equal(await repo.prune(cutoff, () => Promise.resolve()), 0);
    await repo.rollUp(T0 + 5 * 60 + 30, 20);
    let turns = 0;
    const deleted = await repo.prune(cutoff, () => Promise.resolve(void turns++));
    assert.equal(deleted, 3 * 12); // 2 replicas + 1 node, 12 samples each before T0+120
    assert.ok(turns >= 2);
    const raw = await repo.readBuckets('replica', 'cpu_cores', ids, 'raw', T0, T0 + 300, 60);
    assert.deepEqual([...new Set(raw.map((b) => b.bucket))], [T0 + 120, T0 + 180, T0 + 240]);
    const minute = await repo.readBuckets('replica', 'cpu_cores', ids, '1m', T0, T0 + 300, 60);
    assert.equal(minute.length, 10);
  });

  it('forgets a series once the retention has taken all its rows, and makes it again if its replica comes back', async () => {
    const repo = await filled(5);
    // Replica 2 was sampled once, long ago; the others are still sampled.
    await repo.write(T0 - 7200, [replica(2, 0.25)], []);
    await repo.rollUp(T0 + 5 * 60 + 30, 20);
    const before = (await repo.replicaSeries({ project: 'lab' })).map((s) => s.replica);
    assert.deepEqual(before, [0, 1, 2]);
    await repo.prune({ raw: T0 - 3600, '1m': T0 - 3600, '1h': T0 - 3600 }, () => Promise.resolve());
    assert.deepEqual((await repo.replicaSeries({ project: 'lab' })).map((s) => s.replica), [0, 1], 'the series with no rows left is gone');
    assert.deepEqual((await repo.nodeSeries()).map((s) => s.node), ['n1'], 'the node is still sampled');

    await repo.write(T0 + 600, [replica(2, 0.75)], []);
    const back = await repo.recent({ project: 'lab', instance: 'web', component: 'main', replica: 2 }, 'cpu_cores', T0 + 590);
    assert.deepEqual(back.map((r) => r.value), [0.75]);
  });
});
