import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GureumClient } from '@gureum/contract';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { DockerDriver } from '../../src/drivers/docker/docker.driver.js';
import { createGureum, type Gureum } from '../../src/gureum.js';

export const TEST_IMAGE = 'gureum-test/busybox:1';
export const REGISTRY = `127.0.0.1:${process.env.GUREUM_TEST_REGISTRY_PORT ?? '5055'}`;
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A name unique to this run, usable as a project name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export function tempDir(prefix = 'gureum-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestGureum {
  gureum: Gureum;
  /** Its own installation name: Gureums of concurrent test runs leave each other's containers alone. */
  installation: string;
  /** A driver that sees what this Gureum sees. */
  driver: DockerDriver;
  url: string;
  token: string;
  client: GureumClient;
  dataDir: string;
  stop(): Promise<void>;
}

/** A real Gureum in this process: real SQLite in a temp dir, the real Docker engine, a real port. */
export async function startGureum(env: Record<string, string> = {}, dataDir = tempDir()): Promise<TestGureum> {
  // Each test server is an installation of its own, unless GUREUM_INSTALLATION is '' (none: unscoped).
  const installation = env.GUREUM_INSTALLATION ?? uniqueName('test');
  const settings: Record<string, string> = { GUREUM_DATA_DIR: dataDir, GUREUM_PORT: '0', GUREUM_HOST: '127.0.0.1', GUREUM_RESYNC_SECONDS: '2', GUREUM_LOG_LEVEL: 'warn', ...env, GUREUM_INSTALLATION: installation };
  if (installation === '') delete settings.GUREUM_INSTALLATION;
  const config = loadConfig(settings);
  const gureum = await createGureum(config, pino({ level: process.env.GUREUM_TEST_LOG ?? 'silent' }));
  await gureum.http.listen({ port: 0, host: '127.0.0.1' });
  const address = gureum.http.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `${config.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const token = fs.readFileSync(path.join(dataDir, 'admin.token'), 'utf8').trim();
  return { gureum, installation, driver: new DockerDriver({ installation: installation || undefined }), url, token, dataDir, client: new GureumClient({ baseUrl: url, token }), stop: () => gureum.stop() };
}

/** Gureum as a separate process (for kill -9 tests), from the built server. */
export async function spawnGureum(dataDir: string, port: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/server/dist/main.js')], {
    env: { ...process.env, GUREUM_DATA_DIR: dataDir, GUREUM_PORT: String(port), GUREUM_HOST: '127.0.0.1', GUREUM_RESYNC_SECONDS: '2', GUREUM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`gureum exited with ${child.exitCode}: ${stderr}`);
      return (await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false)) || undefined;
    },
    { timeoutMs: 20_000, what: 'gureum to listen' },
  );
  return { child, url, token: fs.readFileSync(path.join(dataDir, 'admin.token'), 'utf8').trim() };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Polls fn until it answers something other than undefined/false; bounded. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 150));
  }
  throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}${last ? `: ${(last as Error).message}` : ''}`);
}

/** Removes every engine object of the given projects (containers, volumes, networks), whoever's installation made them. */
export async function removeProjects(...projects: string[]): Promise<void> {
  const docker = (...args: string[]) =>
    new Promise<string>((resolve) => execFile('docker', args, (_err, stdout) => resolve(String(stdout).trim())));
  for (const project of projects) {
    const containers = (await docker('ps', '-aq', '--filter', `label=io.gureum.project=${project}`)).split('\n').filter(Boolean);
    if (containers.length > 0) await docker('rm', '-f', ...containers);
    const volumes = (await docker('volume', 'ls', '-q', '--filter', `label=io.gureum.project=${project}`)).split('\n').filter(Boolean);
    if (volumes.length > 0) await docker('volume', 'rm', '-f', ...volumes);
    const networks = (await docker('network', 'ls', '-q', '--filter', `label=io.gureum.project=${project}`)).split('\n').filter(Boolean);
    if (networks.length > 0) await docker('network', 'rm', ...networks);
  }
}

/**
 * TEST_IMAGE with labels of its own, committed as `ref`: an image whose id is unique to the
 * caller (nothing else holds it, and moving `ref` to another such image moves a tag for real).
 * Answers the image id.
 */
export async function labelledImage(ref: string, labels: Record<string, string>): Promise<string> {
  const docker = (...args: string[]) =>
    new Promise<string>((resolve, reject) => execFile('docker', args, (err, stdout, stderr) => (err ? reject(new Error(`docker ${args[0]}: ${stderr}`)) : resolve(String(stdout).trim()))));
  const container = await docker('create', TEST_IMAGE, 'true');
  try {
    await docker('commit', ...Object.entries(labels).flatMap(([k, v]) => ['--change', `LABEL ${k}=${v}`]), container, ref);
  } finally {
    await docker('rm', container);
  }
  return docker('image', 'inspect', '--format', '{{.Id}}', ref);
}

/** The usual one-component test app: a busybox that sleeps (or runs `command`). */
export function busyboxApp(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    title: `test app ${name}`,
    components: [{ name: 'main', image: TEST_IMAGE, command: ['sh', '-c', 'echo started; exec sleep 3600'], ...extra }],
  };
}
