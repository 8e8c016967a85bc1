/** The part of a contract (zod) schema a form needs. */
export interface Checkable {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Checks a form's value with the contract's own schema before sending it, and answers
 * messages by field path exactly as the API would put them in `details` (same schema, same
 * words, same "a.0.b" paths), so a field shows the same message either way.
 */
export function localErrors(schema: Checkable, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[issue.path.map(String).join('.')] ??= issue.message;
  return fields;
}
