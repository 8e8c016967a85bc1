import type { ErrorCode } from '@gureum/contract';
import { DomainError } from '../../domain/core/errors.js';

/** Socket-level failures: the engine is not there (or not answering), whatever was asked. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EACCES',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ERR_SOCKET_CLOSED',
  'UND_ERR_SOCKET',
]);

/** Thrown by `callEngine` when a call outlives its deadline; mapped to ENGINE_UNAVAILABLE. */
export class EngineTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'EngineTimeoutError';
  }
}

/** The shape of the errors docker-modem produces (HTTP status plus the engine's JSON body). */
interface ModemError {
  message?: string;
  code?: string;
  name?: string;
  statusCode?: number;
  reason?: string;
  json?: unknown;
}

/** The engine's own words, without docker-modem's "(HTTP code 404) no such container - " wrapper. */
export function engineMessage(err: unknown): string {
  const e = (err ?? {}) as ModemError;
  const json = e.json;
  if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string') {
    return json.message.trim();
  }
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8').trim();
  const msg = typeof e.message === 'string' ? e.message : String(err);
  const text = msg.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
  if (text !== '' && text !== '[object Object]') return text;
  return e.statusCode !== undefined ? `HTTP ${e.statusCode}${e.reason ? ` (${e.reason})` : ''} with no message` : msg;
}

export function isConnectionError(err: unknown): boolean {
  if (err instanceof EngineTimeoutError) return true;
  const e = (err ?? {}) as ModemError;
  if (e.statusCode !== undefined) return false;
  if (e.name === 'AbortError') return true;
  return typeof e.code === 'string' && CONNECTION_CODES.has(e.code);
}

export function statusOfEngineError(err: unknown): number | undefined {
  const status = (err as ModemError | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The one translation of a dockerode failure into the catalogue. `byStatus` names the code an
 * HTTP status means for this particular call (404 is "no such container" for one call and
 * "no such image" for another); anything unmapped becomes INTERNAL with the engine's words.
 */
export function toDomainError(
  err: unknown,
  engine: string,
  what: string,
  byStatus: Partial<Record<number, ErrorCode>> = {},
): DomainError {
  if (err instanceof DomainError) return err;
  if (isConnectionError(err)) {
    const cause = err instanceof EngineTimeoutError ? err.message : `${(err as ModemError).code ?? ''} ${engineMessage(err)}`.trim();
    return new DomainError('ENGINE_UNAVAILABLE', `the Docker engine at ${engine} does not answer: ${cause}`, { engine, operation: what });
  }
  const status = statusOfEngineError(err);
  const message = engineMessage(err);
  const code = status !== undefined ? byStatus[status] : undefined;
  if (code) return new DomainError(code, `${what}: ${message}`, { engine, status });
  return new DomainError('INTERNAL', `${what} failed on the Docker engine at ${engine}: ${message}`, { engine, status });
}
