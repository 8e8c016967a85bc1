import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event, Instance } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { allRunning, containersOf, eventsOf, inspect, replica, runningContainersOf, waitForInstance } from './support.js';

let g: TestGureum;
const project = uniqueName('roll');
const app = uniqueName('greeter');
const picky = uniqueName('picky');

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', {
    body: {
      ...busyboxApp(app),
      parameters: [{ name: 'greeting', type: 'string', default: 'hello' }],
      components: [{ ...busyboxApp(app).components[0]!, env: { GREETING: '{{greeting}}' } }],
    },
  });
  // Refuses to start when BROKEN=1.
  await g.client.call('createApp', { body: busyboxApp(picky, { command: ['sh', '-c', 'if [ "$BROKEN" = 1 ]; then exit 4; fi; exec sleep 3600'] }) });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

/**
 * Samples the engine until `done` holds: answers the smallest number of running replicas seen,
 * and how many samples were taken.
 */
async function sampleRunning(instance: string, done: () => Promise<boolean>, timeoutMs = 90_000): Promise<{ fewest: number; samples: number }> {
  const deadline = Date.now() + timeoutMs;
  let fewest = Infinity;
  let samples = 0;
  while (Date.now() < deadline) {
    fewest = Math.min(fewest, (await runningContainersOf(project, instance)).length);
    samples++;
    if (await done()) return { fewest, samples };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rollout of ${instance} did not finish within ${timeoutMs} ms (fewest running: ${fewest})`);
}

async function envOf(containerId: string): Promise<Record<string, string>> {
  const info = await inspect(containerId);
  return Object.fromEntries(info.Config.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

function replacedSince(events: Event[], afterId: number): Event[] {
  return events.filter((e) => e.type === 'replica.replaced' && e.id > afterId);
}

describe('rolling replacement', () => {
  let lastEventId = 0;

  it('replaces replicas one at a time when a parameter changes, keeping at least two running', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'web', app, replicas: 3 } });
    const before = await waitForInstance(g.client, project, 'web', allRunning(3), 'web to run');
    for (const r of before.replicas) assert.equal((await envOf(r.containerId!)).GREETING, 'hello');
    lastEventId = Math.max(0, ...(await eventsOf(g.client, project, 'web')).map((e) => e.id));

    const patched = await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { parameters: { greeting: 'bonjour' } } });
    let after: Instance | undefined;
    const { fewest, samples } = await sampleRunning('web', async () => {
      const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
      if (allRunning(3)(i) && i.replicas.every((r) => !before.replicas.some((b) => b.containerId === r.containerId))) after = i;
      return after !== undefined;
    });
    assert.ok(samples >= 3, `sampled the rollout ${samples} times`);
    assert.ok(fewest >= 2, `at least 2 of 3 replicas ran at every sample; once only ${fewest}`);
    assert.ok(after);
    assert.equal(after.generation, patched.generation);

    for (const r of after.replicas) assert.equal((await envOf(r.containerId!)).GREETING, 'bonjour', `replica ${r.index} runs the new spec`);
    assert.equal((await containersOf(project, 'web')).length, 3, 'no old container is left');

    const replaced = replacedSince(await eventsOf(g.client, project, 'web'), lastEventId);
    assert.deepEqual(
      replaced.map((e) => e.data.replica),
      [0, 1, 2],
      'one replica after the other, in order',
    );
    for (let k = 1; k < replaced.length; k++) assert.ok(Date.parse(replaced[k]!.time) >= Date.parse(replaced[k - 1]!.time));
    for (const r of after.replicas) assert.equal(r.restartCount, 0);
  });

  it('replaces every replica, one at a time, on restart', async () => {
    const before = await waitForInstance(g.client, project, 'web', allRunning(3), 'web to run');
    lastEventId = Math.max(0, ...(await eventsOf(g.client, project, 'web')).map((e) => e.id));
    await g.client.call('restartInstance', { params: { project, instance: 'web' } });
    let after: Instance | undefined;
    const { fewest } = await sampleRunning('web', async () => {
      const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
      if (allRunning(3)(i) && i.replicas.every((r) => !before.replicas.some((b) => b.containerId === r.containerId))) after = i;
      return after !== undefined;
    });
    assert.ok(fewest >= 2, `at least 2 of 3 replicas ran at every sample; once only ${fewest}`);
    assert.ok(after);
    for (const r of after.replicas) assert.equal((await envOf(r.containerId!)).GREETING, 'bonjour', 'a restart keeps the spec');
    const replaced = replacedSince(await eventsOf(g.client, project, 'web'), lastEventId);
    assert.deepEqual(
      replaced.map((e) => e.data.replica),
      [0, 1, 2],
    );
    assert.equal((await eventsOf(g.client, project, 'web', 'instance.restarted')).length, 1);
  });

  it('stops a rollout at the first replica that does not come up, leaving the others running the old spec', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'api', app: picky, replicas: 3 } });
    const before = await waitForInstance(g.client, project, 'api', allRunning(3), 'api to run');
    await g.client.call('updateInstance', { params: { project, instance: 'api' }, body: { env: { BROKEN: '1' } } });

    // Slot 0 gets the broken spec and crash-loops; the rollout waits for it, so 1 and 2 keep serving.
    const stuck = await waitForInstance(g.client, project, 'api', (i) => replica(i, 0).current && replica(i, 0).restartCount >= 2, 'the new replica 0 to crash a few times', 45_000);
    assert.equal(stuck.phase, 'degraded');
    assert.match(stuck.reason ?? '', /exited with code 4/);
    for (const index of [1, 2]) {
      const r = replica(stuck, index);
      assert.equal(r.containerId, replica(before, index).containerId, `replica ${index} was not replaced`);
      assert.equal(r.state, 'running');
      assert.equal(r.current, false);
    }
    assert.equal((await runningContainersOf(project, 'api')).length >= 2, true);

    // Fixing the env rolls on.
    await g.client.call('updateInstance', { params: { project, instance: 'api' }, body: { env: { BROKEN: '0' } } });
    const fixed = await waitForInstance(g.client, project, 'api', allRunning(3), 'api to run the fixed spec', 60_000);
    for (const r of fixed.replicas) assert.equal((await envOf(r.containerId!)).BROKEN, '0');
  });
});
