import type { AlertState, Comparison, MetricAgg, NodeAlertMetric, ReplicaMetric } from '@gureum/contract';

/** `node`: an admin's rule on node metrics (no project; one series per node it watches). */
export type AlertScope = 'project' | 'instance' | 'component' | 'replica' | 'node';

/**
 * An alert rule as stored. The webhook secret is sealed (see SecretBox); never answered after
 * creation. A node rule (scope `node`) has no project and a node metric.
 */
export interface AlertRuleRecord {
  project: string | null;
  name: string;
  metric: ReplicaMetric | NodeAlertMetric;
  agg: MetricAgg;
  scope: AlertScope;
  /** instance, or instance/component; the node of a node rule; null for scope project or every node. */
  target: string | null;
  comparison: Comparison;
  threshold: number;
  windowSeconds: number;
  forSeconds: number;
  webhookUrl: string | null;
  webhookSecretSealed: string | null;
  enabled: boolean;
  evaluatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One watched series of a rule: the scope itself, or one replica (scope `replica`). */
export interface AlertSeriesRecord {
  project: string | null;
  rule: string;
  key: string;
  state: AlertState;
  value: number | null;
  /** When the series entered its state (pending or firing). */
  since: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One webhook notification and its attempts; `body` is sent byte for byte on every attempt. */
export interface DeliveryRecord {
  id: number;
  project: string | null;
  rule: string;
  event: 'firing' | 'resolved';
  key: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}
