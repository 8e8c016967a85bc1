import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { volumeName } from '../../src/domain/core/labels.js';
import { allRunning, docker, dockerExec, replica, waitForInstance } from './support.js';

let g: TestGureum;
const project = uniqueName('vol');
const app = uniqueName('keeper');
/** The engine's name of the volume (set once the test Gureum's installation is known). */
let engineVolume = '';

before(async () => {
  g = await startGureum();
  engineVolume = volumeName(project, 'data', g.installation);
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createVolume', { params: { project }, body: { name: 'data' } });
  await g.client.call('createApp', { body: busyboxApp(app, { volumes: [{ volume: 'data', mountPath: '/data' }] }) });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

async function launch(name: string): Promise<string> {
  await g.client.call('createInstance', { params: { project }, body: { name, app } });
  const running = await waitForInstance(g.client, project, name, allRunning(1), `${name} to run`);
  return replica(running, 0).containerId!;
}

async function deleteInstance(name: string): Promise<void> {
  await g.client.call('deleteInstance', { params: { project, instance: name } });
  await waitFor(
    async () => {
      try {
        await g.client.call('getInstance', { params: { project, instance: name } });
        return false;
      } catch (err) {
        return err instanceof ApiError && err.code === 'INSTANCE_NOT_FOUND';
      }
    },
    { what: `instance ${name} to be gone` },
  );
}

async function engineHasVolume(): Promise<boolean> {
  return (await docker('volume', 'ls', '-q', '--filter', `name=${engineVolume}`)).split('\n').includes(engineVolume);
}

describe('project volumes', () => {
  it('keep their data after the instance that wrote it is deleted', async () => {
    const writer = await launch('writer');
    const wrote = await dockerExec(writer, 'sh', '-c', 'echo kept > /data/note.txt && sync');
    assert.equal(wrote.code, 0, wrote.out);
    await deleteInstance('writer');
    assert.ok(await engineHasVolume(), 'the engine volume outlives the instance');

    const reader = await launch('reader');
    const read = await dockerExec(reader, 'cat', '/data/note.txt');
    assert.equal(read.code, 0, read.out);
    assert.equal(read.out.trim(), 'kept');
  });

  it('cannot be deleted while an instance mounts them', async () => {
    await assert.rejects(g.client.call('deleteVolume', { params: { project, volume: 'data' } }), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 409);
      assert.equal(err.code, 'VOLUME_IN_USE');
      assert.match(err.message, /reader/);
      return true;
    });
    assert.ok(await engineHasVolume());
    const volume = await g.client.call('getVolume', { params: { project, volume: 'data' } });
    assert.deepEqual(volume.usedBy, ['reader']);
  });

  it('are gone from the engine once deleted, and come back empty under the same name', async () => {
    await deleteInstance('reader');
    await g.client.call('deleteVolume', { params: { project, volume: 'data' } });
    assert.equal(await engineHasVolume(), false, 'the engine volume is removed');
    await assert.rejects(g.client.call('getVolume', { params: { project, volume: 'data' } }), (err: unknown) => err instanceof ApiError && err.code === 'VOLUME_NOT_FOUND');

    await g.client.call('createVolume', { params: { project }, body: { name: 'data' } });
    const fresh = await launch('fresh');
    const listing = await dockerExec(fresh, 'ls', '-A', '/data');
    assert.equal(listing.code, 0, listing.out);
    assert.equal(listing.out.trim(), '', 'a re-created volume is empty');
  });
});
