import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

/**
 * What can be measured. Replica metrics also answer for the instance, component and project
 * scopes (combined across replicas); node metrics answer for the node scope only.
 * Rates are per second over the sampling interval; `cpu_cores` is cores used (1.0 = one core
 * busy), computed from the kernel's cumulative CPU time like `top`.
 */
export const ReplicaMetric = z.enum([
  'cpu_cores',
  'memory_bytes',
  'memory_limit_bytes',
  'net_rx_bps',
  'net_tx_bps',
  'blk_read_bps',
  'blk_write_bps',
  'restarts',
]);
export type ReplicaMetric = z.infer<typeof ReplicaMetric>;

export const NodeMetric = z.enum([
  'node_cpu_cores',
  'node_cpus',
  'node_memory_bytes',
  'node_memory_total_bytes',
  'node_load1',
  'node_disk_used_bytes',
  'node_disk_total_bytes',
]);
export type NodeMetric = z.infer<typeof NodeMetric>;

export const MetricName = z.enum([...ReplicaMetric.options, ...NodeMetric.options]);
export type MetricName = z.infer<typeof MetricName>;

export const MetricScope = z.enum(['node', 'project', 'instance', 'component', 'replica']);
export type MetricScope = z.infer<typeof MetricScope>;

export const MetricAgg = z.enum(['avg', 'max', 'min', 'sum']);
export type MetricAgg = z.infer<typeof MetricAgg>;

/** How a query splits its answer into several series. */
export const MetricGroup = z.enum(['none', 'instance', 'component', 'replica']);
export type MetricGroup = z.infer<typeof MetricGroup>;

const TimeParam = z
  .string()
  .regex(/^(-\d+(s|m|h|d)|now|\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)|\d{10,13})$/, {
    message: 'must be an ISO time, unix seconds or milliseconds, "now", or a relative time like -1h, -30m, -7d',
  })
  .describe('ISO time, unix s/ms, "now", or relative to now: -90s, -30m, -24h, -7d');

const StepParam = z
  .string()
  .regex(/^\d+(s|m|h)?$/, { message: 'must be seconds (60) or a duration (10s, 1m, 1h)' })
  .describe('Seconds per point (60) or a duration (10s, 1m, 1h); default: about 300 points over the range');

/**
 * One query. `id` names the object of the scope:
 * node → node name; project → `project`; instance → `project/instance`;
 * component → `project/instance/component`; replica → `project/instance/component/index`.
 * Samples of each series are averaged within a step; `agg` combines the series of the
 * scope at each step (sum of CPU across an instance's replicas, max memory, ...).
 */
export const MetricsQuery = z.object({
  metric: MetricName,
  scope: MetricScope,
  id: z.string().min(1).max(300),
  from: TimeParam.optional().describe('Default: -1h'),
  to: TimeParam.optional().describe('Default: now'),
  step: StepParam.optional(),
  agg: MetricAgg.default('avg'),
  group: MetricGroup.default('none').describe('Split into one series per instance, component or replica'),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

/** `[unix milliseconds, value or null when no sample fell in the step]` */
export const Point = z.tuple([z.number(), z.number().nullable()]);
export type Point = z.infer<typeof Point>;

export const Series = z.object({
  /** `all`, or the instance / component / replica id the series is grouped by. */
  key: z.string(),
  labels: z.record(z.string(), z.string()),
  points: z.array(Point),
});
export type Series = z.infer<typeof Series>;

export const MetricsResult = z.object({
  metric: MetricName,
  unit: z.enum(['cores', 'bytes', 'bytes/s', 'count', 'load']),
  scope: MetricScope,
  id: z.string(),
  agg: MetricAgg,
  from: z.number().describe('unix ms'),
  to: z.number().describe('unix ms'),
  step: z.number().int().describe('seconds'),
  resolution: z.enum(['raw', '1m', '1h']).describe('The store tier the points were read from'),
  series: z.array(Series),
});
export type MetricsResult = z.infer<typeof MetricsResult>;

/** The instance and node shortcuts: several metrics over one range, one series each. */
export const RangeQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  step: StepParam.optional(),
  metrics: z.string().optional().describe('Comma-separated metric names; default: all of the scope'),
});
export const MetricsBundle = z.object({
  from: z.number(),
  to: z.number(),
  step: z.number().int(),
  resolution: z.enum(['raw', '1m', '1h']),
  metrics: z.record(z.string(), z.object({ unit: z.string(), points: z.array(Point) })),
});
export type MetricsBundle = z.infer<typeof MetricsBundle>;

/** The latest sample of every running replica (for `gureum top` and live tables). */
export const ReplicaSample = z.object({
  project: Name,
  instance: Name,
  component: Name,
  replica: z.number().int(),
  node: z.string(),
  time: Timestamp,
  cpuCores: z.number(),
  cpuLimitCores: z.number().nullable(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number().nullable(),
  netRxBps: z.number(),
  netTxBps: z.number(),
  blkReadBps: z.number(),
  blkWriteBps: z.number(),
  restarts: z.number().int(),
});
export type ReplicaSample = z.infer<typeof ReplicaSample>;
export const LatestQuery = z.object({ project: Name.optional(), instance: Name.optional() });

export const NodeSample = z.object({
  node: z.string(),
  time: Timestamp,
  cpuCores: z.number(),
  cpus: z.number(),
  memoryBytes: z.number(),
  memoryTotalBytes: z.number(),
  load1: z.number(),
  diskUsedBytes: z.number(),
  diskTotalBytes: z.number(),
});
export type NodeSample = z.infer<typeof NodeSample>;
