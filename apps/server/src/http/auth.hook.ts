import { timingSafeEqual } from 'node:crypto';
import { isWrite, routes, type RouteId, type RouteSpec } from '@gureum/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../domain/identity/access.js';
import { DomainError } from '../domain/core/errors.js';
import type { Services } from './context.js';
import { credentialWatcher } from './credential-watch.js';

export const SESSION_COOKIE = 'gureum_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The error code this request was answered with, for the audit log. */
    errorCode?: string;
    /** A name to audit when there is no principal (a login attempt). */
    auditActor?: string;
    /** Authentication or authorization refused this request. */
    refused?: boolean;
    /** The audit entry of this request is written. */
    audited?: boolean;
    /** The project a change concerns when its path names none (a project's private app). */
    auditProject?: string | undefined;
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
 * A cookie-authenticated change must prove it comes from Gureum's own pages: the X-CSRF-Token
 * header from login. A WebSocket handshake cannot carry headers, and SameSite does not stop a
 * sibling subdomain (same site, other origin), so exec over a cookie needs the browser's Origin
 * to be this host, or the token as ?csrf=.
 */
function checkCsrf(request: FastifyRequest, route: RouteSpec, secret: string | null): void {
  if (route.stream === 'websocket') {
    const origin = request.headers.origin;
    const param = (request.query as { csrf?: unknown } | undefined)?.csrf;
    if (origin !== undefined && hostOf(origin) === request.headers.host) return;
    if (typeof param === 'string' && secret !== null && sameSecret(param, secret)) return;
    throw new DomainError('CSRF_FAILED', `a cookie-authenticated terminal must be opened from Gureum's own origin, or carry ?csrf= from login`);
  }
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || secret === null || !sameSecret(sent, secret)) {
    throw new DomainError('CSRF_FAILED', 'a cookie-authenticated change needs the X-CSRF-Token header from login');
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Authentication (bearer token, or session cookie with CSRF check on writes), authorization
 * by the route's declared access, and the audit of every change and every refusal. A stream's
 * credential is checked again every `recheckMs` while it stays open.
 */
export function registerAuth(app: FastifyInstance, services: Services, recheckMs: number): void {
  app.addHook('onRequest', async (request) => {
    const found = routeOf(request);
    if (!found || found.route.access.kind === 'public') return;
    const { route } = found;
    try {
      const bearer = request.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
      // Browsers cannot set headers on WebSocket and EventSource: those may pass ?access_token=.
      const queryToken = route.stream === 'websocket' || route.stream === 'sse' ? (request.query as { access_token?: string } | undefined)?.access_token : undefined;
      const credentials = { bearer: bearer ?? queryToken, session: cookie(request, SESSION_COOKIE) };
      const principal = await services.auth.authenticate(credentials);
      request.principal = principal;
      if (principal.via === 'session' && isWrite(route)) checkCsrf(request, route, principal.csrf);
      const params = request.params as Record<string, unknown>;
      authorize(route, principal, params);
      // A stream stays open: its credential is checked again while it lasts.
      if (route.stream !== undefined) {
        request.watchCredential = credentialWatcher(async () => authorize(route, await services.auth.authenticate(credentials), params), recheckMs);
      }
    } catch (err) {
      request.refused = true;
      throw err;
    }
  });

  // Audited before the answer leaves, so a change the caller saw succeed is always in the log.
  app.addHook('onSend', async (request, reply, payload) => {
    await audit(services, request, reply);
    return payload;
  });

  // Streams (hijacked replies) never pass onSend: audited when they end.
  app.addHook('onResponse', async (request, reply) => {
    const found = routeOf(request);
    // A refused WebSocket upgrade was answered over HTTP and its socket never reached ws:
    // close it, or it stays open (and holds up shutdown) until the client goes.
    if (found?.route.stream === 'websocket' && request.headers.upgrade !== undefined && reply.statusCode >= 400) request.raw.socket?.destroy();
    await audit(services, request, reply);
  });
}

async function audit(services: Services, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.audited) return;
  request.audited = true;
  const found = routeOf(request);
  if (!found) return;
  const status = reply.statusCode;
  // An open exec session is audited by the socket itself; a refused one here.
  if (found.route.stream === 'websocket' && status < 400) return;
  const refused = request.refused === true || status === 401 || status === 403 || status === 429;
  if (!isWrite(found.route) && !refused) return;
  if (found.route.access.kind === 'public' && found.id !== 'login') return;
  const params = request.params as { project?: string };
  await services.audit
    .record({
      actor: request.principal?.userName ?? request.auditActor ?? null,
      token: request.principal ? (request.principal.token?.name ?? 'session') : null,
      address: request.ip,
      action: found.route.stream === 'websocket' ? 'exec.open' : found.id,
      method: request.method,
      path: request.url.split('?')[0]!,
      project: params.project ?? request.auditProject ?? null,
      status,
      outcome: refused ? 'refused' : status < 400 ? 'ok' : 'failed',
      code: request.errorCode ?? null,
    })
    .catch((err: unknown) => request.log.error({ err }, 'could not write the audit log'));
}
