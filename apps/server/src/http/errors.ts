import { statusOf, type ErrorBody } from '@gureum/contract';
import type { FastifyError } from 'fastify';
import { ZodError } from 'zod';
import { isDomainError } from '../domain/core/errors.js';

/** An HTTP answer to an error: status, JSON body, and headers the status calls for. */
export interface HttpError {
  status: number;
  body: ErrorBody;
  /** e.g. Retry-After (seconds) on a 429 whose details say when to come back. */
  headers: Record<string, string>;
  internal: boolean;
}

/** Maps anything thrown while handling a request to a status and the JSON error body. */
export function toHttpError(err: unknown): HttpError {
  if (isDomainError(err)) {
    const status = statusOf(err.code);
    return { status, body: { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }) } }, headers: retryAfter(status, err.details), internal: false };
  }
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const message = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message, details } }, headers: {}, internal: false };
  }
  const fe = err as Partial<FastifyError>;
  const mapped: Record<string, [number, string]> = {
    FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON'],
    FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON'],
    FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'VALIDATION_FAILED'],
    FST_ERR_MAX_PARAM_LENGTH: [414, 'URI_TOO_LONG'],
    FST_ERR_BAD_URL: [400, 'VALIDATION_FAILED'],
    FST_ERR_ASYNC_CONSTRAINT: [400, 'VALIDATION_FAILED'],
  };
  if (fe.code && mapped[fe.code]) {
    const [status, code] = mapped[fe.code]!;
    return { status, body: { error: { code, message: fe.message ?? code } }, headers: {}, internal: false };
  }
  // Any other error Fastify itself raised with a client status is the client's: its status, a generic code.
  if (fe.code?.startsWith('FST_') && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: 'VALIDATION_FAILED', message: fe.message ?? 'the request is not valid' } }, headers: {}, internal: false };
  }
  if (err instanceof SyntaxError) return { status: 400, body: { error: { code: 'INVALID_JSON', message: `the request body is not valid JSON: ${err.message}` } }, headers: {}, internal: false };
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error; see the server log' } }, headers: {}, internal: true };
}

/** RFC 9110: a 429 (or 503) may say how many seconds to wait; clients and proxies read the header, not the body. */
function retryAfter(status: number, details: unknown): Record<string, string> {
  if (status !== 429 && status !== 503) return {};
  const seconds = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? { 'retry-after': String(Math.ceil(seconds)) } : {};
}
