/** Values shorter than this are not masked: masking "a" or "on" would garble every line. */
export const MIN_MASKED_LENGTH = 4;
export const MASK = '***';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every occurrence of the values in one piece of text (longest values first). */
export function maskText(text: string, values: readonly string[]): string {
  const masked = maskableValues(values);
  if (masked.length === 0) return text;
  return text.replace(new RegExp(masked.map(escapeRegExp).join('|'), 'g'), MASK);
}

function maskableValues(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v.length >= MIN_MASKED_LENGTH))].sort((a, b) => b.length - a.length);
}

/**
 * Masks a stream of text chunks, also where a value is split across chunks: the tail of
 * the text that could be the start of a value is held back until the next chunk shows
 * whether it is. Only that tail waits; everything else passes at once.
 */
export class StreamMasker {
  private readonly values: string[];
  private readonly pattern: RegExp | null;
  private held = '';

  constructor(values: readonly string[]) {
    this.values = maskableValues(values);
    this.pattern = this.values.length > 0 ? new RegExp(this.values.map(escapeRegExp).join('|'), 'g') : null;
  }

  /** The text that can be shown now. */
  push(chunk: string): string {
    if (!this.pattern) return chunk;
    const text = (this.held + chunk).replace(this.pattern, MASK);
    const keep = this.startOfValueAtEnd(text);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** The rest, at the end of the stream. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** Length of the longest end of `text` that begins some value (without being all of it). */
  private startOfValueAtEnd(text: string): number {
    let longest = 0;
    for (const v of this.values) {
      const from = Math.max(0, text.length - (v.length - 1));
      for (let i = from; i < text.length - longest; i++) {
        if (text.charCodeAt(i) === v.charCodeAt(0) && v.startsWith(text.slice(i))) {
          longest = text.length - i;
          break;
        }
      }
    }
    return longest;
  }
}
