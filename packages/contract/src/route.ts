import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Roles in a project, weakest first. */
export const ROLES = ['viewer', 'member', 'owner'] as const;
export type ProjectRole = (typeof ROLES)[number];

/**
 * Who may call a route. Every route states it: the server enforces it in one place and the
 * authorization matrix test is generated from it.
 * - public: no credentials.
 * - user: any signed-in user; what it answers is limited to what the user may see.
 * - admin: the global administrator.
 * - project: the route's :project, with at least this role (admins pass; non-members get 404).
 */
export type Access = { kind: 'public' } | { kind: 'user' } | { kind: 'admin' } | { kind: 'project'; role: ProjectRole };

/**
 * One API operation. The same object gives the server its validation, the OpenAPI document
 * its operation and the typed client its method.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** Fastify-style path: `/api/v1/projects/:project`. */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Absent for routes that answer a stream. */
  response?: z.ZodType;
  /** Success status. */
  status: number;
  /** How a non-JSON answer or request flows. */
  stream?: 'ndjson' | 'sse' | 'text' | 'websocket';
  /** The request body is raw bytes of this media type (streamed, never buffered whole). */
  upload?: string;
  access: Access;
}

/** A route changes state (refused to read-only tokens, audited). Exec counts as a change. */
export function isWrite(route: Pick<RouteSpec, 'method' | 'stream'>): boolean {
  return route.method !== 'GET' || route.stream === 'websocket';
}

export function defineRoute<const T extends RouteSpec>(spec: T): T {
  return spec;
}

type Field<K extends string, S> = S extends z.ZodType ? (undefined extends z.input<S> ? { [k in K]?: z.input<S> } : { [k in K]: z.input<S> }) : { [k in K]?: never };
type OptionalField<K extends string, S> = S extends z.ZodType ? { [k in K]?: z.input<S> } : { [k in K]?: never };

/** What a caller passes for a route. */
export type RouteInput<R extends RouteSpec> = Field<'params', R['params']> &
  OptionalField<'query', R['query']> &
  Field<'body', R['body']>;

/** What a route answers. */
export type RouteOutput<R extends RouteSpec> = R['response'] extends z.ZodType ? z.output<R['response']> : unknown;

/** `/a/:b` -> `/a/{b}` */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}

/** Fill `:name` segments, URL-encoded. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]+)/g, (_m, key: string) => {
    const value = params?.[key];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${key}`);
    return encodeURIComponent(toParam(value));
  });
}

/** A path or query value as text. */
export function toParam(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
