import { formatBytes } from './output.js';

/** A point of a metric series: `[unix ms, value or null]`. */
export type Point = [number, number | null];

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Fits the values to `width` columns: many are averaged into buckets (gaps stay null), few are
 * stretched (each repeated over its share of the columns), so a chart always spans its width.
 */
export function resample(values: (number | null)[], width: number): (number | null)[] {
  if (values.length === 0) return [];
  if (values.length <= width) return Array.from({ length: width }, (_, b) => values[Math.floor((b * values.length) / width)]!);
  const result: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    const slice = values.slice(Math.floor((b * values.length) / width), Math.floor(((b + 1) * values.length) / width)).filter((v): v is number => v !== null);
    result.push(slice.length === 0 ? null : slice.reduce((a, v) => a + v, 0) / slice.length);
  }
  return result;
}

/** The range a chart spans: from 0 (or a negative minimum) to the maximum, never empty. */
export function chartRange(values: (number | null)[]): { min: number; max: number } {
  const present = values.filter((v): v is number => v !== null);
  const min = Math.min(0, ...present);
  const max = Math.max(...present, min);
  return { min, max: max === min ? min + 1 : max };
}

/** One line of block characters, ▁ for the bottom of the range and █ for its top; gaps blank. */
export function sparkline(values: (number | null)[], width = 60, range = chartRange(values)): string {
  return resample(values, width)
    .map((v) => {
      if (v === null) return ' ';
      const level = Math.round(((v - range.min) / (range.max - range.min)) * (BLOCKS.length - 1));
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, level))]!;
    })
    .join('');
}

/** Braille dot bits by [column][row] inside one character cell (2 columns × 4 rows). */
const DOTS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

/**
 * A line chart of `height` text rows in braille characters: each character holds 2×4 dots,
 * so the chart has twice the columns and four times the rows of a block chart.
 */
export function brailleChart(values: (number | null)[], width = 60, height = 6, range = chartRange(values)): string[] {
  const points = resample(values, width * 2);
  const dotsHigh = height * 4;
  const cells: number[][] = Array.from({ length: height }, () => Array<number>(width).fill(0));
  const yOf = (v: number) => Math.min(dotsHigh - 1, Math.max(0, Math.round(((v - range.min) / (range.max - range.min)) * (dotsHigh - 1))));
  let previous: number | undefined;
  points.forEach((v, x) => {
    if (v === null) return void (previous = undefined);
    const y = yOf(v);
    // Join to the previous point with a vertical run, so steep changes stay visible.
    const from = previous === undefined ? y : Math.min(previous, y);
    const to = previous === undefined ? y : Math.max(previous, y);
    for (let yy = from; yy <= to; yy++) {
      const row = dotsHigh - 1 - yy;
      const cellRow = cells[Math.floor(row / 4)]!;
      cellRow[Math.floor(x / 2)]! |= DOTS[x % 2]![row % 4]!;
    }
    previous = y;
  });
  return cells.map((row) => row.map((bits) => String.fromCharCode(0x2800 + bits)).join(''));
}

/** A value in its unit, short: 0.25 cores, 12.5MiB, 3.1KiB/s. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '-';
  switch (unit) {
    case 'bytes':
      return formatBytes(Math.round(value));
    case 'bytes/s':
      return `${formatBytes(Math.round(value))}/s`;
    case 'count':
      return String(Math.round(value));
    case 'cores':
      return `${value.toFixed(value < 0.1 && value > 0 ? 3 : 2)} cores`;
    default:
      return value.toFixed(2);
  }
}

/** Local HH:MM (with seconds for short steps; with the date when the range spans days). */
export function formatTime(ms: number, long = false, seconds = false): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}${seconds ? `:${two(d.getSeconds())}` : ''}`;
  return long ? `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${hm}` : hm;
}

/**
 * A labelled chart of one series: a header line with the last, minimum and maximum values,
 * then a sparkline (height 1) or a braille chart with its range on the left and times below.
 */
export function renderSeries(title: string, points: Point[], unit: string, opts: { width: number; height: number }): string {
  const values = points.map(([, v]) => v);
  const present = values.filter((v): v is number => v !== null);
  const last = [...values].reverse().find((v) => v !== null) ?? null;
  const head = `${title}  last ${formatValue(last, unit)}  min ${formatValue(present.length ? Math.min(...present) : null, unit)}  max ${formatValue(present.length ? Math.max(...present) : null, unit)}`;
  if (present.length === 0) return `${head}\n  (no samples in this range)\n`;
  const range = chartRange(values);
  const from = points[0]![0];
  const to = points[points.length - 1]![0];
  const long = to - from > 86_400_000;
  if (opts.height <= 1) return `${head}\n  ${sparkline(values, opts.width, range)}  ${formatTime(from, long)} → ${formatTime(to, long)}\n`;
  const top = formatValue(range.max, unit);
  const bottom = formatValue(range.min, unit);
  const label = Math.max(top.length, bottom.length);
  const rows = brailleChart(values, opts.width, opts.height, range).map((row, i) => `${(i === 0 ? top : i === opts.height - 1 ? bottom : '').padStart(label)} ┤${row}`);
  const times = `${' '.repeat(label + 2)}${formatTime(from, long).padEnd(opts.width - formatTime(to, long).length)}${formatTime(to, long)}`;
  return `${head}\n${rows.join('\n')}\n${times}\n`;
}
