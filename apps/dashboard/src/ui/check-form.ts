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

/**
 * A number typed in a text field: undefined when empty (with "enter a number" in `errors` when
 * `required`) or not a number ("must be a number").
 */
export function numberOf(text: string, field: string, errors: Record<string, string>, required: boolean): number | undefined {
  const t = text.trim();
  if (t === '') {
    if (required) errors[field] = 'enter a number';
    return undefined;
  }
  const n = Number(t);
  if (!Number.isFinite(n)) {
    errors[field] = 'must be a number';
    return undefined;
  }
  return n;
}
