/** What the server's text frames on the exec socket mean (binary frames are terminal bytes). */
export type ServerMessage = { type: 'exit'; code: number } | { type: 'error'; code: string; message: string } | { type: 'unknown' };

export function parseServerMessage(text: string): ServerMessage {
  try {
    const m = JSON.parse(text) as { type?: unknown; code?: unknown; message?: unknown };
    if (m.type === 'exit' && typeof m.code === 'number') return { type: 'exit', code: m.code };
    if (m.type === 'error') return { type: 'error', code: typeof m.code === 'string' ? m.code : 'ERROR', message: typeof m.message === 'string' ? m.message : '' };
  } catch {
    // not JSON
  }
  return { type: 'unknown' };
}

/** The resize message the server understands. */
export function resizeMessage(cols: number, rows: number): string {
  return JSON.stringify({ type: 'resize', cols, rows });
}
