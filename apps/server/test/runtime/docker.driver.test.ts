import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isDomainError } from '../../src/domain/errors.js';
import { LABEL, networkName } from '../../src/domain/labels.js';
import type { EngineEvent, ReplicaSpec } from '../../src/domain/runtime.js';
import { DockerDriver } from '../../src/drivers/docker/docker.driver.js';
import { runtimeConformance } from './runtime-conformance.js';

const run = promisify(execFile);
const TEST_IMAGE = 'gureum-test/busybox:1';

runtimeConformance('docker', () => new DockerDriver(), { testImage: TEST_IMAGE });

function isUnavailable(err: unknown): boolean {
  assert.ok(isDomainError(err), `expected a DomainError, got ${String(err)}`);
  assert.equal(err.code, 'ENGINE_UNAVAILABLE', err.message);
  return true;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const start = Date.now();
  await fn();
  return Date.now() - start;
}

function sampleSpec(project: string): ReplicaSpec {
  return {
    project,
    instance: 'i',
    instanceId: 'id',
    component: 'c',
    index: 0,
    name: `gureum_${project}_i_c_0`,
    aliases: [],
    hostname: 'c-0',
    image: TEST_IMAGE,
    env: {},
    ports: [],
    mounts: [],
    specHash: 'abc',
    labels: { [LABEL.managed]: 'true' },
  };
}

describe('DockerDriver without an engine', () => {
  const gone = new DockerDriver({ socketPath: '/nonexistent/gureum/docker.sock' });

  it('answers ENGINE_UNAVAILABLE at once from ping, listReplicas and createReplica', async () => {
    for (const call of [() => gone.ping(), () => gone.listReplicas(), () => gone.createReplica(sampleSpec('nowhere'))]) {
      const ms = await timed(() => assert.rejects(call(), isUnavailable));
      assert.ok(ms < 1_000, `took ${ms} ms`);
    }
    await assert.rejects(gone.ping(), /does not answer/);
  });

  it("emits 'disconnected' from watchEvents, once, and stops cleanly", async () => {
    const events: EngineEvent[] = [];
    const stop = gone.watchEvents((e) => events.push(e));
    await new Promise((resolve) => setTimeout(resolve, 900)); // covers the 250 + 500 ms retries
    stop();
    assert.equal(events[0]?.kind, 'disconnected');
    assert.equal(events.filter((e) => e.kind === 'disconnected').length, 1, 'one announcement per outage');
    assert.ok(events[0]?.kind === 'disconnected' && events[0].error.includes('does not answer'));
  });

  it('gives up on a hung engine after its deadline instead of hanging', async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gureum-hung-'));
    const socketPath = path.join(dir, 'docker.sock');
    const sockets: net.Socket[] = [];
    // Accepts connections and never answers: an engine that is stuck.
    const server = net.createServer((s) => sockets.push(s)).listen(socketPath);
    await new Promise((resolve) => server.once('listening', resolve));
    t.after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    });
    const hung = new DockerDriver({ socketPath, timeoutMs: 300 });
    const ms = await timed(() => assert.rejects(hung.listReplicas(), isUnavailable));
    assert.ok(ms >= 290 && ms < 2_000, `took ${ms} ms`);
  });
});

async function until(what: string, check: () => boolean, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A unix socket that relays to the real engine, and can be cut and restored like a flaky link. */
function engineRelay(socketPath: string): { listen(): Promise<void>; cut(): Promise<void> } {
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  return {
    listen: () =>
      new Promise((resolve) => {
        server = net
          .createServer((client) => {
            const engine = net.connect('/var/run/docker.sock');
            const drop = (): void => {
              client.destroy();
              engine.destroy();
            };
            for (const s of [client, engine]) {
              open.add(s);
              s.on('error', drop).on('close', () => {
                open.delete(s);
                drop();
              });
            }
            client.pipe(engine).pipe(client);
          })
          .listen(socketPath, () => resolve());
      }),
    cut: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        if (server) server.close(() => resolve());
        else resolve();
      }),
  };
}

describe('DockerDriver on the local engine', () => {
  const project = `conf-${randomBytes(3).toString('hex')}-net`;
  const driver = new DockerDriver();

  after(async () => {
    await driver.removeNetwork(project).catch(() => undefined);
  });

  it('makes exactly one network when several control planes ensure it at once', async () => {
    // Separate driver instances do not share the in-process single flight: the engine decides.
    await Promise.all(Array.from({ length: 6 }, () => new DockerDriver().ensureNetwork(project)));
    const { stdout } = await run('docker', ['network', 'ls', '--filter', `name=${networkName(project)}`, '--format', '{{.Name}} {{.Driver}}']);
    const lines = stdout.trim().split('\n').filter((l) => l.startsWith(`${networkName(project)} `));
    assert.deepEqual(lines, [`${networkName(project)} bridge`]);
    const { stdout: labels } = await run('docker', ['network', 'inspect', networkName(project), '--format', '{{json .Labels}}']);
    assert.deepEqual(JSON.parse(labels), { [LABEL.managed]: 'true', [LABEL.project]: project });
  });

  it('reconnects its event stream when the link to the engine drops, and delivers events again', async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gureum-relay-'));
    const relay = engineRelay(path.join(dir, 'docker.sock'));
    await relay.listen();
    const relayed = new DockerDriver({ socketPath: path.join(dir, 'docker.sock') });
    const events: EngineEvent[] = [];
    const stop = relayed.watchEvents((e) => events.push(e));
    t.after(async () => {
      stop();
      await relay.cut();
      await rm(dir, { recursive: true, force: true });
    });
    const count = (kind: EngineEvent['kind']): number => events.filter((e) => e.kind === kind).length;
    await until('the first connection', () => count('connected') === 1);

    await relay.cut();
    await until('the disconnection', () => count('disconnected') === 1);
    await sleep(1_000); // several failed retries meanwhile
    assert.equal(count('disconnected'), 1, 'one announcement per outage, not one per retry');
    assert.equal(count('connected'), 1);

    await relay.listen();
    await until('the reconnection', () => count('connected') === 2, 7_000);
    await relayed.ensureNetwork(project);
    const spec = { ...sampleSpec(project), name: `gureum_${project}_relay`, instanceId: 'relay', args: ['-c', 'sleep 300'], command: ['sh'] };
    const id = await relayed.createReplica(spec);
    t.after(() => relayed.removeReplica(id).catch(() => undefined));
    await until('the start event after reconnecting', () => events.some((e) => e.kind === 'start' && e.containerId === id));
    await relayed.removeReplica(id);
  });

  it('reports the engine host name as the node of its replicas, or the configured one', async () => {
    const { stdout } = await run('docker', ['info', '--format', '{{.Name}}']);
    assert.equal((await driver.nodes())[0]?.name, stdout.trim());
    assert.equal((await new DockerDriver({ nodeName: 'edge-1' }).nodes())[0]?.name, 'edge-1');
  });
});
