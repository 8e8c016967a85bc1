import type { MetricAgg, Point } from '@gureum/contract';
import { DomainError } from '../core/errors.js';

/** The store's tiers, finest first. */
export type Tier = 'raw' | '1m' | '1h';

export interface TierSpec {
  tier: Tier;
  /** Seconds between the tier's rows. */
  resolution: number;
  /** Seconds the tier keeps rows for. */
  keep: number;
}

export interface QueryPlan {
  /** unix s: the first step's start, and the end of the range. */
  from: number;
  to: number;
  step: number;
  tier: Tier;
}

/** Points per series a query may ask for (as Prometheus): more is a mistake, not a chart. */
export const MAX_POINTS = 11_000;
const DEFAULT_POINTS = 300;
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

const invalid = (message: string) => new DomainError('METRIC_QUERY_INVALID', message);

/** How far ahead of now a time may be: a little, for clocks that differ. */
const MAX_AHEAD_MS = 366 * 86_400_000;

/** A time parameter (validated in shape by the contract) as unix ms; one before 1970 or more than a year ahead is refused. */
export function parseTime(text: string | undefined, now: number, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (text === 'now') return now;
  const relative = /^-(\d+)([smhd])$/.exec(text);
  const ms = relative ? now - Number(relative[1]) * UNIT_SECONDS[relative[2]!]! * 1000 : /^\d+$/.test(text) ? (text.length >= 13 ? Number(text) : Number(text) * 1000) : Date.parse(text);
  if (Number.isNaN(ms)) throw invalid(`${name}: ${JSON.stringify(text)} is not a time`);
  if (!(ms >= 0 && ms <= now + MAX_AHEAD_MS)) throw invalid(`${name}: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} is out of range: a time from 1970 to a year from now`);
  return ms;
}

/** A step parameter in seconds. */
export function parseStep(text: string): number {
  const match = /^(\d+)([smh])?$/.exec(text);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] ?? 's']! : NaN;
  if (!(seconds >= 1)) throw invalid(`step: ${JSON.stringify(text)} must be at least one second`);
  return seconds;
}

/**
 * Chooses the tier and step of a query: the coarsest tier no coarser than the step that still
 * keeps `from` (fewest rows for the same figures); the step is raised to the tier's resolution
 * (a roll-up tier's step to a multiple of it, so each step holds whole rows).
 */
export function planQuery(range: { from: number; to: number; step?: number }, now: number, tiers: readonly TierSpec[]): QueryPlan {
  const from = Math.floor(range.from / 1000);
  const to = Math.floor(range.to / 1000);
  if (from >= to) throw invalid(`from (${new Date(range.from).toISOString()}) must be before to (${new Date(range.to).toISOString()})`);
  const requested = range.step ?? NICE_STEPS.find((s) => s >= (to - from) / DEFAULT_POINTS) ?? Math.ceil((to - from) / DEFAULT_POINTS);
  const coarsestFirst = [...tiers].sort((a, b) => b.resolution - a.resolution);
  const allowed = coarsestFirst.filter((t, i) => i === coarsestFirst.length - 1 || t.resolution <= requested);
  const nowS = Math.floor(now / 1000);
  const spec = allowed.find((t) => nowS - t.keep <= from) ?? allowed.reduce((a, b) => (b.keep > a.keep ? b : a));
  let step = Math.max(requested, spec.resolution);
  if (spec.tier !== 'raw') step = Math.ceil(step / spec.resolution) * spec.resolution;
  const first = Math.floor(from / step) * step;
  const points = Math.floor((to - first) / step) + 1;
  if (points > MAX_POINTS) throw invalid(`step ${step}s gives ${points} points over this range; at most ${MAX_POINTS}: use a step of at least ${Math.ceil((to - from) / MAX_POINTS)}s`);
  return { from: first, to, step, tier: spec.tier };
}

/**
 * Where each part of a plan's range is read: the chosen tier up to where it has been rolled
 * up, then finer tiers for the recent rest (raw always reaches now).
 */
export function segmentsOf(plan: QueryPlan, rolledUntil: { '1m': number | null; '1h': number | null }): { tier: Tier; from: number; to: number }[] {
  const order: Tier[] = plan.tier === '1h' ? ['1h', '1m', 'raw'] : plan.tier === '1m' ? ['1m', 'raw'] : ['raw'];
  const end = plan.to + 1;
  const out: { tier: Tier; from: number; to: number }[] = [];
  let cursor = plan.from;
  for (const tier of order) {
    const until = tier === 'raw' ? end : Math.min(end, rolledUntil[tier] ?? cursor);
    if (until > cursor) out.push({ tier, from: cursor, to: until });
    cursor = Math.max(cursor, until);
  }
  return out;
}

/** Per series: step start (unix s) -> sum and count of samples. */
export type SeriesBuckets = Map<number, Map<number, { sum: number; n: number }>>;

export function addBucket(into: SeriesBuckets, series: number, bucket: number, sum: number, n: number): void {
  let buckets = into.get(series);
  if (!buckets) into.set(series, (buckets = new Map<number, { sum: number; n: number }>()));
  const cell = buckets.get(bucket);
  if (cell) {
    cell.sum += sum;
    cell.n += n;
  } else buckets.set(bucket, { sum, n });
}

function combine(values: number[], agg: MetricAgg): number | null {
  if (values.length === 0) return null;
  switch (agg) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
  }
}

/** One point per step: each series' average in the step, combined across `members` by `agg`. */
export function pointsOf(plan: QueryPlan, buckets: SeriesBuckets, members: readonly number[], agg: MetricAgg): Point[] {
  const points: Point[] = [];
  for (let b = plan.from; b <= plan.to; b += plan.step) {
    const values: number[] = [];
    for (const id of members) {
      const cell = buckets.get(id)?.get(b);
      if (cell && cell.n > 0) values.push(cell.sum / cell.n);
    }
    points.push([b * 1000, combine(values, agg)]);
  }
  return points;
}

/** One point per step of the plan from step start -> value; steps without a value are null. */
export function fillSteps(plan: QueryPlan, values: ReadonlyMap<number, number>): Point[] {
  const points: Point[] = [];
  for (let b = plan.from; b <= plan.to; b += plan.step) points.push([b * 1000, values.get(b) ?? null]);
  return points;
}
