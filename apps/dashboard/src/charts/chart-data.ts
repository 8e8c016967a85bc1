import type { MetricsBundle, MetricsResult, Point } from '@gureum/contract';

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  points: readonly Point[];
}

/** The time ranges of the picker; "live" follows the last 15 minutes and refreshes. */
export type RangeKey = 'live' | '1h' | '24h' | '7d' | 'custom';
export const RANGES: readonly { key: RangeKey; label: string }[] = [
  { key: 'live', label: 'Live' },
  { key: '1h', label: '1 h' },
  { key: '24h', label: '24 h' },
  { key: '7d', label: '7 d' },
  { key: 'custom', label: 'Custom' },
];

/** The query of a range (the API's relative times), and how often a view of it refreshes. */
export function rangeQuery(key: RangeKey, custom?: { from: string; to: string }): { query: { from: string; to?: string }; refreshMs: number | undefined } {
  switch (key) {
    case 'live':
      return { query: { from: '-15m' }, refreshMs: 5000 };
    case '1h':
      return { query: { from: '-1h' }, refreshMs: 30_000 };
    case '24h':
      return { query: { from: '-24h' }, refreshMs: undefined };
    case '7d':
      return { query: { from: '-7d' }, refreshMs: undefined };
    case 'custom': {
      // datetime-local values carry no zone: they are the browser's local time.
      const from = custom?.from ? new Date(custom.from).toISOString() : '-1h';
      const to = custom?.to ? new Date(custom.to).toISOString() : 'now';
      return { query: { from, to }, refreshMs: undefined };
    }
  }
}

/** The charts of an instance: which metrics of the bundle each one draws. */
export const INSTANCE_CHARTS = [
  { title: 'CPU', metrics: [['cpu_cores', 'used']] },
  { title: 'Memory', metrics: [['memory_bytes', 'used'], ['memory_limit_bytes', 'limit']] },
  { title: 'Network', metrics: [['net_rx_bps', 'received'], ['net_tx_bps', 'sent']] },
  { title: 'Block I/O', metrics: [['blk_read_bps', 'read'], ['blk_write_bps', 'written']] },
] as const;

/** A chart's series out of a bundle; metrics the bundle lacks, or that have no sample at all, are left out. */
export function bundleSeries(bundle: MetricsBundle, metrics: readonly (readonly [string, string])[]): { unit: string; series: ChartSeries[] } {
  let unit = '';
  const series: ChartSeries[] = [];
  for (const [name, label] of metrics) {
    const m = bundle.metrics[name];
    if (!m) continue;
    unit ||= m.unit;
    if (m.points.some(([, v]) => v !== null)) series.push({ label, points: m.points });
  }
  return { unit, series };
}

/**
 * The points of each instance in a project query grouped by instance. A series' key is
 * "project/instance" (its `labels.instance` when present wins).
 */
export function seriesByInstance(result: MetricsResult): Map<string, readonly Point[]> {
  const byName = new Map<string, readonly Point[]>();
  for (const s of result.series) {
    const name = s.labels.instance ?? s.key.split('/').pop() ?? s.key;
    byName.set(name, s.points);
  }
  return byName;
}

export interface Extent {
  t0: number;
  t1: number;
  min: number;
  max: number;
}

/** Time and value bounds over every series; values start at 0 (rates and sizes are never negative). */
export function extentOf(series: readonly ChartSeries[], range?: { from: number; to: number }): Extent | null {
  let t0 = Infinity;
  let t1 = -Infinity;
  let max = -Infinity;
  let min = 0;
  let any = false;
  for (const s of series) {
    for (const [t, v] of s.points) {
      t0 = Math.min(t0, t);
      t1 = Math.max(t1, t);
      if (v === null || !Number.isFinite(v)) continue;
      any = true;
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
  }
  if (!any) return null;
  if (range) {
    t0 = range.from;
    t1 = range.to;
  }
  if (t1 <= t0) t1 = t0 + 1;
  if (max <= min) max = min + 1;
  return { t0, t1, min, max };
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

/**
 * Round ticks for [min, max] whose labels (as `format` writes them) all differ: fewer ticks
 * while two would read the same (0.001 and 0.0015 cores both read "0.001"), and never a
 * label twice on an axis.
 */
export function labelledTicks(min: number, max: number, format: (v: number) => string): { value: number; label: string }[] {
  let best: { value: number; label: string }[] = [];
  for (const count of [4, 3, 2]) {
    const ticks = niceTicks(min, max, count).map((value) => ({ value, label: format(value) }));
    if (new Set(ticks.map((t) => t.label)).size === ticks.length) return ticks;
    if (best.length === 0) best = ticks;
  }
  return best.filter((t, i) => i === 0 || t.label !== best[i - 1]!.label);
}

/**
 * An SVG path of points in a box of `width` × `height` (y grows downwards). A missing value
 * (null) breaks the line instead of drawing it down to zero.
 */
export function linePath(points: readonly Point[], extent: Extent, width: number, height: number): string {
  const x = (t: number) => ((t - extent.t0) / (extent.t1 - extent.t0)) * width;
  const y = (v: number) => height - ((v - extent.min) / (extent.max - extent.min)) * height;
  let d = '';
  let pen = false;
  for (const [t, v] of points) {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** The last value that is not missing. */
export function lastValue(points: readonly Point[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i]![1];
    if (v !== null) return v;
  }
  return null;
}

/** A time label that fits the span shown: hours and minutes within a day, else the date. */
export function timeLabel(t: number, spanMs: number): string {
  const d = new Date(t);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return spanMs <= 36 * 3600_000 ? hm : `${d.getMonth() + 1}/${d.getDate()} ${hm}`;
}
