/**
 * An image cannot hide its replicas from Gureum: a container inherits its image's labels, so
 * an image labelled `io.gureum.*` (another installation, "not managed", another instance) must
 * not make a replica invisible, which would make Gureum create replicas without end. Gureum sets
 * every label it reads itself, the installation explicitly (empty when unscoped). Real engine,
 * and a Gureum without an installation, the case that had no label of its own to set.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, labelledImage, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { sleep } from '../identity/identity-kit.js';
import { waitRunning } from '../streams/support.js';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args)).stdout.trim();

let g: TestGureum;
const project = uniqueName('lbl');
const TAG = `gureum-labels/${uniqueName('t')}:1`;

before(async () => {
  await labelledImage(TAG, { 'io.gureum.installation': 'someone-else', 'io.gureum.managed': 'false', 'io.gureum.instance-id': 'not-yours', 'io.gureum.project': 'elsewhere' });
  g = await startGureum({ GUREUM_INSTALLATION: '' });
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: { ...busyboxApp(`${project}-app`, { image: TAG }), project } });
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
  await run('docker', ['rmi', '-f', TAG]).catch(() => undefined);
});

describe('images labelled io.gureum.*', () => {
  it('run as ordinary replicas: seen, labelled by Gureum, and never duplicated', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'web', app: `${project}-app`, replicas: 2 } });
    await waitRunning(g, project, 'web');
    const { id } = await g.gureum.services.instances.require(project, 'web');
    // A few resyncs (every 2 s here) later, still exactly the two replicas.
    await sleep(6000);
    const containers = (await docker('ps', '-aq', '--filter', `label=io.gureum.project=${project}`)).split('\n').filter(Boolean);
    assert.equal(containers.length, 2, 'no replica made twice');
    for (const c of containers) {
      const labels = JSON.parse(await docker('inspect', '--format', '{{json .Config.Labels}}', c)) as Record<string, string>;
      assert.equal(labels['io.gureum.installation'], '', 'the installation label is set, empty without an installation');
      assert.equal(labels['io.gureum.managed'], 'true');
      assert.equal(labels['io.gureum.instance-id'], id);
    }
    const now = await g.client.call('getInstance', { params: { project, instance: 'web' } });
    assert.equal(now.phase, 'running');
    assert.deepEqual(now.replicas.map((r) => r.containerId?.slice(0, 12)).sort(), containers.map((c) => c.slice(0, 12)).sort());
  });
});
