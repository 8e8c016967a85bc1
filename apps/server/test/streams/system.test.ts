import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Node } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, tempDir, uniqueName, type TestGureum } from '../support/harness.js';
import { requestJson, waitRunning } from './support.js';

let g: TestGureum;
const project = uniqueName('sys');

before(async () => {
  g = await startGureum();
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('nodes and readiness', () => {
  it('lists the engine host as one ready node with its capacity', async () => {
    const answer = await requestJson(g, 'GET', '/api/v1/nodes');
    assert.equal(answer.status, 200);
    const nodes = answer.json as unknown as Node[];
    assert.ok(Array.isArray(nodes));
    assert.equal(nodes.length, 1);
    const node = Node.parse(nodes[0]);
    assert.equal(node.status, 'ready');
    assert.equal(node.engine, 'docker');
    assert.ok(node.cpus >= 1, `cpus ${node.cpus}`);
    // The engine runs on this machine: it sees the same processors and about the same memory.
    assert.equal(node.cpus, os.cpus().length);
    assert.ok(node.memoryBytes > 0 && node.memoryBytes <= os.totalmem() * 1.01, `memory ${node.memoryBytes}`);
    assert.match(node.engineVersion, /^\d+\.\d+/);
    assert.ok(node.name.length > 0);
    assert.ok(node.os.length > 0 && node.arch.length > 0);

    const unauthenticated = await requestJson(g, 'GET', '/api/v1/nodes', { token: null });
    assert.equal(unauthenticated.status, 401);
  });

  it('is ready when the store and the engine answer', async () => {
    const answer = await requestJson(g, 'GET', '/readyz', { token: null });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { status: 'ok', checks: { store: 'ok', engine: 'ok' } });
    const health = await requestJson(g, 'GET', '/healthz', { token: null });
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');
  });

  it('is not ready, with 503 and the engine check saying why, when the engine does not answer', async () => {
    const socket = path.join(tempDir('gureum-noengine-'), 'docker.sock');
    const blind = await startGureum({ GUREUM_DOCKER_HOST: `unix://${socket}` });
    try {
      const ready = await requestJson(blind, 'GET', '/readyz', { token: null });
      assert.equal(ready.status, 503);
      assert.equal(ready.json.status, 'unavailable');
      const checks = ready.json.checks as Record<string, string>;
      assert.equal(checks.store, 'ok');
      assert.notEqual(checks.engine, 'ok');
      assert.match(checks.engine ?? '', /docker\.sock/);
      assert.equal((await requestJson(blind, 'GET', '/healthz', { token: null })).status, 200, 'alive, though not ready');

      const nodes = await requestJson(blind, 'GET', '/api/v1/nodes');
      assert.equal(nodes.status, 503);
      assert.equal(nodes.json.error?.code, 'ENGINE_UNAVAILABLE');
    } finally {
      await blind.stop();
    }
  });
});

describe('shutdown', () => {
  it(
    'stops while clients still follow events and logs, ending their streams',
    async () => {
      const own = await startGureum();
      let stopped = false;
      try {
        const app = uniqueName('follow');
        await own.client.call('createProject', { body: { name: project } });
        await own.client.call('createApp', { body: busyboxApp(app) });
        await own.client.call('createInstance', { params: { project }, body: { name: 'followed', app } });
        await waitRunning(own, project, 'followed');
        const headers = { authorization: `Bearer ${own.token}` };
        const events = await fetch(`${own.url}/api/v1/events/stream`, { headers });
        const logs = await fetch(`${own.url}/api/v1/projects/${project}/instances/followed/logs?follow=true`, { headers });
        assert.equal(events.status, 200);
        assert.equal(logs.status, 200);
        await events.body!.getReader().read();
        // A server that waits for its followers would never stop: bound the wait.
        const outcome = await Promise.race([own.stop().then(() => 'stopped' as const), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000).unref())]);
        stopped = outcome === 'stopped';
        assert.equal(outcome, 'stopped', 'the server stops although streams are open');
      } finally {
        if (!stopped) {
          own.gureum.http.server.closeAllConnections();
          await own.stop().catch(() => undefined);
        }
      }
    },
  );
});
