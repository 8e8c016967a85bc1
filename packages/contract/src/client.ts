import { fillPath, toParam, type RouteInput, type RouteOutput } from './route.js';
import { routePaths } from './route-paths.js';
// Types only: the schemas of routes.ts stay out of a bundle that only calls the API.
import type { ErrorCode } from './errors.js';
import type { RouteId, Routes } from './routes.js';
import type { Event } from './schemas/event.schema.js';

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
    const route = routePaths[id];
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
    const route = routePaths[id];
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

  /**
   * The lines of a text or NDJSON stream route (logs, image pull / load progress), without
   * their line ends; NDJSON callers JSON.parse each non-empty line. `init` may carry a
   * `signal` (aborting ends the iteration quietly) or an upload body. Leaving the loop early
   * releases the connection.
   */
  async *streamLines<K extends RouteId>(id: K, input: RouteInput<Routes[K]>, init: RequestInit = {}): AsyncGenerator<string, void, undefined> {
    const response = await this.raw(id, input, init);
    yield* quietOnAbort(readLines(bodyOf(response)), init.signal ?? undefined);
  }

  /**
   * Live lifecycle events (Server-Sent Events of the streamEvents route), oldest first. With
   * `lastEventId` the server first replays what came after it. Aborting `signal` ends the
   * iteration quietly; so does the server closing the stream (its `stream.ended` message is not
   * an event, and is not yielded). It does not reconnect: a caller
   * that wants to resumes with the id of the last event it saw.
   */
  async *events(query: RouteInput<Routes['streamEvents']>['query'] = {}, options: { lastEventId?: number | string; signal?: AbortSignal } = {}): AsyncGenerator<Event, void, undefined> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
    const response = await this.raw('streamEvents', { query }, { headers, ...(options.signal && { signal: options.signal }) });
    for await (const message of quietOnAbort(readSse(bodyOf(response)), options.signal)) {
      if (message.event === STREAM_ENDED) return;
      if (message.data === '') continue;
      yield JSON.parse(message.data) as Event;
    }
  }

  /**
   * The ws:// (or wss://) URL of the exec socket of a replica. The token travels as
   * ?access_token= because browsers cannot set headers on a WebSocket.
   */
  execUrl(input: RouteInput<Routes['instanceExec']>): string {
    const url = new URL(this.url('instanceExec', input));
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.options.token) url.searchParams.set('access_token', this.options.token);
    return url.toString();
  }
}

/**
 * The SSE event name of the last message of an event stream the server ends itself (the
 * credential no longer holds, the server stops); its data is a `StreamEnd`. It has no id and
 * is never a lifecycle event type.
 */
export const STREAM_ENDED = 'stream.ended';

/** Why the server ended a live stream: a code of the error catalogue and a message. */
export interface StreamEnd {
  code: ErrorCode;
  message: string;
}

/** One Server-Sent Event as it came over the wire. */
export interface SseMessage {
  /** The `id:` field of this event, if it had one. */
  id?: string;
  /** The `event:` field; "message" when absent. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
}

function bodyOf(response: Response): ReadableStream<Uint8Array> {
  if (!response.body) throw new ApiError(response.status, 'NETWORK', 'the server answered no body for a stream route');
  return response.body;
}

/** Text lines of a byte stream (split on \n, \r\n or \r); a last line without an end is kept. */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  // A "\r" at the very end of a chunk may be the first half of "\r\n".
  let skipLf = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let text = decoder.decode(value, { stream: true });
      if (skipLf && text.startsWith('\n')) text = text.slice(1);
      skipLf = false;
      pending += text;
      let start = 0;
      for (let i = 0; i < pending.length; i++) {
        const c = pending[i];
        if (c !== '\n' && c !== '\r') continue;
        yield pending.slice(start, i);
        if (c === '\r') {
          if (i + 1 === pending.length) skipLf = true;
          else if (pending[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    if (pending !== '') yield pending;
  } finally {
    // Leaving early (break, throw, abort) releases the connection.
    await reader.cancel().catch(() => undefined);
  }
}

/** Server-Sent Events of a byte stream, as the HTML standard parses them (comments and `retry:` dropped). */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage, void, undefined> {
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let sawData = false;
  for await (const line of readLines(body)) {
    if (line === '') {
      if (sawData) yield { ...(id !== undefined && { id }), event: event || 'message', data: data.join('\n') };
      data = [];
      event = '';
      id = undefined;
      sawData = false;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      sawData = true;
    } else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  }
  // An event not ended by a blank line is incomplete: the standard drops it.
}

/** Ends an iteration without an error when the caller's own signal aborted it. */
async function* quietOnAbort<T>(source: AsyncGenerator<T, void, undefined>, signal: AbortSignal | undefined): AsyncGenerator<T, void, undefined> {
  try {
    yield* source;
  } catch (err) {
    if (signal?.aborted) return;
    throw new ApiError(0, 'NETWORK', `the stream broke: ${(err as Error).message}`);
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
