/**
 * A project deletion that the engine blocks is visible (the project answers deleting and
 * why, and a project.deletion_failed event says so) and finishes once the block goes; a
 * container left on the project's network does not block it: it is disconnected by force.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, type Project } from '@gureum/contract';
import { networkName, volumeName } from '../../src/domain/core/labels.js';
import { busyboxApp, removeProjects, startGureum, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { allRunning, docker, waitForInstance } from './support.js';

let g: TestGureum;
const project = uniqueName('pdel');
const app = uniqueName('pdel-app');
/** Containers the test attaches by hand (labelled with the project, so removeProjects cleans them up). */
const onNetwork = uniqueName('pdel-net-blocker');
const onVolume = uniqueName('pdel-vol-blocker');

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createVolume', { params: { project }, body: { name: 'data' } });
  await g.client.call('createApp', { body: busyboxApp(app, { volumes: [{ volume: 'data', mountPath: '/data' }] }) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'web', app, replicas: 3 } });
  await waitForInstance(g.client, project, 'web', allRunning(3), 'web to run');
  const label = `io.gureum.project=${project}`;
  await docker('run', '-d', '--name', onNetwork, '--label', label, '--network', networkName(project, g.installation), TEST_IMAGE, 'sleep', '3600');
  await docker('run', '-d', '--name', onVolume, '--label', label, '-v', `${volumeName(project, 'data', g.installation)}:/d`, TEST_IMAGE, 'sleep', '3600');
});

after(async () => {
  await g?.stop();
  await docker('rm', '-f', onNetwork, onVolume).catch(() => undefined);
  await removeProjects(project);
});

async function projectNow(): Promise<Project | undefined> {
  try {
    return await g.client.call('getProject', { params: { project } });
  } catch (err) {
    if (err instanceof ApiError && err.code === 'PROJECT_NOT_FOUND') return undefined;
    throw err;
  }
}

describe('a stuck project deletion', () => {
  it('answers deleting with the reason, and records a project.deletion_failed event, while the engine refuses', async () => {
    const before = await projectNow();
    assert.deepEqual([before?.deleting, before?.deletionProblem], [false, null]);
    await g.client.call('deleteProject', { params: { project }, query: { force: 'true' } });
    const stuck = await waitFor(
      async () => {
        const p = await projectNow();
        return p?.deletionProblem ? p : undefined;
      },
      { what: 'the deletion to fail', timeoutMs: 60_000 },
    );
    assert.equal(stuck.deleting, true);
    assert.match(stuck.deletionProblem!, /volume data/);
    assert.match(stuck.deletionProblem!, /in use/);
    const events = await g.client.call('listEvents', { query: { project, type: 'project.deletion_failed' } });
    assert.equal(events.length, 1, 'one event per distinct reason, not one per retry');
    assert.equal(events[0]!.data.reason, stuck.deletionProblem);
    assert.equal(events[0]!.data.code, 'VOLUME_IN_USE');
    assert.ok((await g.client.call('listProjects', {})).some((p) => p.name === project && p.deleting));
  });

  it('finishes once the block is gone, disconnecting by force what is still on the project network', async () => {
    await docker('rm', '-f', onVolume);
    // The next retry (15 s) removes the volume, then the network with a container still attached.
    await waitFor(async () => (await projectNow()) === undefined, { what: 'the project to be deleted', timeoutMs: 60_000 });
    assert.equal(await docker('network', 'ls', '-q', '--filter', `name=^${networkName(project, g.installation)}$`), '', 'the network is gone');
    assert.equal(await docker('inspect', '--format', '{{.State.Running}} {{len .NetworkSettings.Networks}}', onNetwork), 'true 0', 'the container attached by hand runs on, disconnected');
    const types = (await g.client.call('listEvents', { query: { project } })).map((e) => e.type);
    assert.ok(types.includes('project.deleted'), types.join(' '));
  });
});
