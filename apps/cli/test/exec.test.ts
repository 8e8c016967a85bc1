import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, removeProjects, startGureum, tempDir, uniqueName, waitFor, type TestGureum } from '../../server/test/support/harness.js';
import { buildCli, cliEnv, gureum, ok, OnTerminal } from './support.js';

let g: TestGureum;
let env: Record<string, string>;
const project = uniqueName('cli-exec');
const app = uniqueName('shell');
const work = tempDir('gureum-cli-exec-');

before(async () => {
  buildCli();
  g = await startGureum();
  env = cliEnv();
  await ok(env, ['login', '--token', g.token, g.url]);
  await ok(env, ['projects', 'create', project]);
  await ok(env, ['projects', 'use', project]);
  await g.client.call('createApp', { body: busyboxApp(app) });
  await ok(env, ['run', app, '--name', 'box', '--wait']);
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('gureum exec', () => {
  it('gives a real terminal: raw keys, the window size and its changes, and the exit code of the shell', async () => {
    const ttyFile = path.join(work, 'tty');
    const term = new OnTerminal(env, ['exec', '-it', 'box', '--', 'sh'], ttyFile, { rows: 30, cols: 100 });
    await term.waitFor(/\/ # /);
    let mark = term.output.length;
    term.type('tty\r');
    await term.waitFor(/^\/dev\/pts\/\d+\r?$/m, mark);

    mark = term.output.length;
    term.type('echo $((6*7))\r');
    await term.waitFor(/^42\r?$/m, mark);

    mark = term.output.length;
    term.type('stty size\r');
    await term.waitFor(/^30 100\r?$/m, mark);

    // Resizing this terminal reaches the remote one.
    const local = await waitFor(() => fs.existsSync(ttyFile) && fs.readFileSync(ttyFile, 'utf8').trim());
    execFileSync('stty', ['-F', local, 'rows', '41', 'cols', '132']);
    await waitFor(
      async () => {
        const at = term.output.length;
        term.type('stty size\r');
        return (await term.waitFor(/^\d+ \d+\r?$/m, at).then((m) => m[0].trim())) === '41 132';
      },
      { timeoutMs: 20_000, what: 'the remote terminal to take the new size' },
    );

    // Raw mode: Ctrl-C interrupts the remote command, not gureum.
    mark = term.output.length;
    term.type('sleep 300\r');
    await term.waitFor(/sleep 300/, mark);
    term.type('\x03');
    mark = term.output.length;
    term.type('echo still-here\r');
    await term.waitFor(/^still-here\r?$/m, mark);

    term.type('exit 3\r');
    assert.equal(await term.exitCode(), 3);
  });

  it('runs a command without a terminal and passes its output and exit code through', async () => {
    const r = await gureum(env, ['exec', 'box', '--', 'sh', '-c', 'echo out-$((2+3)); exit 5']);
    assert.equal(r.code, 5);
    assert.match(r.stdout, /out-5/);
    const piped = await gureum(env, ['exec', '-i', 'box'], 'echo piped-$((1+1))\nexit 4\n');
    assert.equal(piped.code, 4);
    assert.match(piped.stdout, /^piped-2\r?$/m);
  });

  it('reports a missing instance with exit 1 and the API code', async () => {
    const r = await gureum(env, ['exec', '-it', 'nope', '--', 'sh']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /INSTANCE_NOT_FOUND/);
    const stopped = await gureum(env, ['exec', 'box', '--replica', '7', '--', 'true']);
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /REPLICA_NOT_FOUND/);
  });
});
