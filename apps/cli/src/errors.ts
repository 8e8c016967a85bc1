import { ApiError } from '@gureum/contract';

/** The exit codes scripts may rely on (documented in the README and in `gureum --help`). */
export const EXIT = { ok: 0, api: 1, usage: 2, interrupted: 130 } as const;

/** The command line itself is wrong (or there is nothing to talk to): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Something the CLI waited for did not happen (a --wait that timed out, an instance that failed): exit 1. */
export class Failure extends Error {
  constructor(
    readonly code: 'TIMEOUT' | 'INSTANCE_FAILED' | 'EXEC_FAILED' | 'STREAM_ENDED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Ends the command with a code that is not an error of the CLI: `exec` passes the exit code of
 * the remote process through this way.
 */
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** The one mapping from what went wrong to the process exit code. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof ExitWith) return err.code;
  if (err instanceof UsageError) return EXIT.usage;
  return EXIT.api;
}

/** What goes on stderr for a failure: the API's message and code, never a stack for expected errors. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const code = err.status === 0 ? err.code : `${err.code}, HTTP ${err.status}`;
    let text = `error: ${err.message} (${code})`;
    if (err.details !== undefined && err.details !== null) text += `\n  details: ${JSON.stringify(err.details)}`;
    return text;
  }
  if (err instanceof UsageError) return `error: ${err.message}`;
  if (err instanceof Failure) return `error: ${err.message} (${err.code})`;
  if (err instanceof Error) return `error: ${err.message}`;
  return `error: ${String(err)}`;
}
