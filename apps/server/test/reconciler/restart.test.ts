import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { GureumClient } from '@gureum/contract';
import { busyboxApp, freePort, REPO_ROOT, removeProjects, spawnGureum, tempDir, uniqueName, waitFor } from '../support/harness.js';
import { allRunning, containersOf, docker, eventsOf, inspect, waitForInstance } from './support.js';

const dataDir = tempDir();
const project = uniqueName('adopt');
const app = uniqueName('sleeper');
let child: ChildProcess | undefined;
let client: GureumClient;
let port: number;

async function launchGureum(): Promise<void> {
  const spawned = await spawnGureum(dataDir, port);
  child = spawned.child;
  client = new GureumClient({ baseUrl: spawned.url, token: spawned.token });
}

async function killGureum(): Promise<void> {
  const c = child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const gone = new Promise((resolve) => c.once('exit', resolve));
  c.kill('SIGKILL');
  await gone;
}

before(async () => {
  // The child runs the built server: build it from the current sources.
  execFileSync('npx', ['tsc', '-b', 'packages/contract', 'apps/server'], { cwd: REPO_ROOT, stdio: 'inherit' });
  port = await freePort();
  await launchGureum();
  await client.call('createProject', { body: { name: project } });
  await client.call('createApp', { body: busyboxApp(app) });
});

after(async () => {
  await killGureum();
  await removeProjects(project);
});

describe('a control plane killed with SIGKILL and started again', () => {
  it('re-adopts the running replicas without restarting or duplicating them, and still controls them', async () => {
    await client.call('createInstance', { params: { project }, body: { name: 'web', app, replicas: 3 } });
    const before = await waitForInstance(client, project, 'web', allRunning(3), 'web to run');
    const ids = before.replicas.map((r) => r.containerId!);
    const startedAt = new Map(await Promise.all(ids.map(async (id) => [id, (await inspect(id)).State.StartedAt] as const)));

    await killGureum();
    const restartedAt = new Date().toISOString();
    await launchGureum();

    // Resynced: the new process has looked at the engine since it started.
    const after = await waitForInstance(client, project, 'web', (i) => i.observedAt !== null && i.observedAt > restartedAt && allRunning(3)(i), 'the new process to resync web');
    assert.deepEqual(
      after.replicas.map((r) => r.containerId),
      ids,
      'the same containers, in the same slots',
    );
    for (const id of ids) {
      const info = await inspect(id);
      assert.equal(info.State.Running, true);
      assert.equal(info.State.StartedAt, startedAt.get(id), `container ${id.slice(0, 12)} was not restarted`);
    }
    const instanceId = (await inspect(ids[0]!)).Config.Labels['io.gureum.instance-id']!;
    const withId = (await docker('ps', '-aq', '--no-trunc', '--filter', `label=io.gureum.instance-id=${instanceId}`)).split('\n');
    assert.deepEqual(withId.sort(), [...ids].sort(), 'no extra container with the instance id');
    for (const r of after.replicas) assert.equal(r.restartCount, 0);
    const churn = (await eventsOf(client, project, 'web')).filter((e) => e.time > restartedAt && e.type.startsWith('replica.'));
    assert.deepEqual(
      churn.map((e) => e.type),
      [],
      'the new process touched no replica',
    );

    // Still in control.
    await client.call('updateInstance', { params: { project, instance: 'web' }, body: { replicas: 4 } });
    const scaled = await waitForInstance(client, project, 'web', allRunning(4), 'web to scale to 4');
    assert.deepEqual(
      scaled.replicas.slice(0, 3).map((r) => r.containerId),
      ids,
    );
    assert.equal((await containersOf(project, 'web')).length, 4);
  });

  it('finishes work it was killed in the middle of', async () => {
    // Kill it right after accepting a scale-up: the desired state is stored, the work is not done.
    await client.call('updateInstance', { params: { project, instance: 'web' }, body: { replicas: 6 } });
    await killGureum();
    const restartedAt = new Date().toISOString();
    await launchGureum();
    const done = await waitForInstance(client, project, 'web', (i) => i.observedAt! > restartedAt && allRunning(6)(i), 'web to reach 6 replicas');
    assert.equal(new Set(done.replicas.map((r) => r.containerId)).size, 6);
    await waitFor(async () => (await containersOf(project, 'web')).length === 6, { what: 'exactly 6 containers' });
  });

  it('finishes a rollout it was killed in the middle of, without counting restarts', async () => {
    const oldSpec = (await waitForInstance(client, project, 'web', allRunning(6), 'web to run')).replicas[0]!.specHash;
    await client.call('updateInstance', { params: { project, instance: 'web' }, body: { env: { ROUND: '2' } } });
    // Somewhere in the rollout (where exactly does not matter: the outcome must be the same).
    await waitFor(async () => (await eventsOf(client, project, 'web', 'replica.replaced')).length >= 1, { what: 'the rollout to begin' });
    await killGureum();
    const restartedAt = new Date().toISOString();
    await launchGureum();
    const done = await waitForInstance(
      client,
      project,
      'web',
      (i) => i.observedAt! > restartedAt && allRunning(6)(i) && i.replicas.every((r) => r.specHash !== oldSpec),
      'web to run the new spec everywhere',
      90_000,
    );
    for (const r of done.replicas) assert.equal(r.restartCount, 0, `replica ${r.index} was replaced, not restarted`);
    for (const r of done.replicas) assert.ok((await inspect(r.containerId!)).Config.Env.includes('ROUND=2'), `replica ${r.index} runs the new spec`);
    assert.equal((await containersOf(project, 'web')).length, 6, 'no duplicate and no old container');
    assert.equal((await eventsOf(client, project, 'web', 'replica.restarted')).length, 0, 'replacing is not restarting');
  });

  it('starts a replica it had created but not started when killed: a start, not a restart', async () => {
    const running = await waitForInstance(client, project, 'web', allRunning(6), 'web to run');
    const slot = running.replicas.find((r) => r.index === 5)!;
    await killGureum();
    // What a kill between "create" and "start" leaves: the slot's container, created, never started.
    const engine = new Docker();
    const info = await engine.getContainer(slot.containerId!).inspect();
    await engine.getContainer(info.Id).remove({ force: true });
    const [network, endpoint] = Object.entries(info.NetworkSettings.Networks)[0]!;
    const created = await engine.createContainer({
      name: info.Name.replace(/^\//, ''),
      Image: info.Config.Image,
      Entrypoint: info.Config.Entrypoint,
      Cmd: info.Config.Cmd,
      User: info.Config.User,
      WorkingDir: info.Config.WorkingDir,
      Env: info.Config.Env,
      Labels: info.Config.Labels,
      HostConfig: info.HostConfig,
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: (endpoint.Aliases as string[] | null) ?? [] } } },
    });
    assert.equal((await inspect(created.id)).State.Status, 'created');
    const restartedAt = new Date().toISOString();
    await launchGureum();

    const done = await waitForInstance(client, project, 'web', (i) => i.observedAt! > restartedAt && allRunning(6)(i), 'web to run its 6 replicas again');
    const adopted = done.replicas.find((r) => r.index === 5)!;
    assert.equal(adopted.containerId, created.id, 'the created container was started, not replaced');
    assert.equal(adopted.restartCount, 0, 'starting it is no restart');
    const churn = (await eventsOf(client, project, 'web')).filter((e) => e.time > restartedAt && e.type.startsWith('replica.'));
    assert.deepEqual(
      churn.map((e) => e.type),
      ['replica.started'],
    );
  });
});
