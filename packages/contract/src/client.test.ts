import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiError, GureumClient, readSse } from './client.js';
import type { Event } from './schemas/event.schema.js';

/** What the tiny server saw of each request. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  closed: Promise<void>;
}

type Script = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

let server: http.Server;
let baseUrl: string;
let script: Script = (_req, res) => void res.end();
const seen: Seen[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes each piece as its own chunk, pausing between them so they arrive separately. */
async function writeChunks(res: http.ServerResponse, pieces: (string | Buffer)[]): Promise<void> {
  for (const piece of pieces) {
    res.write(piece);
    await sleep(5);
  }
}

function event(id: number, type: Event['type'], project: string): Event {
  return { id, time: new Date(0).toISOString(), type, project, instance: null, message: `${type} #${id}`, data: { n: id } };
}

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    req.once('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, closed });
      void script(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = () => new GureumClient({ baseUrl, token: 'gur_test' });
const lastSeen = () => seen[seen.length - 1]!;

describe('streamLines', () => {
  it('answers the lines of a text stream whatever the chunking, keeping empty lines and a last line without its end', async () => {
    const han = Buffer.from('한', 'utf8');
    script = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      await writeChunks(res, ['main/0 | one\nmain/0 | t', 'wo\n\nCRLF line\r', '\nCR line\rkorean ', han.subarray(0, 1), han.subarray(1), '\nlast without end']);
      res.end();
    };
    const lines: string[] = [];
    for await (const line of client().streamLines('instanceLogs', { params: { project: 'p1', instance: 'web' }, query: { tail: 5, replica: 1 } })) lines.push(line);
    assert.deepEqual(lines, ['main/0 | one', 'main/0 | two', '', 'CRLF line', 'CR line', 'korean 한', 'last without end']);
    const req = lastSeen();
    assert.equal(req.method, 'GET');
    assert.equal(req.url, '/api/v1/projects/p1/instances/web/logs?tail=5&replica=1');
    assert.equal(req.headers.authorization, 'Bearer gur_test');
  });

  it('sends the JSON body of a route and answers NDJSON lines', async () => {
    script = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      await writeChunks(res, ['{"status":"Pulling"}\n{"status":"Downl', 'oading","current":5,"total":10}\n', '{"status":"pulled x","image":{"id":"sha256:1","tags":["x:1"],"sizeBytes":1,"createdAt":"t"}}\n']);
      res.end();
    };
    const lines: unknown[] = [];
    for await (const line of client().streamLines('pullImage', { body: { ref: 'x:1' } })) lines.push(JSON.parse(line));
    assert.deepEqual(lines, [
      { status: 'Pulling' },
      { status: 'Downloading', current: 5, total: 10 },
      { status: 'pulled x', image: { id: 'sha256:1', tags: ['x:1'], sizeBytes: 1, createdAt: 't' } },
    ]);
    assert.equal(lastSeen().method, 'POST');
    assert.equal(lastSeen().headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(lastSeen().body), { ref: 'x:1' });
  });

  it('throws the API error of an error status before any line', async () => {
    script = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'REPLICA_NOT_FOUND', message: 'no replica 9' } }));
    };
    const lines = client().streamLines('instanceLogs', { params: { project: 'p1', instance: 'web' }, query: { replica: 9 } });
    await assert.rejects(lines.next(), (err: unknown) => err instanceof ApiError && err.status === 404 && err.code === 'REPLICA_NOT_FOUND' && err.message === 'no replica 9');
  });

  it('releases the connection when the caller leaves the loop, and ends quietly on its abort signal', async () => {
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const timer = setInterval(() => res.write(`line ${n++}\n`), 10);
      res.once('close', () => clearInterval(timer));
    };
    const got: string[] = [];
    for await (const line of client().streamLines('instanceLogs', { params: { project: 'p1', instance: 'web' }, query: { follow: 'true' } })) {
      got.push(line);
      if (got.length === 3) break;
    }
    assert.deepEqual(got, ['line 0', 'line 1', 'line 2']);
    await lastSeen().closed; // the server saw the client go (the test would hang otherwise)

    const controller = new AbortController();
    const aborted: string[] = [];
    for await (const line of client().streamLines('instanceLogs', { params: { project: 'p1', instance: 'web' }, query: { follow: 'true' } }, { signal: controller.signal })) {
      aborted.push(line);
      if (aborted.length === 2) controller.abort();
    }
    assert.ok(aborted.length >= 2 && aborted.length <= 3, `got ${aborted.length} lines`);
    await lastSeen().closed;
  });
});

describe('events', () => {
  it('parses SSE into events, skipping comments and events without data, and sends Last-Event-ID and the project filter', async () => {
    const e1 = event(41, 'instance.created', 'lab');
    const e2 = event(42, 'instance.phase_changed', 'lab');
    const wire = [': connected\n\n', `id: 41\nevent: ${e1.type}\ndata: ${JSON.stringify(e1)}\n`, '\n: ping\n\nevent: nothing\n\n', `id: 42\r\nevent: ${e2.type}\r\ndata:${JSON.stringify(e2)}\r\n\r\n`, 'id: 43\ndata: {"incomplete":'];
    script = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Split every piece in two so that fields arrive cut in the middle.
      await writeChunks(res, wire.flatMap((w) => [w.slice(0, Math.ceil(w.length / 2)), w.slice(Math.ceil(w.length / 2))]));
      res.end();
    };
    const got: Event[] = [];
    for await (const e of client().events({ project: 'lab' }, { lastEventId: 40 })) got.push(e);
    assert.deepEqual(got, [e1, e2]);
    assert.equal(lastSeen().url, '/api/v1/events/stream?project=lab');
    assert.equal(lastSeen().headers['last-event-id'], '40');
    assert.equal(lastSeen().headers.accept, 'text/event-stream');
  });

  it('ends quietly when the caller aborts a live stream, and the server sees the connection close', async () => {
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let id = 1;
      const timer = setInterval(() => res.write(`id: ${id}\nevent: replica.started\ndata: ${JSON.stringify(event(id++, 'replica.started', 'lab'))}\n\n`), 10);
      res.once('close', () => clearInterval(timer));
    };
    const controller = new AbortController();
    const ids: number[] = [];
    for await (const e of client().events({}, { signal: controller.signal })) {
      ids.push(e.id);
      if (ids.length === 3) controller.abort();
    }
    assert.deepEqual(ids.slice(0, 3), [1, 2, 3]);
    assert.equal(lastSeen().headers['last-event-id'], undefined);
    await lastSeen().closed;
  });

  it('joins multi-line data and keeps the id and event name (readSse)', async () => {
    const body = new Response('retry: 100\nid: 7\nevent: custom\ndata: a\ndata:b\ndata\n\ndata: plain\n\n').body!;
    const messages = [];
    for await (const m of readSse(body)) messages.push(m);
    assert.deepEqual(messages, [
      { id: '7', event: 'custom', data: 'a\nb\n' },
      { event: 'message', data: 'plain' },
    ]);
  });
});

describe('execUrl', () => {
  it('answers the ws:// URL of the exec socket with the query and the token as access_token', () => {
    const url = new URL(client().execUrl({ params: { project: 'p1', instance: 'web' }, query: { component: 'main', replica: 0, command: '["sh","-c","exit 3"]' } }));
    assert.equal(url.protocol, 'ws:');
    assert.equal(url.host, new URL(baseUrl).host);
    assert.equal(url.pathname, '/api/v1/projects/p1/instances/web/exec');
    assert.equal(url.searchParams.get('component'), 'main');
    assert.equal(url.searchParams.get('replica'), '0');
    assert.equal(url.searchParams.get('command'), '["sh","-c","exit 3"]');
    assert.equal(url.searchParams.get('access_token'), 'gur_test');
    const secure = new GureumClient({ baseUrl: 'https://gureum.example/' }).execUrl({ params: { project: 'p', instance: 'i' } });
    assert.equal(secure, 'wss://gureum.example/api/v1/projects/p/instances/i/exec');
  });
});
