import type { Recommendation } from './autoscale-records.js';

/** Within this fraction of the target, the count stays (as the Kubernetes HPA does). */
export const TOLERANCE = 0.1;

/** What an autoscaling policy can target. */
export type ScaleMetric = 'cpu' | 'memory';

/** One targeted metric as a decision reads it. */
export interface MetricLoad {
  /** Target average use, in % of the limit. */
  targetPercent: number;
  /** The limit of each replica, in the unit of `perReplica` (cores for CPU, bytes for memory). */
  limit: number;
  /** Average use of each replica that reported in the window. */
  perReplica: readonly number[];
}

export interface DecisionInput {
  current: number;
  min: number;
  max: number;
  /** At least one of cpu and memory is given (the policy's schema requires a target). */
  cpu?: MetricLoad;
  memory?: MetricLoad;
  upWindowMs: number;
  downWindowMs: number;
  history: readonly Recommendation[];
  nowMs: number;
}

export type DecisionReason = `${ScaleMetric} above target` | `${ScaleMetric} below target` | 'below min' | 'above max' | 'steady' | 'no data';

export interface Decision {
  to: number;
  /** What the metrics asked for (the larger of their counts), before stabilisation and bounds. */
  recommendation: number;
  /** Average CPU use of the reporting replicas in % of their limit; null without data or target. */
  avgCpuPercent: number | null;
  /** Average working set of the reporting replicas in % of their limit; null without data or target. */
  avgMemoryPercent: number | null;
  reason: DecisionReason;
  /** The history to keep for the next decision. */
  history: Recommendation[];
}

interface Verdict {
  metric: ScaleMetric;
  avgPercent: number;
  replicas: number;
}

/**
 * What one metric asks for: replicas = ceil(load / (limit × target)) like the HPA, with
 * missing replicas (starting, not reporting yet) counted as idle when scaling up and as on
 * target when scaling down, so neither direction overshoots on partial data. A metric never
 * asks for 0 replicas (nothing would report to scale back up). Null without data.
 */
function recommend(metric: ScaleMetric, current: number, load: MetricLoad | undefined): Verdict | null {
  const n = load?.perReplica.length ?? 0;
  if (!load || n === 0 || current === 0) return null;
  const total = load.perReplica.reduce((a, b) => a + b, 0);
  const avgPercent = (total / n / load.limit) * 100;
  if (Math.abs(avgPercent / load.targetPercent - 1) <= TOLERANCE) return { metric, avgPercent, replicas: current };
  const up = Math.ceil(total / ((load.limit * load.targetPercent) / 100) - 1e-9);
  const down = up + Math.max(0, current - n);
  return { metric, avgPercent, replicas: up > current ? up : Math.max(1, Math.min(current, down)) };
}

/**
 * One decision. With CPU and memory both targeted, the larger count wins (like the HPA with
 * several metrics): a metric without data keeps the count where it is, so it blocks a
 * scale-down but not a scale-up. Stabilisation: up only to the lowest recommendation of the
 * up-window, down only to the highest of the down-window. Then clamped to [min, max].
 */
export function decide(i: DecisionInput): Decision {
  const cpu = recommend('cpu', i.current, i.cpu);
  const memory = recommend('memory', i.current, i.memory);
  const measured = [cpu, memory].filter((v): v is Verdict => v !== null);
  const targeted = [i.cpu, i.memory].filter((l) => l !== undefined).length;
  // On a tie the first (CPU) names the decision.
  const driver = measured.reduce<Verdict | null>((best, v) => (best === null || v.replicas > best.replicas ? v : best), null);
  // A targeted metric with no data stands for the current count.
  const recommendation = driver === null ? i.current : measured.length < targeted ? Math.max(i.current, driver.replicas) : driver.replicas;
  const keepMs = Math.max(i.upWindowMs, i.downWindowMs);
  const history = [...i.history.filter((r) => r.at > i.nowMs - keepMs && r.at <= i.nowMs), { at: i.nowMs, replicas: recommendation }];
  const within = (ms: number) => history.filter((r) => r.at >= i.nowMs - ms).map((r) => r.replicas);
  let stabilised = i.current;
  if (recommendation > i.current) stabilised = Math.max(i.current, Math.min(...within(i.upWindowMs)));
  else if (recommendation < i.current) stabilised = Math.min(i.current, Math.max(...within(i.downWindowMs)));
  const to = Math.min(i.max, Math.max(i.min, stabilised));
  const named = driver?.metric ?? 'cpu';
  let reason: DecisionReason = driver === null ? 'no data' : 'steady';
  if (to > i.current) reason = stabilised < i.min ? 'below min' : `${named} above target`;
  if (to < i.current) reason = stabilised > i.max ? 'above max' : `${named} below target`;
  return { to, recommendation, avgCpuPercent: cpu?.avgPercent ?? null, avgMemoryPercent: memory?.avgPercent ?? null, reason, history };
}
