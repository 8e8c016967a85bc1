import { stringify as toYaml } from 'yaml';
import { parseByteSize } from '@gureum/contract';
import { UsageError } from './errors.js';

export const FORMATS = ['table', 'json', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];

/** The output options every listing command takes. */
export interface OutputOptions {
  output?: Format;
  quiet?: boolean;
}

/** A column of a human table. */
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Colour for the cell (applied only on a terminal). */
  color?: (row: T) => Color | undefined;
}

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'dim' | 'bold';
const CODES: Record<Color, [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], dim: [2, 22], bold: [1, 22] };

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export function paint(text: string, color: Color | undefined, enabled = colorEnabled()): string {
  if (!enabled || color === undefined) return text;
  const [on, off] = CODES[color];
  return `\x1b[${on}m${text}\x1b[${off}m`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Columns a string takes on a terminal: Hangul and other wide characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(ANSI, '')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 32 || (cp >= 0x300 && cp <= 0x36f)) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * Left-aligned columns separated by three spaces, like kubectl and docker. `colors` paints
 * cells after their widths are measured, so escapes never shift the columns.
 */
export function renderTable(header: string[], rows: string[][], colors?: (Color | undefined)[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[], paintOf: (i: number) => Color | undefined) =>
    cells
      .map((c, i) => paint(c, paintOf(i), colors !== undefined) + (i === cells.length - 1 ? '' : ' '.repeat((widths[i] ?? 0) - displayWidth(c))))
      .join('   ')
      .trimEnd();
  return [line(header, () => 'bold'), ...rows.map((r, y) => line(r, (x) => colors?.[y]?.[x]))].join('\n') + '\n';
}

/** Structured output for scripts. */
export function serialize(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(value, null, 2) + '\n' : toYaml(value);
}

/** Where commands print; tests give their own. */
export interface Printer {
  write(text: string): void;
  color: boolean;
}

export const stdout: Printer = {
  write: (text) => void process.stdout.write(text),
  get color() {
    return colorEnabled();
  },
};

/** A list: a table, JSON/YAML for scripts, or one id a line with -q. */
export function printList<T>(rows: T[], columns: Column<T>[], opts: OutputOptions, idOf: (row: T) => string, out: Printer = stdout): void {
  if (opts.quiet) return out.write(rows.map((r) => idOf(r) + '\n').join(''));
  if (opts.output === 'json' || opts.output === 'yaml') return out.write(serialize(rows, opts.output));
  const header = columns.map((c) => c.header);
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const colors = out.color ? rows.map((row) => columns.map((c) => c.color?.(row))) : undefined;
  out.write(renderTable(header, cells, colors));
}

/** One object: its human view, JSON/YAML, or its id with -q. */
export function printItem<T>(item: T, opts: OutputOptions, human: (item: T) => string, idOf: (item: T) => string, out: Printer = stdout): void {
  if (opts.quiet) return out.write(idOf(item) + '\n');
  if (opts.output === 'json' || opts.output === 'yaml') return out.write(serialize(item, opts.output));
  out.write(human(item));
}

/** `key: value` lines with the values aligned. */
export function renderFields(fields: [string, string][]): string {
  const width = Math.max(...fields.map(([k]) => k.length)) + 2;
  return fields.map(([k, v]) => `${(k + ':').padEnd(width)}${v}`).join('\n') + '\n';
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value}B` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}${units[unit]}`;
}

/** How long ago, the way kubectl says it: 45s, 12m, 3h, 5d. */
export function formatAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** Parses a byte size such as 512M, 1G, 1.5GiB or 1048576 (see `parseByteSize`). */
export function parseBytes(text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined) throw new UsageError(`${text} is not a size (e.g. 512M, 1G, 1048576)`);
  return bytes;
}
