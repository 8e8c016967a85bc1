import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, removeProjects, startGureum, TEST_IMAGE, uniqueName, type TestGureum } from '../support/harness.js';
import { allRunning, dockerExec, replica, waitForInstance } from './support.js';

let g: TestGureum;
const projectA = uniqueName('iso-a');
const projectB = uniqueName('iso-b');
const server = uniqueName('httpd');
const client = uniqueName('client');
const pair = uniqueName('pair');

/** Serves a page naming the replica, on port 8080. */
const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "hello from $GUREUM_PROJECT/$GUREUM_INSTANCE/$GUREUM_COMPONENT" > /www/index.html && exec httpd -f -p 8080 -h /www'];

before(async () => {
  g = await startGureum();
  for (const p of [projectA, projectB]) await g.client.call('createProject', { body: { name: p } });
  await g.client.call('createApp', { body: busyboxApp(server, { command: HTTPD, ports: [{ name: 'http', containerPort: 8080 }] }) });
  await g.client.call('createApp', { body: busyboxApp(client) });
  await g.client.call('createApp', {
    body: {
      name: pair,
      components: [
        { name: 'front', image: TEST_IMAGE, command: ['sh', '-c', 'exec sleep 3600'] },
        { name: 'back', image: TEST_IMAGE, command: HTTPD, ports: [{ name: 'http', containerPort: 8080 }] },
      ],
    },
  });
  await Promise.all([
    g.client.call('createInstance', { params: { project: projectA }, body: { name: 'web', app: server } }),
    g.client.call('createInstance', { params: { project: projectA }, body: { name: 'probe', app: client } }),
    g.client.call('createInstance', { params: { project: projectA }, body: { name: 'duo', app: pair } }),
    g.client.call('createInstance', { params: { project: projectB }, body: { name: 'web', app: server } }),
  ]);
});

after(async () => {
  await g.stop();
  await removeProjects(projectA, projectB);
});

async function fetchFrom(containerId: string, url: string): Promise<{ code: number; out: string }> {
  return dockerExec(containerId, 'timeout', '3', 'wget', '-q', '-O-', url);
}

describe('project isolation', () => {
  it('keeps a replica of another project from reaching a replica by its IP', async () => {
    const a = await waitForInstance(g.client, projectA, 'web', allRunning(1), 'A/web to run');
    const b = await waitForInstance(g.client, projectB, 'web', allRunning(1), 'B/web to run');
    const ipA = replica(a, 0).ip!;
    const ipB = replica(b, 0).ip!;
    assert.ok(ipA && ipB);
    // Each server answers inside its own project (the check below is not a dead server).
    const self = await fetchFrom(replica(b, 0).containerId!, `http://${ipB}:8080/`);
    assert.equal(self.code, 0, self.out);

    const across = await fetchFrom(replica(b, 0).containerId!, `http://${ipA}:8080/`);
    assert.notEqual(across.code, 0, `project B reached project A at ${ipA}: ${across.out}`);
    const byName = await fetchFrom(replica(b, 0).containerId!, `http://web-main:8080/`);
    assert.match(byName.out, new RegExp(`hello from ${projectB}/web/main`), 'the name web-main inside B is B’s own web');
  });

  it('lets another instance of the same project reach a replica by <instance>-<component> and by IP', async () => {
    const web = await waitForInstance(g.client, projectA, 'web', allRunning(1), 'A/web to run');
    const probe = await waitForInstance(g.client, projectA, 'probe', allRunning(1), 'A/probe to run');
    const prober = replica(probe, 0).containerId!;
    const byName = await fetchFrom(prober, 'http://web-main:8080/');
    assert.equal(byName.code, 0, byName.out);
    assert.match(byName.out, new RegExp(`hello from ${projectA}/web/main`));
    const byIp = await fetchFrom(prober, `http://${replica(web, 0).ip!}:8080/`);
    assert.equal(byIp.code, 0, byIp.out);
    const byReplicaName = await fetchFrom(prober, 'http://web-main-0:8080/');
    assert.equal(byReplicaName.code, 0, byReplicaName.out);
  });

  it('lets a component reach a sibling component of its instance by name', async () => {
    const duo = await waitForInstance(g.client, projectA, 'duo', (i) => i.phase === 'running', 'A/duo to run');
    const front = replica(duo, 0, 'front').containerId!;
    const sibling = await fetchFrom(front, 'http://duo-back:8080/');
    assert.equal(sibling.code, 0, sibling.out);
    assert.match(sibling.out, new RegExp(`hello from ${projectA}/duo/back`));
  });
});
