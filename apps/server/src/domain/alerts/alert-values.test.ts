import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMetric, ReplicaMetric } from '@gureum/contract';
import type { MetricsReader, NodeFigure, ReplicaFigure } from '../monitoring/metrics-reader.js';
import { nodeValues, percentages } from './alert-values.js';

const f = (node: string, value: number): NodeFigure => ({ node, value, samples: 3 });

/** A fake MetricsReader: each node metric answers the figures the test sets. */
class FakeNodeReader implements MetricsReader {
  constructor(private readonly figures: Partial<Record<NodeMetric, NodeFigure[]>>) {}
  reads: { metric: NodeMetric; windowMs: number; node: string | undefined }[] = [];
  recent(_selector: unknown, _metric: ReplicaMetric): Promise<ReplicaFigure[]> {
    return Promise.resolve([]);
  }
  recentNodes(metric: NodeMetric, windowMs: number, node?: string): Promise<NodeFigure[]> {
    this.reads.push({ metric, windowMs, node });
    return Promise.resolve((this.figures[metric] ?? []).filter((x) => node === undefined || x.node === node));
  }
}

describe('node alert values', () => {
  it('derives part / whole × 100 per node, leaving out nodes without a positive whole', () => {
    assert.deepEqual(
      percentages([f('a', 45), f('b', 10), f('c', 5)], [f('a', 50), f('b', 0)]),
      new Map([['a', 90]]),
    );
  });

  it('reads disk, memory and CPU percentages from their two figures, per node or for the named node', async () => {
    const reader = new FakeNodeReader({
      node_disk_used_bytes: [f('n1', 90e9), f('n2', 10e9)],
      node_disk_total_bytes: [f('n1', 100e9), f('n2', 100e9)],
      node_memory_bytes: [f('n1', 3e9)],
      node_memory_total_bytes: [f('n1', 4e9)],
      node_cpu_cores: [f('n1', 1.5)],
      node_cpus: [f('n1', 2)],
      node_load1: [f('n1', 8.5), f('n2', 0.2)],
    });
    assert.deepEqual(await nodeValues(reader, 'node_disk_used_percent', undefined, 60_000), new Map([['n1', 90], ['n2', 10]]));
    assert.deepEqual(await nodeValues(reader, 'node_memory_used_percent', 'n1', 60_000), new Map([['n1', 75]]));
    assert.deepEqual(await nodeValues(reader, 'node_cpu_percent', undefined, 60_000), new Map([['n1', 75]]));
    assert.deepEqual(await nodeValues(reader, 'node_load1', 'n2', 30_000), new Map([['n2', 0.2]]));
    assert.deepEqual(reader.reads.at(-1), { metric: 'node_load1', windowMs: 30_000, node: 'n2' });
  });
});
