import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import { bindRoutes } from './bind.js';
import type { Services } from './context.js';
import { allowedMethods } from './allowed-methods.js';
import { toHttpError } from './errors.js';
import { registerAuth } from './auth.hook.js';
import { dashboardHandler, registerDashboard } from './dashboard.static.js';
import { endLiveStreams } from './events.stream.js';
import { registerExec } from './exec.socket.js';
import { registerPrometheus } from './prometheus.exposition.js';
import { identityHandlers } from './routes/identity.routes.js';
import { catalogHandlers } from './routes/catalog.routes.js';
import { governanceHandlers } from './routes/governance.routes.js';
import { instanceHandlers } from './routes/instances.routes.js';
import { systemHandlers } from './routes/system.routes.js';
import { metricsHandlers } from './routes/metrics.routes.js';
import { alertHandlers } from './routes/alerts.routes.js';

const JSON_BODY_LIMIT = 1024 * 1024;
const UPLOAD_LIMIT = 64 * 1024 * 1024 * 1024;
/** Above the longest id the contract takes (an image reference of 512 characters, each of which may be percent-encoded). */
const MAX_PARAM_LENGTH = 3 * 512;

export interface ServerOptions {
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** How often the credential of an open stream or terminal is checked again. */
  streamRecheckMs: number;
}

/** The HTTP API: every contract route, the exec WebSocket, one error handler, one auth hook. */
export async function buildServer(services: Services, log: Logger, { tls, streamRecheckMs }: ServerOptions): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = log;
  const options = {
    loggerInstance: logger,
    bodyLimit: JSON_BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router raises before any route (a bad URL, an over-long parameter): the same envelope.
    frameworkErrors: (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toHttpError(err);
      void reply.code(status).send(body);
    },
  };
  // One type for both: the routes do not care whether the socket is TLS (request.protocol tells).
  const app = (tls ? Fastify({ ...options, https: tls }) : Fastify(options)) as unknown as FastifyInstance;

  // The API speaks JSON (and tarballs): a body of another type is 415, not a string handed to a schema.
  app.removeContentTypeParser('text/plain');
  // Image uploads stream straight to the engine: never buffered whole.
  app.addContentTypeParser(['application/x-tar', 'application/octet-stream'], { bodyLimit: UPLOAD_LIMIT }, (_req, payload, done) => done(null, payload));

  // Registered before the auth hook, so the plugin closes refused upgrades itself.
  await app.register(websocket);
  // Followed event and log streams never end by themselves: end them so close() can finish.
  app.addHook('preClose', (done) => {
    endLiveStreams(app.server);
    done();
  });

  registerAuth(app, services, streamRecheckMs);

  app.addHook('onResponse', async (request, reply) => {
    // Paths only: a query may carry ?access_token= (EventSource, WebSocket).
    request.log.debug({ method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((err, request, reply) => {
    const { status, body, headers, internal } = toHttpError(err);
    request.errorCode = body.error.code;
    if (internal) request.log.error({ err, path: request.url.split('?')[0] }, 'request failed');
    void reply.code(status).headers(headers).send(body);
  });

  const dashboard = dashboardHandler();
  registerDashboard(app, dashboard);
  app.setNotFoundHandler((request, reply) => {
    if (dashboard(request, reply)) return;
    const allowed = allowedMethods(request.url.split('?')[0]!);
    if (allowed) {
      void reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({ error: { code: 'METHOD_NOT_ALLOWED', message: `${request.method} is not a method of ${request.url.split('?')[0]}: use ${allowed.join(', ')}`, details: { allowed } } });
      return;
    }
    void reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  bindRoutes(app, { ...catalogHandlers(services), ...instanceHandlers(services), ...systemHandlers(services), ...identityHandlers(services), ...governanceHandlers(services), ...metricsHandlers(services), ...alertHandlers(services) });
  registerExec(app, services);
  registerPrometheus(app, services);
  return app;
}
