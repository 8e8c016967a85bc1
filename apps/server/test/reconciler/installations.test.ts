/**
 * Two Gureums on one engine (GUREUM_INSTALLATION) share nothing, even with the same project,
 * volume and instance names: each has its own network and its own volume, neither lists,
 * reaches, reads or deletes the other's replica or data, and one refuses an engine object that
 * carries its name but not its label.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { networkName, volumeName } from '../../src/domain/core/labels.js';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { openExec } from '../identity/identity-kit.js';
import { allRunning, dockerExec, replica, waitForInstance } from './support.js';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args)).stdout.trim();
/** The same names in both installations. */
const project = uniqueName('pa');
const app = uniqueName('pa-web');
/** Serves /data over HTTP on 8080, and writes its installation's name into /data/who at start. */
const HTTPD = ['sh', '-c', 'echo "$WHO" > /data/who && exec httpd -f -p 8080 -h /data'];
let a: TestGureum;
let b: TestGureum;

async function launch(g: TestGureum, who: string): Promise<void> {
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createVolume', { params: { project }, body: { name: 'data' } });
  await g.client.call('createApp', { body: busyboxApp(app, { command: HTTPD, env: { WHO: who }, ports: [{ name: 'http', containerPort: 8080 }], volumes: [{ volume: 'data', mountPath: '/data' }] }) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'web', app } });
}

before(async () => {
  a = await startGureum({ GUREUM_INSTALLATION: uniqueName('inst-a') });
  b = await startGureum({ GUREUM_INSTALLATION: uniqueName('inst-b') });
  await launch(a, 'A');
  await launch(b, 'B');
});

after(async () => {
  await a.stop();
  await b.stop();
  await removeProjects(project);
});

describe('two installations on one engine, each with project pa', () => {
  it('have a network and a volume each, named and labelled with their installation', async () => {
    for (const g of [a, b]) {
      await waitForInstance(g.client, project, 'web', allRunning(1), `web of ${g.installation}`);
      const labels = JSON.parse(await docker('network', 'inspect', networkName(project, g.installation), '--format', '{{json .Labels}}')) as Record<string, string>;
      assert.equal(labels['io.gureum.installation'], g.installation);
      const volumeLabels = JSON.parse(await docker('volume', 'inspect', volumeName(project, 'data', g.installation), '--format', '{{json .Labels}}')) as Record<string, string>;
      assert.equal(volumeLabels['io.gureum.installation'], g.installation);
    }
    assert.notEqual(networkName(project, a.installation), networkName(project, b.installation));
  });

  it('read only their own volume, and list only their own replica', async () => {
    const ia = await waitForInstance(a.client, project, 'web', allRunning(1), 'A web');
    const ib = await waitForInstance(b.client, project, 'web', allRunning(1), 'B web');
    assert.notEqual(replica(ia, 0).containerId, replica(ib, 0).containerId);
    assert.deepEqual(await openExec(a, a.token, project, 'web', ['cat', '/data/who']), { output: 'A\r\n', exit: 0 });
    assert.deepEqual(await openExec(b, b.token, project, 'web', ['cat', '/data/who']), { output: 'B\r\n', exit: 0 });
    assert.deepEqual((await a.driver.listReplicas({ project })).map((r) => r.id), [replica(ia, 0).containerId]);
    assert.deepEqual((await b.driver.listReplicas({ project })).map((r) => r.id), [replica(ib, 0).containerId]);
  });

  it('cannot reach the other installation’s replica by its address', async () => {
    const ia = await waitForInstance(a.client, project, 'web', allRunning(1), 'A web');
    const ib = await waitForInstance(b.client, project, 'web', allRunning(1), 'B web');
    const fromB = replica(ib, 0).containerId!;
    const own = await dockerExec(fromB, 'timeout', '3', 'wget', '-q', '-O-', `http://${replica(ib, 0).ip!}:8080/who`);
    assert.equal(own.out.trim(), 'B', 'B reaches its own replica (the check below is not a dead server)');
    const across = await dockerExec(fromB, 'timeout', '3', 'wget', '-q', '-O-', `http://${replica(ia, 0).ip!}:8080/who`);
    assert.notEqual(across.code, 0, `B reached A's replica: ${across.out}`);
  });

  it('deleting its volume and project leaves the other’s whole', async () => {
    await b.client.call('deleteProject', { params: { project }, query: { force: 'true' } });
    await waitForInstance(a.client, project, 'web', allRunning(1), 'A web still');
    for (let i = 0; i < 60 && (await b.client.call('listProjects', {})).some((p) => p.name === project); i++) await new Promise((r) => setTimeout(r, 500));
    assert.ok(!(await b.client.call('listProjects', {})).some((p) => p.name === project), 'B deleted its project');
    await assert.rejects(docker('volume', 'inspect', volumeName(project, 'data', b.installation)), 'B’s volume is gone');
    await docker('volume', 'inspect', volumeName(project, 'data', a.installation));
    assert.deepEqual(await openExec(a, a.token, project, 'web', ['cat', '/data/who']), { output: 'A\r\n', exit: 0 });
    await docker('network', 'inspect', networkName(project, a.installation));
  });

  it('refuses a volume that carries its name but is not its own, and mounts nothing of it', async () => {
    const name = volumeName(project, 'planted', a.installation);
    await docker('volume', 'create', '--label', 'io.gureum.managed=true', '--label', `io.gureum.project=${project}`, '--label', 'io.gureum.volume=planted', name);
    try {
      const planted = uniqueName('pa-planted');
      await a.client.call('createVolume', { params: { project }, body: { name: 'planted' } });
      await a.client.call('createApp', { body: busyboxApp(planted, { volumes: [{ volume: 'planted', mountPath: '/data' }] }) });
      await a.client.call('createInstance', { params: { project }, body: { name: 'planted', app: planted } });
      const stuck = await waitForInstance(a.client, project, 'planted', (i) => /not made by this Gureum/.test(i.reason ?? ''), 'the planted volume to be refused');
      assert.ok(stuck.replicas.every((r) => r.containerId === null), 'no replica mounts it');
    } finally {
      await a.client.call('deleteInstance', { params: { project, instance: 'planted' } }).catch(() => undefined);
      await docker('volume', 'rm', name).catch(() => undefined);
    }
  });
});
