import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ApiError, type Event, type Instance } from '@gureum/contract';
import { busyboxApp, REPO_ROOT, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { allRunning, inspect, waitForInstance } from './support.js';

const run = promisify(execFile);

let g: TestGureum;
const project = uniqueName('engine');
const app = uniqueName('sleeper');

/** The default engine's dockerd (private daemons with their own --data-root are not it). */
function defaultDockerdPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'dockerd') continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--data-root')) continue;
      return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

async function engineAnswers(): Promise<boolean> {
  return run('docker', ['info'], { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}

async function ensureEngine(): Promise<void> {
  await run('bash', [path.join(REPO_ROOT, 'scripts/ensure-docker.sh')], { timeout: 180_000 });
}

async function status(urlPath: string, init: RequestInit = {}): Promise<{ status: number; body: { error?: { code: string } } & Record<string, unknown> }> {
  const res = await fetch(g.url + urlPath, { ...init, headers: { authorization: `Bearer ${g.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  return { status: res.status, body: (await res.json()) as never };
}

function engineEvents(): Promise<Event[]> {
  return g.client.call('listEvents', { query: { limit: 1000 } }).then((events) => events.filter((e) => e.type.startsWith('engine.')));
}

before(async () => {
  await ensureEngine();
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app) });
});

after(async () => {
  // Whatever happened above, leave a working engine behind.
  await ensureEngine();
  await g.stop();
  await removeProjects(project);
});

describe('an engine that stops and comes back', () => {
  let before: Instance;

  it('keeps answering from the store while the engine is down, and accepts new desired state', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'old', app, replicas: 2 } });
    before = await waitForInstance(g.client, project, 'old', allRunning(2), 'old to run');

    const pid = defaultDockerdPid();
    assert.ok(pid, 'a dockerd runs');
    process.kill(pid, 'SIGTERM');
    // Until the process is gone, connections opened before may still be answered.
    await waitFor(() => !fs.existsSync(`/proc/${pid}`), { what: 'dockerd to exit', timeoutMs: 60_000, intervalMs: 250 });
    assert.equal(await engineAnswers(), false, 'the engine is down');

    const nodes = await status('/api/v1/nodes');
    assert.equal(nodes.status, 503);
    assert.equal(nodes.body.error?.code, 'ENGINE_UNAVAILABLE');
    const old = await g.client.call('getInstance', { params: { project, instance: 'old' } });
    assert.equal(old.desiredState, 'running');
    assert.equal(old.components[0]!.desiredReplicas, 2);
    const accepted = await g.client.call('createInstance', { params: { project }, body: { name: 'new', app } });
    assert.equal(accepted.name, 'new');
    assert.equal((await g.client.call('getInstance', { params: { project, instance: 'new' } })).desiredState, 'running', 'the new desired state is kept');
    await waitFor(async () => (await engineEvents()).some((e) => e.type === 'engine.unreachable'), { what: 'an engine.unreachable event', timeoutMs: 30_000 });
  });

  it('is not ready while the engine is down', async () => {
    assert.equal(await engineAnswers(), false, 'the engine is still down');
    const ready = await status('/readyz');
    assert.equal(ready.body.status, 'unavailable');
    assert.equal(ready.status, 503);
  });

  it('brings every instance back once the engine returns', async () => {
    await ensureEngine();

    // The old instance's replicas (stopped with the engine) run again; the new one starts.
    const oldBack = await waitForInstance(g.client, project, 'old', allRunning(2), 'old to run again', 90_000);
    const fresh = await waitForInstance(g.client, project, 'new', allRunning(1), 'new to run', 90_000);
    assert.deepEqual(
      oldBack.replicas.map((r) => r.containerId),
      before.replicas.map((r) => r.containerId),
      'the same containers are started again',
    );
    for (const r of [...oldBack.replicas, ...fresh.replicas]) assert.equal((await inspect(r.containerId!)).State.Running, true);
    assert.equal((await status('/readyz')).status, 200);
    assert.equal((await g.client.call('listNodes', {})).length, 1);

    const events = await waitFor(
      async () => {
        const list = await engineEvents();
        return list.some((e) => e.type === 'engine.reachable') ? list : undefined;
      },
      { what: 'an engine.reachable event' },
    );
    const down = events.findIndex((e) => e.type === 'engine.unreachable');
    const up = events.findIndex((e) => e.type === 'engine.reachable');
    assert.ok(down >= 0 && up > down, `unreachable, then reachable: ${events.map((e) => e.type).join(', ')}`);

    const failed = await g.client.call('listEvents', { query: { project, type: 'instance.failed' } });
    assert.deepEqual(
      failed.map((e) => e.message),
      [],
      'an engine outage is not an instance failure',
    );

    await assert.rejects(g.client.call('createInstance', { params: { project }, body: { name: 'new', app } }), (err: unknown) => err instanceof ApiError && err.code === 'INSTANCE_EXISTS');
    const list = await g.client.call('listInstances', { params: { project } });
    assert.deepEqual(list.map((i) => [i.name, i.phase]).sort(), [
      ['new', 'running'],
      ['old', 'running'],
    ]);
  });
});
