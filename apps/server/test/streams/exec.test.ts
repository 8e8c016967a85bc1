import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { waitRunning } from './support.js';

let g: TestGureum;
const project = uniqueName('exec');
const app = uniqueName('shell');

/** A client end of the exec socket that records everything the server sends. */
class Terminal {
  output = '';
  readonly texts: Record<string, unknown>[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<void>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.output += data.toString('utf8');
      else this.texts.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code: number) => {
        this.closeCode = code;
        resolve();
      }),
    );
  }

  /** Sends terminal bytes (a binary frame). */
  type(text: string): void {
    this.ws.send(Buffer.from(text), { binary: true });
  }

  /** Waits for output matching `pattern` after what was already read at `from`. */
  async expect(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    return waitFor(() => pattern.exec(this.output.slice(from)) ?? undefined, { timeoutMs: 10_000, what: `terminal output ${pattern} (got ${JSON.stringify(this.output.slice(from))})` });
  }
}

function execUrl(query: Record<string, string>, instance = 'box'): string {
  const url = new URL(`${g.url.replace(/^http/, 'ws')}/api/v1/projects/${project}/instances/${instance}/exec`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
function open(url: string, headers: Record<string, string> = { authorization: `Bearer ${g.token}` }): Promise<Terminal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const terminal = new Terminal(ws);
    ws.once('open', () => resolve(terminal));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy(); // with this listener, ending the refused request is ours to do
        reject(Object.assign(new Error(`upgrade refused with ${res.statusCode}: ${body}`), { status: res.statusCode, body }));
      });
    });
    ws.once('error', reject);
  });
}

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'box', app } });
  await g.client.call('createInstance', { params: { project }, body: { name: 'halted', app } });
  await waitRunning(g, project, 'box');
  await waitRunning(g, project, 'halted');
  await g.client.call('stopInstance', { params: { project, instance: 'halted' } });
  await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance: 'halted' } })).phase === 'stopped', { what: 'halted to stop' });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('exec socket', () => {
  it('runs an interactive shell: input and output as binary frames, resize as a text frame, the exit code as the last frame', async () => {
    const t = await open(execUrl({ component: 'main', replica: '0' }));
    t.type('echo $((6*7))\n');
    await t.expect(/^42\r?$/m);

    t.ws.send(JSON.stringify({ type: 'resize', cols: 100, rows: 40 }));
    // The resize is applied asynchronously: ask until the terminal reports the new size.
    await waitFor(
      async () => {
        const from = t.output.length;
        t.type('stty size\n');
        return await t.expect(/^\d+ \d+\r?$/m, from).then((m) => m[0].trim() === '40 100');
      },
      { timeoutMs: 10_000, what: 'stty size to report 40 100' },
    );

    t.type('exit 7\n');
    await t.closed;
    assert.deepEqual(t.texts.at(-1), { type: 'exit', code: 7 });
    assert.equal(t.closeCode, 1000);
  });

  it('runs a given command and reports its exit code', async () => {
    const t = await open(execUrl({ command: JSON.stringify(['sh', '-c', 'echo from-command; exit 3']) }));
    await t.closed;
    assert.match(t.output, /from-command/);
    assert.deepEqual(t.texts, [{ type: 'exit', code: 3 }]);
  });

  it('starts the terminal with the size asked in the query', async () => {
    // The engine applies the size just after the process starts, so a first look may see none yet.
    const probe = 'for i in 1 2 3 4 5 6 7 8 9 10; do s=$(stty size 2>/dev/null); [ "$s" = "33 120" ] && break; sleep 0.2; done; echo "size=$s"';
    const t = await open(execUrl({ command: JSON.stringify(['sh', '-c', probe]), cols: '120', rows: '33' }));
    await t.closed;
    assert.match(t.output, /^size=33 120\r?$/m);
    assert.deepEqual(t.texts, [{ type: 'exit', code: 0 }]);
  });

  it('refuses the upgrade without a valid token with 401, and accepts ?access_token=', async () => {
    await assert.rejects(open(execUrl({}), {}), (err: { status?: number; body?: string }) => err.status === 401 && /UNAUTHENTICATED/.test(err.body ?? ''));
    await assert.rejects(open(execUrl({}), { authorization: 'Bearer gur_wrong' }), (err: { status?: number }) => err.status === 401);
    // The client's execUrl carries the token as ?access_token=, as a browser must.
    const url = g.client.execUrl({ params: { project, instance: 'box' }, query: { command: JSON.stringify(['echo', 'by-query-token']) } });
    assert.match(url, /^ws:\/\/.*[?&]access_token=/);
    const t = await open(url, {});
    await t.closed;
    assert.match(t.output, /by-query-token/);
    assert.deepEqual(t.texts.at(-1), { type: 'exit', code: 0 });
  });

  it('answers an error frame REPLICA_NOT_FOUND for a stopped instance or an absent replica, and INSTANCE_NOT_FOUND for no instance', async () => {
    for (const [url, code] of [
      [execUrl({}, 'halted'), 'REPLICA_NOT_FOUND'],
      [execUrl({ replica: '5' }), 'REPLICA_NOT_FOUND'],
      [execUrl({ component: 'other' }), 'REPLICA_NOT_FOUND'],
      [execUrl({}, 'nowhere'), 'INSTANCE_NOT_FOUND'],
    ] as const) {
      const t = await open(url);
      await t.closed;
      assert.equal(t.texts.length, 1, url);
      assert.equal(t.texts[0]!.type, 'error');
      assert.equal(t.texts[0]!.code, code, url);
      assert.equal(typeof t.texts[0]!.message, 'string');
      assert.equal(t.output, '');
      assert.notEqual(t.closeCode, 1000);
    }
  });

  it('answers an error frame for a command that is not a JSON array of strings', async () => {
    const t = await open(execUrl({ command: '["sh", 3]' }));
    await t.closed;
    assert.equal(t.texts[0]!.type, 'error');
    assert.equal(t.texts[0]!.code, 'VALIDATION_FAILED');
  });

  it('ends the process when the client closes the socket', async () => {
    const t = await open(execUrl({ command: JSON.stringify(['sh', '-c', 'echo $$ > /tmp/exec-pid; exec sleep 600']) }));
    const pidFile = async () => {
      const check = await open(execUrl({ command: JSON.stringify(['sh', '-c', 'p=$(cat /tmp/exec-pid 2>/dev/null) && [ -n "$p" ] && kill -0 $p 2>/dev/null && echo alive || echo gone']) }));
      await check.closed;
      return check.output.trim();
    };
    await waitFor(async () => (await pidFile()) === 'alive', { what: 'the exec process to run' });
    t.ws.close();
    await t.closed;
    await waitFor(async () => (await pidFile()) === 'gone', { what: 'the exec process to end after the client left', timeoutMs: 15_000 });
  });
});
