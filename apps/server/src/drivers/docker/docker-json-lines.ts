import { StringDecoder } from 'node:string_decoder';

/**
 * Splits the engine's newline-delimited JSON streams (events, pull and load progress) into
 * objects. A chunk may end mid-line or even mid-character, so text is carried over until its
 * newline arrives; a line that is not JSON is handed on as `{ text }` rather than thrown.
 */
export function createJsonLineParser(onObject: (value: Record<string, unknown>) => void): {
  push(chunk: Buffer | string): void;
  end(): void;
} {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emitLine = (line: string): void => {
    const text = line.trim();
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = { text };
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) onObject(value as Record<string, unknown>);
  };
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        emitLine(line);
      }
    },
    end() {
      pending += decoder.end();
      const rest = pending;
      pending = '';
      emitLine(rest);
    },
  };
}
