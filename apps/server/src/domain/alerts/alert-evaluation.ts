import type { AlertState, Comparison, MetricAgg } from '@gureum/contract';
import type { AlertRuleRecord, AlertSeriesRecord } from './alert-records.js';
import type { ReplicaFigure, ReplicaSelector } from '../monitoring/metrics-reader.js';

/** The replicas a rule reads: its project, or the instance / component it names. */
export function selectorOf(rule: Pick<AlertRuleRecord, 'scope' | 'target'> & { project: string }): ReplicaSelector {
  if (rule.scope === 'project' || rule.target === null) return { project: rule.project };
  const [instance, component] = rule.target.split('/');
  return { project: rule.project, ...(instance !== undefined && { instance }), ...(component !== undefined && { component }) };
}

export function aggregate(values: readonly number[], agg: MetricAgg): number | null {
  if (values.length === 0) return null;
  switch (agg) {
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
  }
}

/**
 * The value of each series of a rule: one series for the project, instance or component
 * (its replicas combined by `agg`), or one per replica for scope `replica`. A scope with no
 * replica reporting has no series at all.
 */
export function seriesValues(rule: Pick<AlertRuleRecord, 'scope' | 'target' | 'agg'> & { project: string }, figures: readonly ReplicaFigure[]): Map<string, number> {
  const out = new Map<string, number>();
  if (rule.scope === 'replica') {
    for (const f of figures) out.set(`${f.instance}/${f.component}/${f.replica}`, f.value);
    return out;
  }
  const value = aggregate(
    figures.map((f) => f.value),
    rule.agg,
  );
  if (value !== null) out.set(rule.target ?? rule.project, value);
  return out;
}

export function holds(value: number | null, comparison: Comparison, threshold: number): boolean {
  if (value === null || !Number.isFinite(value)) return false;
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** A change of a series worth an event (and a webhook for firing and resolved). */
export type Transition = 'pending' | 'firing' | 'resolved';

export interface Step {
  next: AlertSeriesRecord;
  transition: Transition | null;
  /** For `resolved`: when the series had started firing. */
  firedSince: string | null;
}

/**
 * One evaluation of one series: inactive → pending (while the condition holds, until
 * `forSeconds` have passed) → firing → back to inactive, which is `resolved` when it had
 * fired. A pending series whose condition stops holding goes back to inactive quietly.
 */
export function advance(prev: AlertSeriesRecord | undefined, base: Pick<AlertSeriesRecord, 'project' | 'rule' | 'key'>, conditionHolds: boolean, value: number | null, forSeconds: number, nowMs: number): Step {
  const state: AlertState = prev?.state ?? 'inactive';
  const now = new Date(nowMs).toISOString();
  const series = (s: AlertState, since: string | null): AlertSeriesRecord => ({ ...base, state: s, value, since });
  if (!conditionHolds) {
    if (state === 'firing') return { next: series('inactive', null), transition: 'resolved', firedSince: prev?.since ?? null };
    return { next: series('inactive', null), transition: null, firedSince: null };
  }
  switch (state) {
    case 'inactive':
      return forSeconds > 0 ? { next: series('pending', now), transition: 'pending', firedSince: null } : { next: series('firing', now), transition: 'firing', firedSince: null };
    case 'pending': {
      const since = prev?.since ?? now;
      if (nowMs - Date.parse(since) >= forSeconds * 1000) return { next: series('firing', now), transition: 'firing', firedSince: null };
      return { next: series('pending', since), transition: null, firedSince: null };
    }
    case 'firing':
      return { next: series('firing', prev?.since ?? now), transition: null, firedSince: null };
  }
}

/** The worst state among a rule's series. */
export function worstState(series: readonly Pick<AlertSeriesRecord, 'state'>[]): AlertState {
  if (series.some((s) => s.state === 'firing')) return 'firing';
  if (series.some((s) => s.state === 'pending')) return 'pending';
  return 'inactive';
}
