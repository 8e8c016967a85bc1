import type { FastifyRequest } from 'fastify';
import { DomainError } from '../domain/core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set by the auth hook on a stream that passed it: watches the request's credential while
     * the connection stays open (see `credentialWatcher`). Answers the function that stops it.
     */
    watchCredential?: (lost: (refusal: DomainError) => void) => () => void;
  }
}

/**
 * A watch of a credential that a connection that stays open (an event or log stream, a
 * terminal) was let in with: every `everyMs` it is authenticated and authorized again as it
 * stands now (`recheck`). The first time it no longer holds (the token revoked or expired, the
 * session ended, the user disabled or deleted, the role the route needs gone), `lost` gets the
 * refusal and the watch stops. A check that could not run (the store failing) is tried again
 * at the next tick: only a refusal ends a connection.
 */
export function credentialWatcher(recheck: () => Promise<unknown>, everyMs: number): NonNullable<FastifyRequest['watchCredential']> {
  return (lost) => {
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      recheck().then(
        () => (checking = false),
        (err: unknown) => {
          if (!(err instanceof DomainError)) return void (checking = false);
          clearInterval(timer);
          lost(err);
        },
      );
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  };
}

/** Ends `request`'s stream through `end` when its credential no longer holds. */
export function endWhenCredentialLost(request: FastifyRequest, end: (refusal: DomainError) => void): () => void {
  return request.watchCredential?.(end) ?? (() => undefined);
}
