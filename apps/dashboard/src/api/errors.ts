import { ApiError } from '@gureum/contract';

/** An error as the dashboard shows it: a headline in plain words, the API's own message, field messages. */
export interface ShownError {
  title: string;
  message: string;
  code: string;
  status: number;
  /** Messages by field path ("components.0.image", "parameters.workers"). */
  fields: Record<string, string>;
}

const TITLES: Record<string, string> = {
  NETWORK: 'Gureum cannot be reached right now. Check the connection and try again.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  LOGIN_FAILED: 'That user name and password do not match.',
  TOO_MANY_ATTEMPTS: 'Too many attempts. Wait a minute and try again.',
  CSRF_FAILED: 'This page lost its sign-in token. Sign out and in again.',
  FORBIDDEN: 'Your role in this project does not allow this.',
  READ_ONLY_TOKEN: 'This session is read-only.',
  QUOTA_EXCEEDED: "This would go over the project's quota.",
  POLICY_VIOLATION: "The project's container policy does not allow this.",
  VALIDATION_FAILED: 'Some fields need fixing.',
  PARAMETER_INVALID: 'Some parameter values are not accepted.',
  REPLICAS_INVALID: 'The replica counts are not accepted.',
  PORT_CONFLICT: 'A host port is already in use.',
  ENGINE_UNAVAILABLE: 'The container engine is not answering. Gureum will retry by itself.',
  IMAGE_PULL_FAILED: 'The image could not be pulled.',
  IMAGE_LOAD_FAILED: 'The image archive could not be loaded.',
  PAYLOAD_TOO_LARGE: 'That is too large to send.',
  IMAGE_TOO_LARGE: 'The image archive is larger than this installation accepts.',
  USER_NOT_FOUND: 'There is no user of that name. Check the spelling.',
  MEMBER_NOT_FOUND: 'That name is not a member of this project.',
  IMAGE_TOO_MANY_LAYERS: 'The image has more layers than this installation accepts.',
  INTERNAL: 'Something went wrong inside Gureum. The server log says more.',
};

function titleOf(code: string, status: number): string {
  const known = TITLES[code];
  if (known) return known;
  if (code.endsWith('_NOT_FOUND')) return 'It is not there any more (or you cannot see it).';
  if (code.endsWith('_EXISTS')) return 'That name is already taken.';
  if (code.endsWith('_IN_USE') || code === 'PROJECT_NOT_EMPTY' || code === 'LAST_OWNER') return 'It is still in use.';
  if (status >= 500) return 'Gureum could not do this right now.';
  return 'The request was refused.';
}

/** Field messages from an error's details: zod issues ({path, message}[]) or {parameters: {name: problem}}. */
export function fieldErrors(details: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (Array.isArray(details)) {
    for (const issue of details) {
      const { path: rawPath, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
      if (typeof message !== 'string') continue;
      const path = typeof rawPath === 'string' ? rawPath : Array.isArray(rawPath) ? rawPath.join('.') : '';
      fields[path] ??= message;
    }
  } else if (details && typeof details === 'object' && 'parameters' in details) {
    const params: unknown = details.parameters;
    if (params && typeof params === 'object') {
      for (const [name, problem] of Object.entries(params)) if (typeof problem === 'string') fields[`parameters.${name}`] = problem;
    }
  }
  return fields;
}

/** Anything thrown by an API call, in words for the person looking at the page. */
export function describeError(err: unknown): ShownError {
  if (err instanceof ApiError) {
    return { title: titleOf(err.code, err.status), message: err.message, code: err.code, status: err.status, fields: fieldErrors(err.details) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { title: 'Something went wrong in this page.', message, code: 'CLIENT', status: 0, fields: {} };
}
