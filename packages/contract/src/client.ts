import { fillPath, toParam, type RouteInput, type RouteOutput } from './route.js';
import { routes, type RouteId, type Routes } from './routes.js';

/** An error answered by the API (or a transport failure, with status 0 and code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

type AnyInput = { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };

/** The one typed client of the API: the dashboard and the CLI both use it. */
export class GureumClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** The URL of a route with its path and query filled in. */
  url<K extends RouteId>(id: K, input: Partial<RouteInput<Routes[K]>> = {}): string {
    const { params, query } = input as AnyInput;
    const route = routes[id];
    const url = new URL(fillPath(route.path, params), this.options.baseUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, toParam(value));
    }
    return url.toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      ...this.options.headers,
      ...extra,
    };
  }

  /** Send a request and answer the raw Response (for streams); throws ApiError on an error status. */
  async raw<K extends RouteId>(id: K, input: RouteInput<Routes[K]>, init: RequestInit = {}): Promise<Response> {
    const route = routes[id];
    const { body } = input as AnyInput;
    const headers = this.headers(init.headers as Record<string, string> | undefined);
    let payload: RequestInit['body'] = init.body;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(id, input), { ...init, method: route.method, headers, body: payload });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', `cannot reach ${this.options.baseUrl}: ${(err as Error).message}`);
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  /** Call a JSON route. */
  async call<K extends RouteId>(id: K, input: RouteInput<Routes[K]>): Promise<RouteOutput<Routes[K]>> {
    const response = await this.raw(id, input);
    return (await response.json()) as RouteOutput<Routes[K]>;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (parsed.error?.code) {
      return new ApiError(response.status, parsed.error.code, parsed.error.message ?? parsed.error.code, parsed.error.details);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, 'HTTP_' + response.status, text.slice(0, 500) || response.statusText);
}
