import type { ErrorCode } from '@gureum/contract';

/**
 * The only error the domain throws on purpose: a stable code from the contract's catalogue,
 * a message a user can act on, and optional details. The HTTP layer maps code -> status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
