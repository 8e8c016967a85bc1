import type { AlertState, Comparison, MetricAgg, ReplicaMetric } from '@gureum/contract';

export type AlertScope = 'project' | 'instance' | 'component' | 'replica';

/** An alert rule as stored. The webhook secret is sealed (see SecretBox); never answered after creation. */
export interface AlertRuleRecord {
  project: string;
  name: string;
  metric: ReplicaMetric;
  agg: MetricAgg;
  scope: AlertScope;
  /** instance, or instance/component; null for scope project. */
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
  project: string;
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
  project: string;
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
