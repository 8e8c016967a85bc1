import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { allRunning, dockerExec, eventsOf, inspect, replica, waitForInstance } from './support.js';

const MiB = 1024 * 1024;

let g: TestGureum;
const project = uniqueName('res');
const limited = uniqueName('limited');
const hog = uniqueName('hog');

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(limited, { resources: { cpus: 0.5, memoryBytes: 64 * MiB } }) });
  // Doubles a shell string until the memory limit stops it.
  await g.client.call('createApp', { body: busyboxApp(hog, { command: ['sh', '-c', 'echo growing; x=a; while true; do x=$x$x; done'], resources: { memoryBytes: 16 * MiB } }) });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

/** The memory limit the kernel enforces, read from inside the container (cgroup v2, else v1). */
async function cgroupMemoryLimit(containerId: string): Promise<string> {
  const v2 = await dockerExec(containerId, 'cat', '/sys/fs/cgroup/memory.max');
  if (v2.code === 0) return v2.out.trim();
  const v1 = await dockerExec(containerId, 'cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes');
  assert.equal(v1.code, 0, `cannot read the memory limit: ${v2.out} ${v1.out}`);
  return v1.out.trim();
}

describe('resource limits', () => {
  it('applies cpus and memory to the engine and the kernel', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'lim', app: limited } });
    const running = await waitForInstance(g.client, project, 'lim', allRunning(1), 'lim to run');
    const id = replica(running, 0).containerId!;
    const info = await inspect(id);
    assert.equal(info.HostConfig.NanoCpus, 500_000_000);
    assert.equal(info.HostConfig.Memory, 64 * MiB);
    assert.equal(info.HostConfig.RestartPolicy.Name, 'no', 'Gureum, not the engine, restarts replicas');
    assert.equal(await cgroupMemoryLimit(id), String(64 * MiB));
  });

  it('records an out-of-memory kill and restarts the replica', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'hog', app: hog } });
    const seen = await waitForInstance(g.client, project, 'hog', (i) => replica(i, 0).oomKilled || replica(i, 0).restartCount > 0, 'the replica to be killed for lack of memory', 45_000);
    assert.ok(replica(seen, 0).oomKilled || replica(seen, 0).restartCount > 0);
    const oom = await waitFor(async () => {
      const events = await eventsOf(g.client, project, 'hog', 'replica.oom_killed');
      return events.length > 0 ? events : undefined;
    }, { what: 'a replica.oom_killed event', timeoutMs: 30_000 });
    assert.equal(oom[0]!.data.replica, 0);
    assert.match(oom[0]!.message, /out of memory/);
    const died = await eventsOf(g.client, project, 'hog', 'replica.died');
    assert.ok(died.some((e) => e.data.exitCode === 137), 'the kernel kills it with SIGKILL');
    const degraded = await waitForInstance(g.client, project, 'hog', (i) => i.phase === 'degraded' && /lack of memory/.test(i.reason ?? ''), 'phase degraded for lack of memory', 45_000);
    assert.match(degraded.reason ?? '', /main\/0 was killed for lack of memory/);
  });
});
