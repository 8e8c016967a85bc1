import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';
import { MetricAgg, NodeMetric, ReplicaMetric } from './metrics.schema.js';

export const Comparison = z.enum(['>', '>=', '<', '<=']);
export type Comparison = z.infer<typeof Comparison>;

/**
 * What a rule watches inside its project: the whole project, an instance, a component
 * (`instance/component`) or each replica of an instance (`instance`, one alert per replica).
 */
export const AlertScope = z.enum(['project', 'instance', 'component', 'replica']);

export const Webhook = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** HMAC-SHA256 key for the `X-Gureum-Signature: sha256=<hex>` header; generated when absent. */
    secret: z.string().min(16).max(200).optional(),
  })
  .strict();

export const AlertRuleCreate = z
  .object({
    name: Name,
    metric: ReplicaMetric,
    agg: MetricAgg.default('avg').describe('How the scope’s replicas combine'),
    scope: AlertScope.default('project'),
    target: z.string().max(130).optional().describe('instance, or instance/component; absent for scope project'),
    comparison: Comparison,
    threshold: z.number(),
    windowSeconds: z.number().int().min(10).max(86_400).default(60).describe('Samples averaged over this window'),
    forSeconds: z.number().int().min(0).max(86_400).default(0).describe('Pending this long before firing'),
    webhook: Webhook.nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict();
export type AlertRuleCreate = z.infer<typeof AlertRuleCreate>;
export const AlertRuleUpdate = AlertRuleCreate.omit({ name: true });
export type AlertRuleUpdate = z.infer<typeof AlertRuleUpdate>;

export const AlertState = z.enum(['inactive', 'pending', 'firing']);
export type AlertState = z.infer<typeof AlertState>;

/** One watched series of a rule (the scope itself, or one replica for scope `replica`). */
export const AlertInstance = z.object({
  key: z.string(),
  state: AlertState,
  value: z.number().nullable(),
  since: Timestamp.nullable(),
});

export const AlertRule = z.object({
  project: Name,
  name: Name,
  metric: ReplicaMetric,
  agg: MetricAgg,
  scope: AlertScope,
  target: z.string().nullable(),
  comparison: Comparison,
  threshold: z.number(),
  windowSeconds: z.number().int(),
  forSeconds: z.number().int(),
  webhook: z.object({ url: z.string() }).nullable().describe('The secret is never answered after creation'),
  enabled: z.boolean(),
  state: AlertState.describe('The worst state of its series'),
  series: z.array(AlertInstance),
  evaluatedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AlertRule = z.infer<typeof AlertRule>;

/**
 * The answer to a create (and to an update): the rule and, once, the webhook signing secret —
 * when Gureum generated it (none given) or it was given in this request; null otherwise.
 */
export const AlertRuleCreated = AlertRule.extend({ webhookSecret: z.string().nullable() });
export type AlertRuleCreated = z.infer<typeof AlertRuleCreated>;

/**
 * What a node rule watches: a collected node figure, or a percentage derived from two of them
 * (`node_cpu_percent` = cores used / cpus × 100; disk and memory = used / total × 100).
 */
export const NodeAlertMetric = z.enum([...NodeMetric.options, 'node_disk_used_percent', 'node_memory_used_percent', 'node_cpu_percent']);
export type NodeAlertMetric = z.infer<typeof NodeAlertMetric>;

export const NodeAlertRuleCreate = z
  .object({
    name: Name,
    metric: NodeAlertMetric,
    node: z.string().min(1).max(253).optional().describe('The node watched; absent: every node, one series per node'),
    comparison: Comparison,
    threshold: z.number(),
    windowSeconds: AlertRuleCreate.shape.windowSeconds,
    forSeconds: AlertRuleCreate.shape.forSeconds,
    webhook: AlertRuleCreate.shape.webhook,
    enabled: AlertRuleCreate.shape.enabled,
  })
  .strict();
export type NodeAlertRuleCreate = z.infer<typeof NodeAlertRuleCreate>;
export const NodeAlertRuleUpdate = NodeAlertRuleCreate.omit({ name: true });
export type NodeAlertRuleUpdate = z.infer<typeof NodeAlertRuleUpdate>;

/** An admin's rule on node metrics; its series are keyed by node name. */
export const NodeAlertRule = AlertRule.omit({ project: true, metric: true, agg: true, scope: true, target: true }).extend({
  metric: NodeAlertMetric,
  node: z.string().nullable().describe('null: every node'),
});
export type NodeAlertRule = z.infer<typeof NodeAlertRule>;
export const NodeAlertRuleCreated = NodeAlertRule.extend({ webhookSecret: z.string().nullable() });
export type NodeAlertRuleCreated = z.infer<typeof NodeAlertRuleCreated>;
export const NodeAlertParams = z.object({ alert: Name });

export const FiringAlert = z.object({
  project: Name.nullable().describe('null for a node rule'),
  node: z.string().nullable().describe('The node of a node rule’s series; null for a project rule'),
  rule: Name,
  key: z.string(),
  metric: z.union([ReplicaMetric, NodeAlertMetric]),
  comparison: Comparison,
  threshold: z.number(),
  value: z.number().nullable(),
  since: Timestamp,
});
export type FiringAlert = z.infer<typeof FiringAlert>;

export const Delivery = z.object({
  id: z.number().int(),
  rule: Name,
  event: z.enum(['firing', 'resolved']),
  key: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  nextAttemptAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

/** Percent of a limit an autoscaling target may be (a replica cannot average more than its limit). */
const TargetPercent = z.number().min(1).max(100);

/**
 * An autoscaling policy: replicas between min and max, on CPU, memory or both (then the larger
 * count wins, as with the Kubernetes HPA). At least one target is required.
 */
export const AutoscalePut = z
  .object({
    min: z.number().int().min(0).max(100),
    max: z.number().int().min(1).max(100),
    targetCpuPercent: TargetPercent.optional().describe('Average CPU use of the component’s replicas, in % of their CPU limit'),
    targetMemoryPercent: TargetPercent.optional().describe('Average working set of the component’s replicas, in % of their memory limit'),
    scaleUpStabilizationSeconds: z.number().int().min(0).max(3600).default(0),
    scaleDownStabilizationSeconds: z.number().int().min(0).max(3600).default(300),
  })
  .strict()
  .refine((p) => p.min <= p.max, { message: 'min must not exceed max', path: ['min'] })
  .refine((p) => p.targetCpuPercent !== undefined || p.targetMemoryPercent !== undefined, { message: 'give targetCpuPercent, targetMemoryPercent or both' });
export type AutoscalePut = z.infer<typeof AutoscalePut>;

export const Autoscale = z.object({
  project: Name,
  instance: Name,
  component: Name,
  min: z.number().int(),
  max: z.number().int(),
  targetCpuPercent: z.number().nullable().describe('null: CPU is not a target'),
  targetMemoryPercent: z.number().nullable().describe('null: memory is not a target'),
  scaleUpStabilizationSeconds: z.number().int(),
  scaleDownStabilizationSeconds: z.number().int(),
  currentReplicas: z.number().int(),
  lastCpuPercent: z.number().nullable(),
  lastMemoryPercent: z.number().nullable(),
  lastDecisionAt: Timestamp.nullable(),
  lastDecision: z.string().nullable().describe('e.g. "2 → 4: memory above target: average memory 180% of limit, target 50%"'),
});
export type Autoscale = z.infer<typeof Autoscale>;
export const ComponentParams = z.object({ project: Name, instance: Name, component: Name });
export const AlertParams = z.object({ project: Name, alert: Name });
