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
import { isDomainError } from '../../src/domain/core/errors.js';
import { LABEL, networkName } from '../../src/domain/core/labels.js';
import type { EngineEvent, ReplicaSpec } from '../../src/domain/core/runtime.js';
import { DockerDriver } from '../../src/drivers/docker/docker.driver.js';
import { runtimeConformance } from './runtime-conformance.js';

const run = promisify(execFile);
const TEST_IMAGE = 'gureum-test/busybox:1';

// Its own installation name: Gureums that other tests run on this engine at the same time then
// leave the suite's containers alone (their reconcilers remove containers they do not know).
const INSTALLATION = `conformance-${randomBytes(3).toString('hex')}`;

runtimeConformance('docker', () => new DockerDriver({ installation: INSTALLATION }), { testImage: TEST_IMAGE });

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
    const relayed = new DockerDriver({ socketPath: path.join(dir, 'docker.sock'), installation: INSTALLATION });
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

  it('keeps installations sharing the engine apart: lists, events and volumes', async (t) => {
    const mine = new DockerDriver({ installation: INSTALLATION });
    const unnamed = new DockerDriver();
    const other = new DockerDriver({ installation: `${INSTALLATION}-other` });
    const seen = { mine: [] as EngineEvent[], unnamed: [] as EngineEvent[], other: [] as EngineEvent[] };
    const stops = [mine.watchEvents((e) => seen.mine.push(e)), unnamed.watchEvents((e) => seen.unnamed.push(e)), other.watchEvents((e) => seen.other.push(e))];
    t.after(() => stops.forEach((stop) => stop()));
    await until('three event streams', () => Object.values(seen).every((list) => list.some((e) => e.kind === 'connected')));

    await mine.ensureNetwork(project);
    const spec = { ...sampleSpec(project), name: `gureum_${project}_scoped`, instanceId: `scoped-${project}`, command: ['sh', '-c', 'sleep 300'] };
    spec.mounts = [{ project, volume: 'scoped', mountPath: '/data', readOnly: false }];
    const id = await mine.createReplica(spec);
    t.after(async () => {
      await mine.removeReplica(id);
      await mine.removeVolume(project, 'scoped');
    });
    await until('its own start event', () => seen.mine.some((e) => e.kind === 'start' && e.containerId === id));
    assert.deepEqual((await mine.listReplicas({ instanceId: spec.instanceId })).map((r) => r.id), [id]);
    assert.deepEqual(await unnamed.listReplicas({ instanceId: spec.instanceId }), []);
    assert.deepEqual(await other.listReplicas({ instanceId: spec.instanceId }), []);
    assert.ok((await mine.listVolumes()).some((v) => v.project === project && v.volume === 'scoped'));
    assert.ok(!(await unnamed.listVolumes()).some((v) => v.project === project));
    assert.ok(!(await other.listVolumes()).some((v) => v.project === project));
    await sleep(300);
    for (const list of [seen.unnamed, seen.other]) assert.ok(!list.some((e) => 'containerId' in e && e.containerId === id));
  });

  it('keeps using a volume an installation made before names carried it, found by its label', async (t) => {
    const mine = new DockerDriver({ installation: INSTALLATION });
    const legacy = `gureum_${project}_old`;
    await run('docker', ['volume', 'create', '--label', 'io.gureum.managed=true', '--label', `io.gureum.project=${project}`, '--label', 'io.gureum.volume=old', '--label', `io.gureum.installation=${INSTALLATION}`, legacy]);
    t.after(() => run('docker', ['volume', 'rm', '-f', legacy]).catch(() => undefined));
    await mine.ensureNetwork(project);
    const spec = { ...sampleSpec(project), name: `gureum_${project}_legacy`, instanceId: `legacy-${project}`, command: ['sh', '-c', 'sleep 300'] };
    spec.mounts = [{ project, volume: 'old', mountPath: '/data', readOnly: false }];
    const id = await mine.createReplica(spec);
    t.after(() => mine.removeReplica(id));
    const { stdout } = await run('docker', ['inspect', '--format', '{{range .Mounts}}{{.Name}}{{end}}', id]);
    assert.equal(stdout.trim(), legacy, 'the old volume, with its data, not a new empty one');
    await mine.removeReplica(id);
    await mine.removeVolume(project, 'old');
    await assert.rejects(run('docker', ['volume', 'inspect', legacy]), 'removed through its old name');
  });

  it('reads the same counters from the cgroup files as the engine stats API gives', async (t) => {
    const files = new DockerDriver({ installation: INSTALLATION });
    const statsApi = new DockerDriver({ installation: INSTALLATION, metricsSource: 'engine' });
    await files.ensureNetwork(project);
    const spec = { ...sampleSpec(project), name: `gureum_${project}_sample`, instanceId: `sample-${project}`, memoryBytes: 96 * 1024 * 1024, command: ['sh', '-c', 'dd if=/dev/zero of=/dev/shm/f bs=1M count=16; exec sleep 300'] };
    const id = await files.createReplica(spec);
    t.after(() => files.removeReplica(id));
    await sleep(1000);
    const [a] = await files.sampleReplicas([id]);
    const [b] = await statsApi.sampleReplicas([id]);
    assert.equal(a?.source, 'cgroup', 'this host lets Gureum read the cgroup files');
    assert.equal(b?.source, 'engine');
    assert.ok(a && b);
    // Taken a moment apart: a sleeping container's figures barely move.
    assert.ok(Math.abs(a.cpuSeconds - b.cpuSeconds) < 0.05, `${a.cpuSeconds} vs ${b.cpuSeconds}`);
    assert.ok(Math.abs(a.memoryBytes - b.memoryBytes) < 1024 * 1024, `${a.memoryBytes} vs ${b.memoryBytes}`);
    assert.ok(a.memoryBytes >= 16 * 1024 * 1024);
    assert.equal(a.memoryLimitBytes, 96 * 1024 * 1024);
    assert.equal(b.memoryLimitBytes, 96 * 1024 * 1024);
    assert.equal(a.netRxBytes <= b.netRxBytes + 1024 && b.netRxBytes <= a.netRxBytes + 1024, true, `${a.netRxBytes} vs ${b.netRxBytes}`);
  });

  it('runs docker-init as PID 1, so a shell command stops at once instead of after the stop timeout', async (t) => {
    const driver_ = new DockerDriver({ installation: INSTALLATION });
    await driver_.ensureNetwork(project);
    // A shell as PID 1 ignores SIGTERM; under docker-init it gets it and ends.
    const spec = { ...sampleSpec(project), name: `gureum_${project}_init`, instanceId: `init-${project}`, command: ['sh', '-c', 'sleep 300; echo'] };
    const id = await driver_.createReplica(spec);
    t.after(() => driver_.removeReplica(id));
    const session = await driver_.exec(id, { command: ['cat', '/proc/1/comm'], tty: false });
    session.stream.end();
    let comm = '';
    for await (const chunk of session.stream) comm += String(chunk);
    assert.equal(comm.trim(), 'docker-init');
    const ms = await timed(() => driver_.stopReplica(id, 10));
    assert.ok(ms < 3_000, `stopping took ${ms} ms`);
    const [r] = await driver_.listReplicas({ instanceId: spec.instanceId });
    assert.equal(r?.state, 'exited');
  });

  it('talks to a remote engine over TCP (host + port)', async (t) => {
    // The local engine's socket, offered on a TCP port the way a remote engine listens.
    const open = new Set<net.Socket>();
    const server = net.createServer((client) => {
      const engine = net.connect('/var/run/docker.sock');
      for (const s of [client, engine]) open.add(s);
      client.on('error', () => engine.destroy());
      engine.on('error', () => client.destroy());
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of open) s.destroy();
      server.close();
    });
    const { port } = server.address() as net.AddressInfo;
    const remote = new DockerDriver({ host: '127.0.0.1', port, installation: INSTALLATION });
    await remote.ping();
    assert.equal((await remote.nodes())[0]?.status, 'ready');
    assert.ok(Array.isArray(await remote.listReplicas()));
    await assert.rejects(new DockerDriver({ host: '127.0.0.1', port: 1 }).ping(), (err: unknown) => isUnavailable(err) && /tcp:\/\/127\.0\.0\.1:1/.test((err as Error).message));
  });

  it('reports the engine host name as the node of its replicas, or the configured one', async () => {
    const { stdout } = await run('docker', ['info', '--format', '{{.Name}}']);
    assert.equal((await driver.nodes())[0]?.name, stdout.trim());
    assert.equal((await new DockerDriver({ nodeName: 'edge-1' }).nodes())[0]?.name, 'edge-1');
  });
});
