/**
 * An instance runs the image it was launched (or last upgraded) with: its replicas are pinned
 * to the engine image id, so re-pointing the tag changes nothing until an explicit upgrade
 * (PATCH with refreshImages). Real engine: the tag is moved with `docker tag`, as a pull or a
 * load over it would.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, labelledImage, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { waitRunning } from '../streams/support.js';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args)).stdout.trim();

let g: TestGureum;
const suffix = uniqueName('pin');
const project = uniqueName('pin');
const TAG = `gureum-pin/${suffix}:1`;
const app = uniqueName('pin-app');
const ids: { a?: string; b?: string } = {};

/** An image of its own, tagged TAG (moving the tag from the last one). */
const imageNamed = (label: string) => labelledImage(TAG, { 'io.gureum-test.pin': label });

/** The image id each replica container of the instance really runs. */
async function replicaImages(): Promise<string[]> {
  const containers = (await docker('ps', '-aq', '--filter', `label=io.gureum.project=${project}`, '--filter', 'label=io.gureum.instance=web')).split('\n').filter(Boolean);
  return Promise.all(containers.map((c) => docker('inspect', '--format', '{{.Image}}', c)));
}

async function settled(replicas: number, image: string): Promise<void> {
  await waitFor(
    async () => {
      const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
      const running = i.replicas.filter((r) => r.state === 'running' && r.current);
      if (i.phase !== 'running' || running.length !== replicas) return false;
      const images = await replicaImages();
      return images.length === replicas && images.every((id) => id === image);
    },
    { what: `${replicas} replicas on ${image.slice(0, 19)}`, timeoutMs: 60_000 },
  );
}

before(async () => {
  g = await startGureum();
  ids.a = await imageNamed(`a-${suffix}`);
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: { ...busyboxApp(app, { image: TAG }), project } });
  await g.client.call('createInstance', { params: { project }, body: { name: 'web', app } });
  await waitRunning(g, project, 'web');
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
  await run('docker', ['rmi', '-f', TAG, ...Object.values(ids)]).catch(() => undefined);
});

describe('an instance is pinned to the image it was launched with', () => {
  it('shows the pinned image id, the one its replica runs', async () => {
    const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
    assert.equal(i.components[0]!.image, TAG);
    assert.equal(i.components[0]!.imageId, ids.a);
    assert.deepEqual(await replicaImages(), [ids.a]);
  });

  it('scales up, heals a removed replica and applies a change of env on the pinned image, not on what the tag names now', async () => {
    ids.b = await imageNamed(`b-${suffix}`);
    assert.notEqual(ids.a, ids.b);

    await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { replicas: 2 } });
    await settled(2, ids.a!);

    const [victim] = (await docker('ps', '-q', '--filter', `label=io.gureum.project=${project}`, '--filter', 'label=io.gureum.replica=0')).split('\n');
    await docker('rm', '-f', victim!);
    await settled(2, ids.a!);

    await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { env: { MODE: 'changed' } } });
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance: 'web' } })).replicas.every((r) => r.current), { what: 'the rollout', timeoutMs: 60_000 });
    await settled(2, ids.a!);
    assert.equal((await g.client.call('getInstance', { params: { project, instance: 'web' } })).components[0]!.imageId, ids.a);
  });

  it('keeps the pin across a stop and a start', async () => {
    await g.client.call('stopInstance', { params: { project, instance: 'web' } });
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance: 'web' } })).phase === 'stopped', { what: 'the stop' });
    await g.client.call('startInstance', { params: { project, instance: 'web' } });
    await settled(2, ids.a!);
  });

  it('moves to what the tag names now only on an explicit upgrade (refreshImages), rolling every replica', async () => {
    const upgraded = await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { refreshImages: true } });
    assert.equal(upgraded.components[0]!.imageId, null, 'unpinned until the reconciler pins the tag again');
    await settled(2, ids.b!);
    assert.equal((await g.client.call('getInstance', { params: { project, instance: 'web' } })).components[0]!.imageId, ids.b);
  });
});
