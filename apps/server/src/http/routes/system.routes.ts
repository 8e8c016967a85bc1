import { Readable } from 'node:stream';
import { buildOpenApi, routes } from '@gureum/contract';
import { scopeOf } from '../../domain/identity/access.js';
import { DomainError } from '../../domain/core/errors.js';
import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';
import { streamEvents } from '../events.stream.js';
import { streamProgress } from '../progress.stream.js';
import { principalOf } from './identity.routes.js';

type SystemHandlers = Pick<Handlers, 'healthz' | 'readyz' | 'openapi' | 'listNodes' | 'listEvents' | 'streamEvents' | 'listImages' | 'pullImage' | 'loadImage' | 'deleteImage'>;

export function systemHandlers(s: Services): SystemHandlers {
  let openapi: Record<string, unknown> | undefined;
  return {
    healthz: () => Promise.resolve({ status: 'ok' as const, checks: { process: 'ok' } }),
    readyz: async (_input, { reply }) => {
      const checks: Record<string, string> = {};
      await s.store.ping().then(
        () => (checks.store = 'ok'),
        (err: Error) => (checks.store = err.message),
      );
      await s.runtime.ping().then(
        () => (checks.engine = 'ok'),
        (err: Error) => (checks.engine = err.message),
      );
      const ok = Object.values(checks).every((v) => v === 'ok');
      if (!ok) reply.code(503);
      return { status: ok ? ('ok' as const) : ('unavailable' as const), checks };
    },
    openapi: () => Promise.resolve((openapi ??= buildOpenApi())),
    listNodes: () => s.runtime.nodes(),
    listEvents: ({ query }, { request }) => s.events.list(query, scopeOf(principalOf(request))),
    streamEvents: ({ query }, { request, reply }) => streamEvents(s.events, query.project, principalOf(request), request, reply),
    listImages: (_input, { request }) => s.images.list(scopeOf(principalOf(request))),
    pullImage: ({ body }, { reply }) => streamProgress(reply, (onProgress) => s.images.pull(body.ref, onProgress).then((image) => ({ status: `pulled ${body.ref}`, image }))),
    loadImage: (_input, { request, reply }) => {
      // Only the upload media types reach here as a stream; anything else (JSON, text, no body) was parsed or absent.
      const tar = request.body;
      if (!(tar instanceof Readable)) {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `send the image tarball (docker save) as the request body with Content-Type: ${routes.loadImage.upload}`);
      }
      return streamProgress(reply, (onProgress) =>
        s.images.load(tar, onProgress).then((images) => ({ status: `loaded ${images.flatMap((i) => i.tags).join(', ') || images.map((i) => i.id).join(', ')}`, ...(images[0] && { image: images[0] }) })),
      );
    },
    deleteImage: async ({ params, query }) => {
      await s.images.delete(params.id, query.force === 'true' || query.force === '1');
      return { deleted: true as const };
    },
  };
}
