import { ApiError, errorCatalog, isErrorCode, type ImageProgress } from '@gureum/contract';
import { formatBytes } from './output.js';

/** `[=====>    ]` for current of total; a bare byte count when the total is unknown. */
export function renderBar(current: number, total: number | undefined, width = 30): string {
  if (!total || total <= 0) return formatBytes(current);
  const fraction = Math.min(1, Math.max(0, current / total));
  const filled = Math.floor(fraction * width);
  const bar = filled >= width ? '='.repeat(width) : '='.repeat(filled) + '>' + ' '.repeat(width - filled - 1);
  return `[${bar}] ${formatBytes(current)}/${formatBytes(total)}`;
}

/** One line of a progress view: `id: status [bar]`. */
export function formatProgress(p: Pick<ImageProgress, 'id' | 'status' | 'current' | 'total'>, width = 30): string {
  const head = p.id ? `${p.id}: ${p.status}` : p.status;
  return p.current !== undefined ? `${head} ${renderBar(p.current, p.total, width)}` : head;
}

/** The failure carried by an `error` line of a progress stream, as the API error it is. */
export function progressError(p: ImageProgress): ApiError | undefined {
  if (!p.error) return undefined;
  const status = isErrorCode(p.error.code) ? errorCatalog[p.error.code] : 500;
  return new ApiError(status, p.error.code, p.error.message);
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Progress of a pull or an upload on stderr. On a terminal each layer keeps one line with a
 * live bar, redrawn in place; elsewhere (logs, CI) a line is written only when a layer's
 * status changes, never once per chunk.
 */
export class ProgressView {
  private readonly lines = new Map<string, string>();
  private readonly statuses = new Map<string, string>();
  private drawn = 0;
  private lastDraw = 0;

  constructor(
    private readonly out: Output = process.stderr,
    private readonly now: () => number = Date.now,
  ) {}

  update(p: Pick<ImageProgress, 'id' | 'status' | 'current' | 'total'>): void {
    const key = p.id ?? p.status;
    if (!this.out.isTTY) {
      if (this.statuses.get(key) === p.status) return;
      this.statuses.set(key, p.status);
      this.out.write(formatProgress({ ...p, current: undefined }) + '\n');
      return;
    }
    const changed = this.statuses.get(key) !== p.status || p.current === p.total;
    this.statuses.set(key, p.status);
    this.lines.set(key, formatProgress(p));
    // A redraw per chunk of a big upload would be thousands a second: ten are enough.
    if (changed || this.now() - this.lastDraw >= 100) this.redraw();
  }

  /** Draws the last state of every line (some updates may have been skipped). */
  finish(): void {
    if (this.out.isTTY && this.lines.size > 0) this.redraw();
  }

  private redraw(): void {
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const line of this.lines.values()) text += `\x1b[2K${line}\n`;
    this.drawn = this.lines.size;
    this.lastDraw = this.now();
    this.out.write(text);
  }
}
