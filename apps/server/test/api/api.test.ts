import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, routes, type Instance } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';

let g: TestGureum;
const project = uniqueName('api');
const other = uniqueName('api2');
const app = uniqueName('sleeper');

async function raw(method: string, path: string, body?: unknown, token: string | null = g.token): Promise<{ status: number; json: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown> }> {
  const res = await fetch(g.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as never };
}

async function expectError(promise: Promise<unknown>, status: number, code: string): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.status, status);
    return err;
  }
  assert.fail(`expected ${code}`);
}

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app, { ports: [{ name: 'http', containerPort: 8080 }] }) });
});

after(async () => {
  await g.stop();
  await removeProjects(project, other);
});

describe('authentication', () => {
  it('refuses every /api/v1 route without a valid token, with 401 UNAUTHENTICATED', async () => {
    const none = await raw('GET', '/api/v1/projects', undefined, null);
    assert.equal(none.status, 401);
    assert.equal(none.json.error?.code, 'UNAUTHENTICATED');
    const wrong = await raw('GET', '/api/v1/projects', undefined, 'gur_not-a-token');
    assert.equal(wrong.status, 401);
  });

  it('serves health and the OpenAPI document without a token', async () => {
    assert.equal((await raw('GET', '/healthz', undefined, null)).status, 200);
    const doc = await raw('GET', '/api/v1/openapi.json', undefined, null);
    assert.equal(doc.status, 200);
    const paths = doc.json.paths as Record<string, Record<string, { operationId: string }>>;
    for (const [id, route] of Object.entries(routes)) {
      const openApiPath = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      assert.equal(paths[openApiPath]?.[route.method.toLowerCase()]?.operationId, id, `${id} is documented`);
    }
  });

  it('stores the admin token file with mode 0600', async () => {
    const fs = await import('node:fs');
    const mode = fs.statSync(`${g.dataDir}/admin.token`).mode & 0o777;
    assert.equal(mode, 0o600);
  });
});

describe('projects', () => {
  it('creates, lists and shows a project; refuses a duplicate and a bad name', async () => {
    const created = await g.client.call('createProject', { body: { name: other, description: 'second' } });
    assert.equal(created.name, other);
    const list = await g.client.call('listProjects', {});
    assert.ok(list.some((p) => p.name === other));
    assert.equal((await g.client.call('getProject', { params: { project: other } })).description, 'second');
    await expectError(g.client.call('createProject', { body: { name: other } }), 409, 'PROJECT_EXISTS');
    const bad = await expectError(g.client.call('createProject', { body: { name: 'Not_A_Label' } }), 400, 'VALIDATION_FAILED');
    assert.match(bad.message, /DNS label/);
    await expectError(g.client.call('getProject', { params: { project: 'no-such-project' } }), 404, 'PROJECT_NOT_FOUND');
  });

  it('answers JSON errors for bad JSON, unknown fields and unknown routes', async () => {
    const badJson = await raw('POST', '/api/v1/projects', '{"name": ');
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json.error?.code, 'INVALID_JSON');
    const extra = await raw('POST', '/api/v1/projects', { name: 'x1', colour: 'red' });
    assert.equal(extra.status, 400);
    assert.equal(extra.json.error?.code, 'VALIDATION_FAILED');
    const nowhere = await raw('GET', '/api/v1/nowhere');
    assert.equal(nowhere.status, 404);
    assert.equal(nowhere.json.error?.code, 'ROUTE_NOT_FOUND');
  });
});

describe('apps', () => {
  it('validates references inside an app and creates nothing when invalid', async () => {
    const name = uniqueName('bad');
    const err = await expectError(
      g.client.call('createApp', { body: { name, components: [{ name: 'w', image: TEST_IMAGE, replicas: { param: 'workers' } }] } }),
      400,
      'VALIDATION_FAILED',
    );
    assert.match(err.message, /unknown parameter workers/);
    await expectError(g.client.call('getApp', { params: { app: name } }), 404, 'APP_NOT_FOUND');
  });

  it('refuses an image reference outside the distribution grammar (upper case, credentials) with 400, naming the field', async () => {
    for (const image of ['Gureum-Test/BusyBox:1', 'admin:hunter2@127.0.0.1:5055/gureum-test/busybox:1']) {
      const name = uniqueName('ref');
      const res = await fetch(`${g.url}/api/v1/apps`, { method: 'POST', headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, components: [{ name: 'w', image }] }) });
      const body = (await res.json()) as { error: { code: string; message: string; details: { path: string }[] } };
      assert.equal(res.status, 400, image);
      assert.equal(body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(body.error.details.map((d) => d.path), ['components.0.image']);
      assert.ok(!body.error.message.includes('hunter2'), 'the answer does not repeat a credential');
      await expectError(g.client.call('getApp', { params: { app: name } }), 404, 'APP_NOT_FOUND');
    }
  });

  it('updates an app and bumps its version; refuses a duplicate', async () => {
    const name = uniqueName('upd');
    await g.client.call('createApp', { body: busyboxApp(name) });
    const updated = await g.client.call('updateApp', { params: { app: name }, body: { title: 'new title', components: busyboxApp(name).components } });
    assert.equal(updated.version, 2);
    assert.equal(updated.title, 'new title');
    await expectError(g.client.call('createApp', { body: busyboxApp(name) }), 409, 'APP_EXISTS');
    await g.client.call('deleteApp', { params: { app: name } });
    await expectError(g.client.call('getApp', { params: { app: name } }), 404, 'APP_NOT_FOUND');
  });
});

describe('instances', () => {
  it('refuses an unknown app, an unknown project and bad parameters, leaving nothing behind', async () => {
    await expectError(g.client.call('createInstance', { params: { project }, body: { name: 'x', app: 'no-such-app' } }), 404, 'APP_NOT_FOUND');
    await expectError(g.client.call('createInstance', { params: { project: 'no-such-project' }, body: { name: 'x', app } }), 404, 'PROJECT_NOT_FOUND');
    const withParam = uniqueName('param');
    await g.client.call('createApp', {
      body: { name: withParam, parameters: [{ name: 'n', type: 'integer', min: 1, max: 3, default: 1 }], components: [{ name: 'main', image: TEST_IMAGE, replicas: { param: 'n' } }] },
    });
    const err = await expectError(g.client.call('createInstance', { params: { project }, body: { name: 'x', app: withParam, parameters: { n: 9 } } }), 400, 'PARAMETER_INVALID');
    assert.match(err.message, /at most 3/);
    assert.equal((await g.client.call('listInstances', { params: { project } })).filter((i) => i.name === 'x').length, 0);
  });

  it('launches an instance that reaches running, with every replica observed', async () => {
    const created = await g.client.call('createInstance', { params: { project }, body: { name: 'web', app, replicas: 2 } });
    assert.equal(created.phase, 'pending');
    const running = await waitFor(async () => {
      const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
      return i.phase === 'running' ? i : undefined;
    }, { what: 'instance web to run' });
    assert.equal(running.replicas.length, 2);
    for (const r of running.replicas) {
      assert.equal(r.state, 'running');
      assert.match(r.containerId ?? '', /^[0-9a-f]{12,}$/);
      assert.ok(r.ip, 'has an IP on the project network');
      assert.ok(r.startedAt);
      assert.ok(r.node);
    }
    const imageId = (await g.client.call('listImages', {})).find((i) => i.tags.includes(TEST_IMAGE))?.id;
    assert.deepEqual(running.components, [{ name: 'main', image: TEST_IMAGE, imageId, desiredReplicas: 2, readyReplicas: 2 }]);
  });

  it('refuses a duplicate instance name with 409', async () => {
    await expectError(g.client.call('createInstance', { params: { project }, body: { name: 'web', app } }), 409, 'INSTANCE_EXISTS');
  });

  it('scales with PATCH and records the event', async () => {
    await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { replicas: 3 } });
    await waitFor(async () => {
      const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
      return i.phase === 'running' && i.replicas.filter((r) => r.state === 'running').length === 3;
    }, { what: 'scale to 3' });
    await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { replicas: 1 } });
    const one = await waitFor(async () => {
      const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
      return i.phase === 'running' && i.replicas.length === 1 ? i : undefined;
    }, { what: 'scale to 1' });
    assert.equal(one.replicas[0]!.index, 0);
    const events = await g.client.call('listEvents', { query: { project, instance: 'web', type: 'instance.scaled' } });
    assert.equal(events.length, 2);
  });

  it('stops and starts an instance', async () => {
    const stopped = await g.client.call('stopInstance', { params: { project, instance: 'web' } });
    assert.equal(stopped.desiredState, 'stopped');
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance: 'web' } })).phase === 'stopped', { what: 'stopped' });
    await g.client.call('startInstance', { params: { project, instance: 'web' } });
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance: 'web' } })).phase === 'running', { what: 'running again' });
  });

  it('refuses a host port another instance already claims, creating nothing', async () => {
    const fixed = uniqueName('fixed');
    await g.client.call('createApp', { body: busyboxApp(fixed, { ports: [{ name: 'http', containerPort: 80, hostPort: 38123 }] }) });
    await g.client.call('createInstance', { params: { project }, body: { name: 'first', app: fixed } });
    const err = await expectError(g.client.call('createInstance', { params: { project }, body: { name: 'second', app: fixed } }), 409, 'PORT_CONFLICT');
    assert.match(err.message, /38123/);
    await expectError(g.client.call('getInstance', { params: { project, instance: 'second' } }), 404, 'INSTANCE_NOT_FOUND');
    await g.client.call('deleteInstance', { params: { project, instance: 'first' } });
  });

  it('marks an instance failed, with the reason, when its image cannot be found', async () => {
    const ghost = uniqueName('ghost');
    await g.client.call('createApp', { body: { name: ghost, components: [{ name: 'main', image: '127.0.0.1:5055/gureum-test/does-not-exist:1' }] } });
    await g.client.call('createInstance', { params: { project }, body: { name: 'ghost', app: ghost } });
    const failed = await waitFor(async () => {
      const i: Instance = await g.client.call('getInstance', { params: { project, instance: 'ghost' } });
      return i.phase === 'failed' ? i : undefined;
    }, { what: 'phase failed' });
    assert.match(failed.reason ?? '', /does-not-exist/);
    await g.client.call('deleteInstance', { params: { project, instance: 'ghost' } });
  });

  it('refuses to delete an app in use and a project that is not empty', async () => {
    await expectError(g.client.call('deleteApp', { params: { app } }), 409, 'APP_IN_USE');
    await expectError(g.client.call('deleteProject', { params: { project } }), 409, 'PROJECT_NOT_EMPTY');
  });

  it('deletes an instance and its containers', async () => {
    const deleting = await g.client.call('deleteInstance', { params: { project, instance: 'web' } });
    assert.equal(deleting.phase, 'deleting');
    await waitFor(async () => {
      try {
        await g.client.call('getInstance', { params: { project, instance: 'web' } });
        return false;
      } catch (err) {
        return err instanceof ApiError && err.code === 'INSTANCE_NOT_FOUND';
      }
    }, { what: 'instance gone' });
    const left = (await g.driver.listReplicas({ project })).filter((r) => r.instance === 'web');
    assert.equal(left.length, 0);
  });

  it('deletes a non-empty project with force, removing its instances and volumes', async () => {
    const doomed = uniqueName('doomed');
    await g.client.call('createProject', { body: { name: doomed } });
    await g.client.call('createVolume', { params: { project: doomed }, body: { name: 'data' } });
    await g.client.call('createInstance', { params: { project: doomed }, body: { name: 'a', app } });
    await waitFor(async () => (await g.client.call('getInstance', { params: { project: doomed, instance: 'a' } })).phase === 'running', { what: 'running' });
    await g.client.call('deleteProject', { params: { project: doomed }, query: { force: 'true' } });
    await waitFor(async () => {
      try {
        await g.client.call('getProject', { params: { project: doomed } });
        return false;
      } catch (err) {
        return err instanceof ApiError && err.code === 'PROJECT_NOT_FOUND';
      }
    }, { what: 'project gone' });
    const driver = g.driver;
    assert.equal((await driver.listReplicas({ project: doomed })).length, 0);
    assert.equal((await driver.listVolumes()).filter((v) => v.project === doomed).length, 0);
  });
});
