import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Instance } from '@gureum/contract';
import { removeProjects, startGureum, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';

const run = promisify(execFile);

let g: TestGureum;
const project = uniqueName('sec');
const appName = uniqueName('sec-app');
const instance = 'vault-user';
const first = `first-${randomBytes(12).toString('hex')}`;
const second = `second-${randomBytes(12).toString('hex')}`;
/** Everything the API answered during the tests, to search for values afterwards. */
const answered: string[] = [];

interface Json {
  error?: { code: string; message: string; details?: unknown };
  version?: number;
  [key: string]: unknown;
}

async function api(method: string, urlPath: string, body?: unknown): Promise<{ status: number; text: string; json: Json }> {
  const res = await fetch(g.url + urlPath, {
    method,
    headers: { authorization: `Bearer ${g.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  answered.push(text);
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // a text answer (logs)
  }
  return { status: res.status, text, json };
}

async function dockerExec(containerId: string, ...command: string[]): Promise<string> {
  return (await run('docker', ['exec', containerId, ...command])).stdout.trim();
}

/** Each replica prints its secret, from the variable and from the file, then sleeps. */
const PRINT = 'echo "env says $DB_PASSWORD"; echo "file says $(cat /run/secrets/db)"; exec sleep 3600';

async function current(): Promise<Instance> {
  return (await api('GET', `/api/v1/projects/${project}/instances/${instance}`)).json as unknown as Instance;
}

async function allReady(except: string[] = []): Promise<Instance> {
  return waitFor(
    async () => {
      const i = await current();
      const ok = i.phase === 'running' && i.replicas.length === 2 && i.replicas.every((r) => r.current && r.state === 'running' && r.containerId !== null && !except.includes(r.containerId));
      return ok ? i : undefined;
    },
    { what: 'every replica running the current spec', timeoutMs: 60_000 },
  );
}

function replicaOf(i: Instance, component: string): string {
  return i.replicas.find((r) => r.component === component)!.containerId!;
}

before(async () => {
  g = await startGureum();
  assert.equal((await api('POST', '/api/v1/projects', { name: project })).status, 201);
  const secrets = [
    { secret: 'db', env: 'DB_PASSWORD' },
    { secret: 'db', path: '/run/secrets/db' },
  ];
  const components = [
    { name: 'main', image: TEST_IMAGE, command: ['sh', '-c', PRINT], secrets },
    { name: 'guest', image: TEST_IMAGE, command: ['sh', '-c', PRINT], secrets, security: { user: 'nobody' } },
  ];
  assert.equal((await api('POST', '/api/v1/apps', { name: appName, components })).status, 201);
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('secrets', () => {
  it('stores a secret and answers its metadata only; each PUT is a new version', async () => {
    const put = await api('PUT', `/api/v1/projects/${project}/secrets/db`, { value: 'placeholder-value' });
    assert.equal(put.status, 200);
    assert.deepEqual(Object.keys(put.json).sort(), ['createdAt', 'name', 'project', 'updatedAt', 'version']);
    assert.equal(put.json.version, 1);
    const again = await api('PUT', `/api/v1/projects/${project}/secrets/db`, { value: first });
    assert.equal(again.json.version, 2);
    assert.ok(!again.text.includes(first));
  });

  it('lists names and versions, never values', async () => {
    const list = await api('GET', `/api/v1/projects/${project}/secrets`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      (JSON.parse(list.text) as { name: string; version: number }[]).map((s) => [s.name, s.version]),
      [['db', 2]],
    );
    assert.ok(!list.text.includes(first) && !list.text.includes('placeholder-value'));
  });

  it('refuses a launch naming a secret the project does not have with 404 SECRET_NOT_FOUND, creating nothing', async () => {
    const missingApp = uniqueName('sec-missing');
    assert.equal((await api('POST', '/api/v1/apps', { name: missingApp, components: [{ name: 'main', image: TEST_IMAGE, secrets: [{ secret: 'nope', env: 'X' }] }] })).status, 201);
    const res = await api('POST', `/api/v1/projects/${project}/instances`, { app: missingApp, name: 'missing' });
    assert.equal(res.status, 404);
    assert.equal(res.json.error?.code, 'SECRET_NOT_FOUND');
    assert.deepEqual(res.json.error?.details, { secrets: ['nope'] });
    assert.equal((await api('GET', `/api/v1/projects/${project}/instances/missing`)).status, 404);
  });

  it('gives replicas the secret as a variable and as a file of mode 0400 owned by the user they run as, written without any host mount', async () => {
    const res = await api('POST', `/api/v1/projects/${project}/instances`, { app: appName, name: instance });
    assert.equal(res.status, 201, res.text);
    const i = await allReady();
    for (const [component, uid] of [
      ['main', '0'],
      ['guest', '65534'],
    ] as const) {
      const id = replicaOf(i, component);
      assert.equal(await dockerExec(id, 'sh', '-c', 'echo "$DB_PASSWORD"'), first);
      assert.equal(await dockerExec(id, 'cat', '/run/secrets/db'), first);
      assert.equal(await dockerExec(id, 'stat', '-c', '%a %u', '/run/secrets/db'), `400 ${uid}`);
      const mounts = JSON.parse((await run('docker', ['inspect', '--format', '{{json .Mounts}}', id])).stdout) as unknown[];
      assert.deepEqual(mounts, []);
    }
    assert.equal(await dockerExec(replicaOf(i, 'guest'), 'id', '-u'), '65534');
  });

  it('shows *** in the logs where a replica prints the value', async () => {
    const logs = await waitFor(
      async () => {
        const res = await api('GET', `/api/v1/projects/${project}/instances/${instance}/logs`);
        return res.status === 200 && (res.text.match(/file says/g) ?? []).length === 2 ? res.text : undefined;
      },
      { what: 'both replicas to log' },
    );
    assert.ok(!logs.includes(first), logs);
    assert.match(logs, /^main\/0 \| env says \*\*\*$/m);
    assert.match(logs, /^guest\/0 \| file says \*\*\*$/m);
    const one = await api('GET', `/api/v1/projects/${project}/instances/${instance}/logs?component=main`);
    assert.equal(one.text, 'env says ***\nfile says ***\n');
  });

  it('refuses to delete a secret in use with 409 SECRET_IN_USE', async () => {
    const res = await api('DELETE', `/api/v1/projects/${project}/secrets/db`);
    assert.equal(res.status, 409);
    assert.equal(res.json.error?.code, 'SECRET_IN_USE');
    assert.deepEqual(res.json.error?.details, { instances: [instance] });
  });

  it('rolls the replicas onto a changed secret: new containers see the new value', async () => {
    const before = await current();
    const old = before.replicas.map((r) => r.containerId!);
    const put = await api('PUT', `/api/v1/projects/${project}/secrets/db`, { value: second });
    assert.equal(put.json.version, 3);
    const after = await allReady(old);
    for (const component of ['main', 'guest']) {
      const id = replicaOf(after, component);
      assert.equal(await dockerExec(id, 'sh', '-c', 'echo "$DB_PASSWORD"'), second);
      assert.equal(await dockerExec(id, 'cat', '/run/secrets/db'), second);
    }
    const replaced = JSON.parse((await api('GET', `/api/v1/events?project=${project}&type=replica.replaced`)).text) as unknown[];
    assert.equal(replaced.length, 2);
  });

  it('never shows a value in any answer, event or stored byte', async () => {
    for (const p of [
      `/api/v1/projects/${project}/instances/${instance}`,
      `/api/v1/projects/${project}/instances`,
      `/api/v1/projects/${project}/secrets`,
      `/api/v1/projects/${project}`,
      `/api/v1/apps/${appName}`,
      '/api/v1/apps',
      '/api/v1/events?limit=1000',
      '/api/v1/openapi.json',
    ]) {
      assert.equal((await api('GET', p)).status, 200, p);
    }
    const events = JSON.parse((await api('GET', `/api/v1/events?project=${project}&type=secret.updated`)).text) as { message: string; data: Record<string, unknown> }[];
    assert.deepEqual(
      events.map((e) => e.data.version),
      [1, 2, 3],
    );
    for (const value of [first, second, 'placeholder-value']) {
      assert.ok(!answered.some((text) => text.includes(value)), `${value} appeared in an API answer`);
    }
    // The database (and its write-ahead log) holds ciphertext only.
    const files = fs.readdirSync(g.dataDir).filter((f) => f.startsWith('gureum.db'));
    assert.ok(files.includes('gureum.db'));
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(g.dataDir, file));
      for (const value of [first, second]) {
        assert.ok(!bytes.includes(value), `${value} is in ${file} in clear`);
        assert.ok(!bytes.includes(Buffer.from(value).toString('base64')), `${value} is in ${file} as base64`);
      }
    }
    assert.equal(fs.statSync(path.join(g.dataDir, 'secret.key')).mode & 0o777, 0o600);
  });

  it('deletes a secret nobody uses any more', async () => {
    assert.equal((await api('DELETE', `/api/v1/projects/${project}/instances/${instance}`)).status, 202);
    await waitFor(async () => (await api('GET', `/api/v1/projects/${project}/instances/${instance}`)).status === 404, { what: 'the instance to go' });
    const res = await api('DELETE', `/api/v1/projects/${project}/secrets/db`);
    assert.equal(res.status, 200);
    assert.equal((await api('GET', `/api/v1/projects/${project}/secrets`)).text, '[]');
    assert.equal((await api('DELETE', `/api/v1/projects/${project}/secrets/db`)).json.error?.code, 'SECRET_NOT_FOUND');
  });
});
