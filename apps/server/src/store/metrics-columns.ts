import type { NodeMetric, ReplicaMetric } from '@gureum/contract';
import type { Tier } from '../domain/monitoring/metrics-query.js';

export type { Tier };

/** A metric's column and the factor its values are stored multiplied by (integers keep rows small). */
export interface MetricColumn<M extends string> {
  metric: M;
  column: string;
  scale: number;
}

/** One family of series: its tables and columns. */
export interface MetricFamily<M extends string> {
  kind: 'replica' | 'node';
  raw: string;
  minute: string;
  hour: string;
  columns: readonly MetricColumn<M>[];
}


export const TIER_SECONDS: Record<Exclude<Tier, 'raw'>, number> = { '1m': 60, '1h': 3600 };

// Cores to micro-cores and load to thousandths: finer than any figure shown, still an integer.
export const REPLICA_FAMILY: MetricFamily<ReplicaMetric> = {
  kind: 'replica',
  raw: 'metrics_replica_raw',
  minute: 'metrics_replica_1m',
  hour: 'metrics_replica_1h',
  columns: [
    { metric: 'cpu_cores', column: 'cpu', scale: 1e6 },
    { metric: 'memory_bytes', column: 'mem', scale: 1 },
    { metric: 'memory_limit_bytes', column: 'mem_limit', scale: 1 },
    { metric: 'net_rx_bps', column: 'rx', scale: 1 },
    { metric: 'net_tx_bps', column: 'tx', scale: 1 },
    { metric: 'blk_read_bps', column: 'rd', scale: 1 },
    { metric: 'blk_write_bps', column: 'wr', scale: 1 },
    { metric: 'restarts', column: 'restarts', scale: 1 },
  ],
};

export const NODE_FAMILY: MetricFamily<NodeMetric> = {
  kind: 'node',
  raw: 'metrics_node_raw',
  minute: 'metrics_node_1m',
  hour: 'metrics_node_1h',
  columns: [
    { metric: 'node_cpu_cores', column: 'cpu', scale: 1e6 },
    { metric: 'node_cpus', column: 'cpus', scale: 1 },
    { metric: 'node_memory_bytes', column: 'mem', scale: 1 },
    { metric: 'node_memory_total_bytes', column: 'mem_total', scale: 1 },
    { metric: 'node_load1', column: 'load1', scale: 1000 },
    { metric: 'node_disk_used_bytes', column: 'disk_used', scale: 1 },
    { metric: 'node_disk_total_bytes', column: 'disk_total', scale: 1 },
  ],
};

export function columnOf<M extends string>(family: MetricFamily<M>, metric: M): MetricColumn<M> {
  const column = family.columns.find((c) => c.metric === metric);
  if (!column) throw new Error(`no column for metric ${metric}`);
  return column;
}

export function tableOf(family: MetricFamily<string>, tier: Tier): string {
  return tier === 'raw' ? family.raw : tier === '1m' ? family.minute : family.hour;
}
