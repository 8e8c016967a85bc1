import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, removeProjects, startGureum, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { allRunning, containersOf, docker, eventsOf, getInstance, inspect, replica, waitForInstance } from './support.js';

let g: TestGureum;
const project = uniqueName('heal');
const sleeper = uniqueName('sleeper');

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(sleeper) });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('crash recovery', () => {
  it('restarts a killed replica in place, counts the restart and records died and restarted', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'web', app: sleeper, replicas: 2 } });
    const before = await waitForInstance(g.client, project, 'web', allRunning(2), 'web to run');
    const victim = replica(before, 1);
    const startedBefore = (await inspect(victim.containerId!)).State.StartedAt;

    await docker('kill', victim.containerId!);

    const healed = await waitForInstance(g.client, project, 'web', (i) => allRunning(2)(i) && replica(i, 1).restartCount === 1, 'replica 1 to run again');
    assert.equal(replica(healed, 1).containerId, victim.containerId, 'the same container is started again');
    assert.equal(replica(healed, 0).restartCount, 0, 'the other replica is untouched');
    assert.equal(replica(healed, 0).containerId, replica(before, 0).containerId);
    const info = await inspect(victim.containerId!);
    assert.equal(info.State.Running, true);
    assert.notEqual(info.State.StartedAt, startedBefore);

    const died = await eventsOf(g.client, project, 'web', 'replica.died');
    assert.equal(died.length, 1);
    assert.equal(died[0]!.data.exitCode, 137, 'SIGKILL shows as exit code 137');
    assert.equal(died[0]!.data.replica, 1);
    const restarted = await eventsOf(g.client, project, 'web', 'replica.restarted');
    assert.equal(restarted.length, 1);
    assert.equal(restarted[0]!.data.replica, 1);
    assert.ok(restarted[0]!.id > died[0]!.id, 'restarted is recorded after died');
  });

  it('does not count a stop and a start as restarts, and still notices a crash afterwards', async () => {
    await g.client.call('stopInstance', { params: { project, instance: 'web' } });
    await waitForInstance(g.client, project, 'web', (i) => i.phase === 'stopped', 'web to stop');
    await g.client.call('startInstance', { params: { project, instance: 'web' } });
    const running = await waitForInstance(g.client, project, 'web', allRunning(2), 'web to run again');
    assert.deepEqual(
      running.replicas.map((r) => r.restartCount),
      [0, 1],
      'a requested stop and start is not a restart',
    );
    assert.equal((await eventsOf(g.client, project, 'web', 'replica.died')).length, 1, 'a requested stop is not a death');
    assert.equal((await eventsOf(g.client, project, 'web', 'replica.restarted')).length, 1);

    await docker('kill', replica(running, 0).containerId!);
    await waitForInstance(g.client, project, 'web', (i) => allRunning(2)(i) && replica(i, 0).restartCount === 1, 'replica 0 to run again');
    const died = await eventsOf(g.client, project, 'web', 'replica.died');
    assert.equal(died.length, 2, 'the crash of a replica that was stopped and started before is recorded');
    assert.equal(died[1]!.data.replica, 0);
  });
});

describe('drift', () => {
  it('recreates a replica whose container was removed by hand, in the same slot', async () => {
    const before = await waitForInstance(g.client, project, 'web', allRunning(2), 'web to run');
    const gone = replica(before, 0).containerId!;
    const restartsBefore = replica(before, 0).restartCount;

    await docker('rm', '-f', gone);

    const healed = await waitForInstance(g.client, project, 'web', (i) => allRunning(2)(i) && replica(i, 0).containerId !== gone, 'replica 0 to be recreated');
    const fresh = replica(healed, 0);
    assert.equal(fresh.restartCount, restartsBefore + 1, 'a recreation counts as a restart');
    assert.equal(replica(healed, 1).containerId, replica(before, 1).containerId, 'the other replica is untouched');
    const info = await inspect(fresh.containerId!);
    assert.equal(info.Config.Labels['io.gureum.replica'], '0');
    assert.equal(info.Config.Labels['io.gureum.component'], 'main');
    const ids = await containersOf(project, 'web');
    assert.equal(ids.length, 2, `exactly the two replicas exist: ${ids.join(', ')}`);
    const restarted = await eventsOf(g.client, project, 'web', 'replica.restarted');
    assert.ok(restarted.some((e) => e.data.replica === 0 && e.data.containerId === fresh.containerId));
  });

  it('removes a stray container that carries Gureum labels but belongs to no instance', async () => {
    const stray = await docker(
      'run', '-d',
      '--label', 'io.gureum.managed=true',
      '--label', `io.gureum.installation=${g.installation}`,
      '--label', `io.gureum.instance-id=${randomUUID()}`,
      '--label', `io.gureum.project=${project}`,
      '--label', 'io.gureum.instance=ghost',
      '--label', 'io.gureum.component=x',
      '--label', 'io.gureum.replica=0',
      '--label', 'io.gureum.spec-hash=abc',
      TEST_IMAGE, 'sleep', '3600',
    );
    await waitFor(async () => (await docker('ps', '-aq', '--no-trunc', '--filter', `id=${stray}`)) === '', { what: 'the stray container to be removed', timeoutMs: 30_000 });
    // The instance next to it is left alone.
    const web = await getInstance(g.client, project, 'web');
    assert.equal(web.phase, 'running');
    assert.equal((await containersOf(project, 'web')).length, 2);
  });

  it('removes a replica beyond the desired count that was started by hand', async () => {
    const web = await waitForInstance(g.client, project, 'web', allRunning(2), 'web to run');
    const template = await inspect(replica(web, 0).containerId!);
    const labels = Object.entries(template.Config.Labels).flatMap(([k, v]) => ['--label', `${k}=${k === 'io.gureum.replica' ? '5' : v}`]);
    const extra = await docker('run', '-d', ...labels, TEST_IMAGE, 'sleep', '3600');
    await waitFor(async () => (await docker('ps', '-aq', '--no-trunc', '--filter', `id=${extra}`)) === '', { what: 'the extra replica to be removed', timeoutMs: 30_000 });
    const after = await waitForInstance(g.client, project, 'web', allRunning(2), 'web to run');
    assert.deepEqual(
      after.replicas.map((r) => r.containerId),
      web.replicas.map((r) => r.containerId),
    );
  });
});
