/**
 * Where Gureum listens: on loopback unless GUREUM_HOST says otherwise, and with a clear warning
 * when it serves plain HTTP on an address other hosts can reach. The real server process.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, REPO_ROOT, tempDir, uniqueName, waitFor } from '../support/harness.js';

const children: ChildProcess[] = [];

after(() => {
  for (const c of children) c.kill('SIGTERM');
});

/** An address of this machine that is not loopback (the engine's bridge at least). */
function outsideAddress(): string {
  const found = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  if (!found) throw new Error('this machine has no non-loopback IPv4 address to test with');
  return found.address;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts the built server with the environment as given (no GUREUM_HOST unless `host`). */
async function start(host: string | undefined): Promise<{ port: number; stderr: () => string }> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, GUREUM_DATA_DIR: tempDir('gureum-listen-'), GUREUM_PORT: String(port), GUREUM_LOG_LEVEL: 'warn', GUREUM_INSTALLATION: uniqueName('listen'), GUREUM_METRICS_INTERVAL_SECONDS: '0' };
  delete env.GUREUM_HOST;
  if (host !== undefined) env.GUREUM_HOST = host;
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/server/dist/main.js')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`gureum exited with ${child.exitCode}: ${stderr}`);
      return (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false)) || undefined;
    },
    { timeoutMs: 20_000, what: 'gureum to listen' },
  );
  return { port, stderr: () => stderr };
}

describe('the listen address', () => {
  it('is loopback by default: other hosts cannot reach Gureum, and no warning is needed', async () => {
    const g = await start(undefined);
    assert.equal(await connects('127.0.0.1', g.port), true);
    assert.equal(await connects(outsideAddress(), g.port), false, 'not reachable on a non-loopback address');
    assert.doesNotMatch(g.stderr(), /plain HTTP/);
  });

  it('is what GUREUM_HOST says, with a warning when that serves plain HTTP beyond this machine', async () => {
    const g = await start('0.0.0.0');
    assert.equal(await connects(outsideAddress(), g.port), true);
    assert.match(g.stderr(), /warning: .*plain HTTP on 0\.0\.0\.0.*GUREUM_TLS_CERT/);
  });
});
