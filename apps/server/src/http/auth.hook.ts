import { timingSafeEqual } from 'node:crypto';
import { isWrite, routes, type RouteId, type RouteSpec } from '@gureum/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authorize } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import type { Services } from './context.js';

export const SESSION_COOKIE = 'gureum_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The error code this request was answered with, for the audit log. */
    errorCode?: string;
    /** A name to audit when there is no principal (a login attempt). */
    auditActor?: string;
  }
}

export function routeOf(request: FastifyRequest): { id: RouteId; route: RouteSpec } | undefined {
  const id = (request.routeOptions.config as { routeId?: RouteId } | undefined)?.routeId;
  return id ? { id, route: routes[id] } : undefined;
}

export function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authentication (bearer token, or session cookie with CSRF check on writes), authorization
 * by the route's declared access, and the audit of every change and every refusal.
 */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.addHook('onRequest', async (request) => {
    const found = routeOf(request);
    if (!found || found.route.access.kind === 'public') return;
    const { route } = found;
    const bearer = request.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    // Browsers cannot set headers on WebSocket and EventSource: those may pass ?access_token=.
    const queryToken = route.stream === 'websocket' || route.stream === 'sse' ? (request.query as { access_token?: string } | undefined)?.access_token : undefined;
    const principal = await services.auth.authenticate({ bearer: bearer ?? queryToken, session: cookie(request, SESSION_COOKIE) });
    request.principal = principal;
    if (principal.via === 'session' && isWrite(route) && route.stream !== 'websocket') {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !principal.csrf || !sameSecret(sent, principal.csrf)) {
        throw new DomainError('CSRF_FAILED', 'a cookie-authenticated change needs the X-CSRF-Token header from login');
      }
    }
    authorize(route, principal, request.params as Record<string, unknown>);
  });

  app.addHook('onResponse', async (request, reply) => {
    const found = routeOf(request);
    if (!found || found.route.stream === 'websocket') return; // exec sessions are audited by the socket itself
    const status = reply.statusCode;
    const refused = status === 401 || status === 403 || status === 429 || (status === 404 && request.principal !== undefined && request.errorCode === 'PROJECT_NOT_FOUND' && !isWrite(found.route) && found.route.access.kind === 'project');
    if (!isWrite(found.route) && !refused) return;
    if (found.route.access.kind === 'public' && found.id !== 'login') return;
    const params = request.params as { project?: string };
    await services.audit
      .record({
        actor: request.principal?.userName ?? request.auditActor ?? null,
        token: request.principal ? (request.principal.token?.name ?? 'session') : null,
        address: request.ip,
        action: found.id,
        method: request.method,
        path: request.url.split('?')[0]!,
        project: params.project ?? null,
        status,
        outcome: status < 400 ? 'ok' : refused || status === 404 ? 'refused' : 'failed',
        code: request.errorCode ?? null,
      })
      .catch((err: unknown) => request.log.error({ err }, 'could not write the audit log'));
  });
}
