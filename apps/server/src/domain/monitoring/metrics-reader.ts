import type { NodeMetric, ReplicaMetric } from '@gureum/contract';

/** Which replicas a read covers: a project, or narrower. */
export interface ReplicaSelector {
  project: string;
  instance?: string;
  component?: string;
}

/** One replica's figure over a recent window. */
export interface ReplicaFigure {
  project: string;
  instance: string;
  component: string;
  replica: number;
  /** Average of the replica's samples in the window (for `restarts`: the latest count). */
  value: number;
  /** Samples that fell in the window; 0 never appears (such replicas are left out). */
  samples: number;
}

/** One node's average over a recent window. */
export interface NodeFigure {
  node: string;
  value: number;
  /** Samples that fell in the window; 0 never appears (such nodes are left out). */
  samples: number;
}

/**
 * What alerting and autoscaling read from the metrics store, so they do not depend on how
 * samples are collected or kept.
 */
export interface MetricsReader {
  /** Per-replica averages over the last `windowMs` for the replicas the selector covers. */
  recent(selector: ReplicaSelector, metric: ReplicaMetric, windowMs: number): Promise<ReplicaFigure[]>;
  /** Per-node averages over the last `windowMs`: every node reporting, or the one named. */
  recentNodes(metric: NodeMetric, windowMs: number, node?: string): Promise<NodeFigure[]>;
}
