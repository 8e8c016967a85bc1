/**
 * The admin's settings of the installation (GET/PATCH /api/v1/settings): who may create
 * projects, the quota every new project starts with, and the limits a component that sets
 * none runs with, checked on the real engine. A setting given replaces that one; the others
 * stay; a change is an event.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_WEBHOOK_DENY } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { waitRunning } from '../streams/support.js';
import { callRoute, codeOf, createUser, type TestUser } from '../identity/identity-kit.js';

const run = promisify(execFile);
let g: TestGureum;
let ann: TestUser;
const made: string[] = [];
const newProject = (prefix: string) => {
  const name = uniqueName(prefix);
  made.push(name);
  return name;
};

before(async () => {
  g = await startGureum();
  ann = await createUser(g, uniqueName('ann'));
});

after(async () => {
  await g.stop();
  await removeProjects(...made);
});

describe('settings', () => {
  it('start at their defaults, and only an admin reads or changes them', async () => {
    assert.deepEqual(await g.client.call('getSettings', {}), {
      projectCreation: 'everyone',
      defaultQuota: {},
      defaultResources: { cpus: null, memoryBytes: null },
      webhooks: { allow: [], deny: DEFAULT_WEBHOOK_DENY },
    });
    for (const id of ['getSettings', 'updateSettings'] as const) {
      const r = await callRoute(g, id, { token: ann.token, ...(id === 'updateSettings' && { body: { projectCreation: 'admins' } }) });
      assert.deepEqual([r.status, codeOf(r)], [403, 'FORBIDDEN'], id);
    }
    assert.equal((await g.client.call('getSettings', {})).projectCreation, 'everyone');
  });

  it('projectCreation admins: a user is refused with a reason, the admin is not; everyone again lets the user', async () => {
    const settings = await g.client.call('updateSettings', { body: { projectCreation: 'admins' } });
    assert.equal(settings.projectCreation, 'admins');
    const canCreate = async (token: string) => ((await callRoute(g, 'whoami', { token })).body as { canCreateProjects: boolean }).canCreateProjects;
    assert.equal(await canCreate(ann.token), false, 'the dashboard offers no "New project" to her');
    assert.equal(await canCreate(g.token), true);
    const refused = await callRoute(g, 'createProject', { token: ann.token, body: { name: newProject('ann-a') } });
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'FORBIDDEN']);
    assert.match(JSON.stringify(refused.body), /only administrators create projects/);
    await g.client.call('createProject', { body: { name: newProject('adm') } });
    await g.client.call('updateSettings', { body: { projectCreation: 'everyone' } });
    assert.equal(await canCreate(ann.token), true);
    const allowed = await callRoute(g, 'createProject', { token: ann.token, body: { name: newProject('ann-b') } });
    assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
    const [changed] = (await g.client.call('listEvents', { query: { type: 'settings.updated', limit: 10 } })).slice(-1);
    assert.deepEqual(changed?.data, { changed: ['projectCreation'] });
  });

  it('defaultQuota: a new project starts with it and is held to it; projects made before keep theirs', async () => {
    const before = newProject('before-q');
    await g.client.call('createProject', { body: { name: before } });
    await g.client.call('updateSettings', { body: { defaultQuota: { instances: 1, volumes: 2 } } });
    const project = newProject('quota');
    await g.client.call('createProject', { body: { name: project } });
    const usage = await g.client.call('getUsage', { params: { project } });
    assert.equal(usage.quota.instances, 1);
    assert.equal(usage.quota.volumes, 2);
    assert.equal((await g.client.call('getUsage', { params: { project: before } })).quota.instances, null);
    const app = uniqueName('q-app');
    await g.client.call('createApp', { body: busyboxApp(app) });
    await g.client.call('createInstance', { params: { project }, body: { name: 'one', app } });
    const second = await callRoute(g, 'createInstance', { token: g.token, params: { project }, body: { name: 'two', app } });
    assert.deepEqual([second.status, codeOf(second)], [403, 'QUOTA_EXCEEDED']);
    // A field given replaces that one; the others stay.
    const settings = await g.client.call('updateSettings', { body: { defaultQuota: { instances: null } } });
    assert.deepEqual(settings.defaultQuota, { instances: null, volumes: 2 });
    await g.client.call('deleteInstance', { params: { project, instance: 'one' } });
  });

  it('defaultResources: a component without limits runs with them on the engine; one with its own keeps its own', async () => {
    await g.client.call('updateSettings', { body: { defaultQuota: {}, defaultResources: { cpus: 0.5, memoryBytes: 64 * 1024 * 1024 } } });
    const project = newProject('limits');
    await g.client.call('createProject', { body: { name: project } });
    const bare = uniqueName('bare');
    const own = uniqueName('own');
    await g.client.call('createApp', { body: busyboxApp(bare) });
    await g.client.call('createApp', { body: busyboxApp(own, { resources: { memoryBytes: 32 * 1024 * 1024 } }) });
    await g.client.call('createInstance', { params: { project }, body: { name: 'bare', app: bare } });
    await g.client.call('createInstance', { params: { project }, body: { name: 'own', app: own } });
    const limitsOf = async (instance: string) => {
      const i = await waitRunning(g, project, instance);
      const { stdout } = await run('docker', ['inspect', '--format', '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}', i.replicas[0]!.containerId!]);
      return stdout.trim();
    };
    assert.equal(await limitsOf('bare'), `500000000 ${64 * 1024 * 1024}`);
    assert.equal(await limitsOf('own'), `500000000 ${32 * 1024 * 1024}`, 'its own memory limit, the default CPU limit');
    await g.client.call('updateSettings', { body: { defaultResources: { cpus: null, memoryBytes: null } } });
  });

  it('refuses a setting that is not one, and changes nothing', async () => {
    for (const body of [{ projectCreation: 'nobody' }, { defaultResources: { memoryBytes: 1 } }, { defaultQuota: { instances: -1 } }, { colour: 'blue' }]) {
      const r = await callRoute(g, 'updateSettings', { token: g.token, body });
      assert.deepEqual([r.status, codeOf(r)], [400, 'VALIDATION_FAILED'], JSON.stringify(body));
    }
    assert.equal((await g.client.call('getSettings', {})).projectCreation, 'everyone');
  });
});
