import { localErrors, type Checkable } from './validate.js';

/** A form checked before sending: the body to send, or messages by field. */
export type CheckedForm<T> = { ok: true; body: T } | { ok: false; errors: Record<string, string> };

/**
 * Checks a form's value with a contract schema (the API's own messages, see localErrors) plus
 * the form's own messages (`extra`: "must be a number" for a field typed as text), and
 * answers the parsed body when nothing is wrong.
 */
export function checkForm<T>(schema: Checkable & { parse(value: unknown): T }, value: unknown, extra: Record<string, string> = {}): CheckedForm<T> {
  const errors = { ...localErrors(schema, value), ...extra };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: schema.parse(value) };
}
