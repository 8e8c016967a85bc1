import { Name, SecretPut, type Event } from '@gureum/contract';
import { localErrors } from '../ui/validate.js';

export interface SecretForm {
  name: string;
  /** Write-only: sent once, never read back. */
  value: string;
}

export const EMPTY_SECRET_FORM: SecretForm = { name: '', value: '' };

/** Messages by field for a secret form: the name is a path parameter, the value the body. */
export function secretErrors(form: SecretForm): Record<string, string> {
  const name = localErrors(Name, form.name.trim())[''];
  const errors: Record<string, string> = { ...localErrors(SecretPut, { value: form.value }) };
  if (name !== undefined) errors.name = name;
  if (form.value === '') errors.value ??= 'enter the value to store';
  return errors;
}

/** Events after which a project's secret list changed. */
export function touchesSecrets(project: string): (e: Event) => boolean {
  return (e) => e.project === project && (e.type === 'secret.updated' || e.type === 'secret.deleted');
}
