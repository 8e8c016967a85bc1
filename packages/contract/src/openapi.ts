import { z } from 'zod';
import { errorCatalog } from './errors.js';
import { toOpenApiPath, type RouteSpec } from './route.js';
import { routes } from './routes.js';
import { ErrorBody } from './schemas/common.schema.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as JsonObject;
  delete out.$schema;
  return out;
}

function parametersOf(route: RouteSpec): JsonObject[] {
  const list: JsonObject[] = [];
  const add = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
    }
  };
  add(route.params, 'path');
  add(route.query, 'query');
  return list;
}

function responsesOf(route: RouteSpec): JsonObject {
  const ok: JsonObject = { description: 'Success' };
  if (route.response) ok.content = { 'application/json': { schema: jsonSchema(route.response, 'output') } };
  else if (route.stream === 'ndjson') ok.content = { 'application/x-ndjson': { schema: { type: 'string' } } };
  else if (route.stream === 'sse') ok.content = { 'text/event-stream': { schema: { type: 'string' } } };
  else if (route.stream === 'text') ok.content = { 'text/plain': { schema: { type: 'string' } } };
  const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return { [String(route.status)]: ok, '4XX': error, '5XX': error };
}

/** The OpenAPI 3 document, built from the route table. */
export function buildOpenApi(version = '0.1.0'): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const [id, route] of Object.entries(routes) as [string, RouteSpec][]) {
    const op: JsonObject = {
      operationId: id,
      summary: route.summary,
      tags: [route.tag],
      parameters: parametersOf(route),
      responses: responsesOf(route),
    };
    if (route.access.kind === 'public') op.security = [];
    op['x-gureum-access'] = route.access;
    if (route.body) op.requestBody = { required: !route.body.safeParse(undefined).success, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
    if (route.upload) op.requestBody = { required: true, content: { [route.upload]: { schema: { type: 'string', format: 'binary' } } } };
    const path = toOpenApiPath(route.path);
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Gureum API',
      version,
      description: `Self-hosted container cloud. Error codes: ${Object.keys(errorCatalog).join(', ')}.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(ErrorBody, 'output') },
    },
    paths,
  };
}
