import type { Recommendation } from './autoscale-records.js';

/** Within this fraction of the target, the count stays (as the Kubernetes HPA does). */
export const TOLERANCE = 0.1;

export interface DecisionInput {
  current: number;
  min: number;
  max: number;
  targetCpuPercent: number;
  /** The component's CPU limit per replica, in cores. */
  cpuLimit: number;
  /** Average cores used by each replica that reported in the window. */
  replicaCores: readonly number[];
  upWindowMs: number;
  downWindowMs: number;
  history: readonly Recommendation[];
  nowMs: number;
}

export type DecisionReason = 'cpu above target' | 'cpu below target' | 'below min' | 'above max' | 'steady' | 'no data';

export interface Decision {
  to: number;
  /** What the CPU alone asked for, before stabilisation and bounds. */
  recommendation: number;
  /** Average use of the reporting replicas in % of their limit; null without data. */
  avgCpuPercent: number | null;
  reason: DecisionReason;
  /** The history to keep for the next decision. */
  history: Recommendation[];
}

/**
 * One decision: replicas = ceil(load / (limit × target)) like the HPA, with missing replicas
 * (starting, not reporting yet) counted as idle when scaling up and as on target when scaling
 * down, so neither direction overshoots on partial data. Stabilisation: up only to the lowest
 * recommendation of the up-window, down only to the highest of the down-window. Then clamped
 * to [min, max]. CPU alone never asks for 0 replicas (nothing would report to scale back up).
 */
export function decide(i: DecisionInput): Decision {
  const n = i.replicaCores.length;
  const capacity = (i.cpuLimit * i.targetCpuPercent) / 100;
  let recommendation = i.current;
  let avgCpuPercent: number | null = null;
  if (n > 0 && i.current > 0) {
    const total = i.replicaCores.reduce((a, b) => a + b, 0);
    avgCpuPercent = (total / n / i.cpuLimit) * 100;
    if (Math.abs(avgCpuPercent / i.targetCpuPercent - 1) > TOLERANCE) {
      const up = Math.ceil(total / capacity - 1e-9);
      const down = up + Math.max(0, i.current - n);
      recommendation = up > i.current ? up : Math.max(1, Math.min(i.current, down));
    }
  }
  const keepMs = Math.max(i.upWindowMs, i.downWindowMs);
  const history = [...i.history.filter((r) => r.at > i.nowMs - keepMs && r.at <= i.nowMs), { at: i.nowMs, replicas: recommendation }];
  const within = (ms: number) => history.filter((r) => r.at >= i.nowMs - ms).map((r) => r.replicas);
  let stabilised = i.current;
  if (recommendation > i.current) stabilised = Math.max(i.current, Math.min(...within(i.upWindowMs)));
  else if (recommendation < i.current) stabilised = Math.min(i.current, Math.max(...within(i.downWindowMs)));
  const to = Math.min(i.max, Math.max(i.min, stabilised));
  let reason: DecisionReason = avgCpuPercent === null ? 'no data' : 'steady';
  if (to > i.current) reason = stabilised < i.min ? 'below min' : 'cpu above target';
  if (to < i.current) reason = stabilised > i.max ? 'above max' : 'cpu below target';
  return { to, recommendation, avgCpuPercent, reason, history };
}
