import http from 'node:http';
import { fillPath, routes, type RouteId } from '@gureum/contract';
import WebSocket from 'ws';
import type { TestGureum } from '../support/harness.js';

/** One answer of the API, whatever its status. */
export interface Reply {
  status: number;
  /** Parsed JSON, or the text when the answer is not JSON, or '' when headersOnly. */
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

/** How a request authenticates, and where it comes from. */
export interface Credentials {
  token?: string | undefined;
  /** The session cookie value (`gureum_session`). */
  session?: string | undefined;
  csrf?: string | undefined;
  /**
   * The client's source address. Every 127.0.0.0/8 address is loopback on Linux, so a test
   * can be several clients (the login limiter counts per address).
   */
  from?: string | undefined;
}

export interface RequestOptions extends Credentials {
  body?: unknown;
  /** Raw bytes with their media type instead of a JSON body. */
  raw?: { contentType: string; data: Buffer };
  headers?: Record<string, string>;
  /** On success, resolve on the response head and drop the connection (for streams that never end). */
  headersOnly?: boolean;
}

/** A plain HTTP request through node:http (fetch cannot choose its source address). */
export function request(baseUrl: string, method: string, path: string, o: RequestOptions = {}): Promise<Reply> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.session !== undefined) headers.cookie = `gureum_session=${encodeURIComponent(o.session)}`;
  if (o.csrf !== undefined) headers['x-csrf-token'] = o.csrf;
  let payload: Buffer | undefined;
  if (o.raw) {
    payload = o.raw.data;
    headers['content-type'] = o.raw.contentType;
  } else if (o.body !== undefined) {
    payload = Buffer.from(JSON.stringify(o.body));
    headers['content-type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, ...(o.from !== undefined && { localAddress: o.from }), timeout: 30_000 },
      (res) => {
        if (o.headersOnly && (res.statusCode ?? 0) < 300) {
          resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('application/json')) {
            try {
              body = JSON.parse(text);
            } catch {
              // keep the text
            }
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Calls a contract route by id with raw credentials: the answer is returned, never thrown. */
export function callRoute(g: TestGureum, id: RouteId, input: { params?: Record<string, unknown>; query?: Record<string, string> } & RequestOptions = {}): Promise<Reply> {
  const route = routes[id];
  const qs = new URLSearchParams(input.query ?? {}).toString();
  return request(g.url, route.method, fillPath(route.path, input.params) + (qs ? `?${qs}` : ''), input);
}

/** The error code of a reply, if it is an error. */
export function codeOf(reply: Reply): string | undefined {
  return (reply.body as { error?: { code?: string } } | undefined)?.error?.code;
}

/** A user of a test Gureum with the credentials tests act with. */
export interface TestUser {
  name: string;
  password: string;
  /** A full-power API token of this user. */
  token: string;
}

/** A session from a password login. */
export interface Session {
  session: string;
  csrf: string;
  setCookie: string;
}

export async function login(g: TestGureum, user: string, password: string, from?: string): Promise<Session> {
  const r = await callRoute(g, 'login', { body: { user, password }, from });
  if (r.status !== 200) throw new Error(`login of ${user} answered ${r.status} ${JSON.stringify(r.body)}`);
  const setCookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('gureum_session='));
  if (!setCookie) throw new Error('login set no session cookie');
  const session = decodeURIComponent(setCookie.split(';')[0]!.slice('gureum_session='.length));
  return { session, csrf: (r.body as { csrfToken: string }).csrfToken, setCookie };
}

/** Creates a user (as the admin), logs it in once and gives it a full API token. */
export async function createUser(g: TestGureum, name: string, options: { admin?: boolean; password?: string } = {}): Promise<TestUser> {
  const password = options.password ?? `pw-${name}-secret`;
  await g.client.call('createUser', { body: { name, password, admin: options.admin ?? false } });
  const s = await login(g, name, password);
  const token = await createToken(g, { session: s.session, csrf: s.csrf }, { name: 'main' });
  return { name, password, token: token.token };
}

/** Creates an API token with the given credentials; throws unless it is created. */
export async function createToken(g: TestGureum, as: Credentials, body: { name: string; readOnly?: boolean; projects?: string[]; expiresAt?: string }): Promise<{ id: string; token: string }> {
  const r = await callRoute(g, 'createToken', { ...as, body });
  if (r.status !== 201) throw new Error(`createToken answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; token: string };
}

/** Adds a member with a role (as the admin). */
export async function addMember(g: TestGureum, project: string, user: string, role: 'viewer' | 'member' | 'owner'): Promise<void> {
  await g.client.call('putMember', { params: { project, user }, body: { role } });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The outcome of an exec WebSocket: refused at the upgrade (status and error body), or opened. */
export type ExecOutcome = { refused: number; code: string | undefined } | { output: string; exit: number | null };

/** How an exec socket is opened: a bearer token, or credentials with extra headers and query. */
export type ExecAs = string | (Credentials & { headers?: Record<string, string>; query?: Record<string, string> });

/** Opens an exec socket into an instance and runs `command` to its end. */
export function openExec(g: TestGureum, as: ExecAs, project: string, instance: string, command: string[]): Promise<ExecOutcome> {
  const o = typeof as === 'string' ? { token: as } : as;
  const query = new URLSearchParams({ command: JSON.stringify(command), ...o.query }).toString();
  const url = `${g.url.replace(/^http/, 'ws')}${fillPath(routes.instanceExec.path, { project, instance })}?${query}`;
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.session !== undefined) headers.cookie = `gureum_session=${encodeURIComponent(o.session)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    let output = '';
    let exit: number | null = null;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('exec socket did not finish in 20 s'));
    }, 20_000);
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        req.destroy(); // with this listener, ws leaves the refused connection to us
        clearTimeout(timer);
        let code: string | undefined;
        try {
          code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        resolve({ refused: res.statusCode ?? 0, code });
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) output += data.toString();
      else {
        const msg = JSON.parse(data.toString()) as { type: string; code?: number };
        if (msg.type === 'exit') exit = msg.code ?? null;
      }
    });
    ws.on('close', () => {
      clearTimeout(timer);
      resolve({ output, exit });
    });
    ws.on('error', (err) => {
      if (!err.message.includes('Unexpected server response')) reject(err);
    });
  });
}

/** A live subscription to /api/v1/events/stream, collecting what arrives. */
export interface EventFeed {
  events: { id: number; type: string; project: string | null; message: string }[];
  close(): void;
}

export function followEvents(g: TestGureum, creds: Credentials, query: Record<string, string> = {}): Promise<EventFeed> {
  const qs = new URLSearchParams(query).toString();
  const url = new URL(routes.streamEvents.path + (qs ? `?${qs}` : ''), g.url);
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (creds.token !== undefined) headers.authorization = `Bearer ${creds.token}`;
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`events stream answered ${res.statusCode}`));
        return;
      }
      const feed: EventFeed = { events: [], close: () => req.destroy() };
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (data) feed.events.push(JSON.parse(data) as EventFeed['events'][number]);
        }
      });
      res.on('error', () => undefined);
      resolve(feed);
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
  });
}
