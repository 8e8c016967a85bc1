import { statusOf, type ErrorBody } from '@gureum/contract';
import type { FastifyError } from 'fastify';
import { ZodError } from 'zod';
import { isDomainError } from '../domain/errors.js';

/** Maps anything thrown while handling a request to a status and the JSON error body. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (isDomainError(err)) {
    return { status: statusOf(err.code), body: { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }) } }, internal: false };
  }
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const message = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message, details } }, internal: false };
  }
  const fe = err as Partial<FastifyError>;
  const mapped: Record<string, [number, string]> = {
    FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON'],
    FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON'],
    FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'VALIDATION_FAILED'],
  };
  if (fe.code && mapped[fe.code]) {
    const [status, code] = mapped[fe.code]!;
    return { status, body: { error: { code, message: fe.message ?? code } }, internal: false };
  }
  if (err instanceof SyntaxError) return { status: 400, body: { error: { code: 'INVALID_JSON', message: `the request body is not valid JSON: ${err.message}` } }, internal: false };
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error; see the server log' } }, internal: true };
}
