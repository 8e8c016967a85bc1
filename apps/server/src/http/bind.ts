import { routes, type RouteId, type RouteInput, type RouteOutput, type Routes, type RouteSpec } from '@gureum/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

export interface HandlerContext {
  request: FastifyRequest;
  reply: FastifyReply;
}

type Parsed<R extends RouteSpec> = {
  params: R['params'] extends z.ZodType ? z.output<R['params']> : undefined;
  query: R['query'] extends z.ZodType ? z.output<R['query']> : undefined;
  body: R['body'] extends z.ZodType ? z.output<R['body']> : undefined;
};

/** A handler receives validated input; JSON routes answer their response, stream routes write to the reply. */
export type Handler<R extends RouteSpec> = (input: Parsed<R>, ctx: HandlerContext) => Promise<R['response'] extends z.ZodType ? RouteOutput<R> : void>;

/** Every route of the contract must have a handler: a new route without one fails the build. */
export type Handlers = { [K in Exclude<RouteId, 'instanceExec'>]: Handler<Routes[K]> };

export type { RouteInput };

/** Registers every contract route: parse with its schemas, call its handler, answer its status. */
export function bindRoutes(app: FastifyInstance, handlers: Handlers): void {
  for (const [id, route] of Object.entries(routes) as [RouteId, RouteSpec][]) {
    if (route.stream === 'websocket') continue;
    const handler = handlers[id as keyof Handlers] as unknown as (input: unknown, ctx: HandlerContext) => Promise<unknown>;
    app.route({
      method: route.method,
      url: route.path,
      config: { routeId: id },
      handler: async (request, reply) => {
        const input = {
          params: route.params ? route.params.parse(request.params) : undefined,
          query: route.query ? route.query.parse(request.query) : undefined,
          body: route.body ? route.body.parse(route.upload ? undefined : (request.body ?? undefined)) : undefined,
        };
        const result = await handler(input, { request, reply });
        if (route.stream) return reply;
        // A handler may answer another status itself (readyz: 503); otherwise the route's.
        if (reply.statusCode === 200) reply.code(route.status);
        return reply.send(result);
      },
    });
  }
}
