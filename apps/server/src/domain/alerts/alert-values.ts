import { NodeAlertMetric, type NodeMetric, type ReplicaMetric } from '@gureum/contract';
import type { MetricsReader, NodeFigure } from '../monitoring/metrics-reader.js';
import { selectorOf, seriesValues } from './alert-evaluation.js';
import type { AlertRuleRecord } from './alert-records.js';

type DerivedMetric = Exclude<NodeAlertMetric, NodeMetric>;

/** Each derived percentage: the part and the whole it is read from (part / whole × 100). */
export const DERIVED: Record<DerivedMetric, { part: NodeMetric; whole: NodeMetric }> = {
  node_disk_used_percent: { part: 'node_disk_used_bytes', whole: 'node_disk_total_bytes' },
  node_memory_used_percent: { part: 'node_memory_bytes', whole: 'node_memory_total_bytes' },
  node_cpu_percent: { part: 'node_cpu_cores', whole: 'node_cpus' },
};

const isDerived = (metric: NodeAlertMetric): metric is DerivedMetric => metric in DERIVED;

/** Per node: part / whole × 100 over the same window; a node without a positive whole has no value. */
export function percentages(parts: readonly NodeFigure[], wholes: readonly NodeFigure[]): Map<string, number> {
  const whole = new Map(wholes.map((f) => [f.node, f.value]));
  const out = new Map<string, number>();
  for (const p of parts) {
    const w = whole.get(p.node);
    if (w !== undefined && w > 0) out.set(p.node, (p.value / w) * 100);
  }
  return out;
}

/** The value of each node a node rule watches (keyed by node name), averaged over its window. */
export async function nodeValues(reader: MetricsReader, metric: NodeAlertMetric, node: string | undefined, windowMs: number): Promise<Map<string, number>> {
  if (!isDerived(metric)) return new Map((await reader.recentNodes(metric, windowMs, node)).map((f) => [f.node, f.value]));
  const { part, whole } = DERIVED[metric];
  const [parts, wholes] = await Promise.all([reader.recentNodes(part, windowMs, node), reader.recentNodes(whole, windowMs, node)]);
  return percentages(parts, wholes);
}

export const isNodeRule = (rule: Pick<AlertRuleRecord, 'scope'>): boolean => rule.scope === 'node';

/** The instance an event of the rule is about (none for a node rule). */
export function instanceOf(rule: Pick<AlertRuleRecord, 'scope' | 'target'>): string | null {
  return isNodeRule(rule) ? null : (rule.target?.split('/')[0] ?? null);
}

/** The current value of each series of a rule: per node for a node rule, else from its project's replicas. */
export async function ruleValues(reader: MetricsReader, rule: AlertRuleRecord): Promise<Map<string, number>> {
  const windowMs = rule.windowSeconds * 1000;
  const metric = NodeAlertMetric.safeParse(rule.metric);
  if (isNodeRule(rule)) return metric.success ? nodeValues(reader, metric.data, rule.target ?? undefined, windowMs) : new Map();
  const project = rule.project;
  if (project === null || metric.success) return new Map();
  return seriesValues({ ...rule, project }, await reader.recent(selectorOf({ ...rule, project }), rule.metric as ReplicaMetric, windowMs));
}
