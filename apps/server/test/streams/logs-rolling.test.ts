/**
 * Logs read while a rolling update replaces the replicas never answer 5xx: a replica that goes
 * between the instance's status and the read is left out (404 only when none is left).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { waitRunning } from './support.js';

let g: TestGureum;
const project = uniqueName('logroll');
const app = uniqueName('logroll-app');

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app, { command: ['sh', '-c', 'while true; do echo "tick $ROUND"; sleep 0.2; done'] }) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'web', app, replicas: 3, env: { ROUND: '0' } } });
  await waitRunning(g, project, 'web');
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('logs during a rolling update', () => {
  it('answer 200 (or, rarely, 404 when no replica is left to read), never 5xx, over three rollouts', async () => {
    const statuses = new Map<number, number>();
    let reading = true;
    const reader = (async () => {
      for (let i = 0; reading && i < 2000; i++) {
        for (const query of ['', '?replica=0', '?tail=5']) {
          const res = await fetch(`${g.url}/api/v1/projects/${project}/instances/web/logs${query}`, { headers: { authorization: `Bearer ${g.token}` } });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }
    })();
    try {
      for (let round = 1; round <= 3; round++) {
        await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { env: { ROUND: String(round) } } });
        await waitRunning(g, project, 'web', 60_000).then(async () => {
          // Settled on the new spec: every replica runs it.
          for (let t = 0; t < 120; t++) {
            const i = await g.client.call('getInstance', { params: { project, instance: 'web' } });
            if (i.observedGeneration >= i.generation && i.replicas.every((r) => r.current && r.state === 'running')) return;
            await new Promise((r) => setTimeout(r, 250));
          }
        });
      }
    } finally {
      reading = false;
      await reader;
    }
    const seen = Object.fromEntries(statuses);
    assert.ok((statuses.get(200) ?? 0) > 10, `logs were read: ${JSON.stringify(seen)}`);
    assert.deepEqual([...statuses.keys()].filter((s) => s !== 200 && s !== 404), [], `only 200 and 404: ${JSON.stringify(seen)}`);
    // Read from the engine's own listing, not a stored status that lags behind the rollout.
    assert.ok((statuses.get(404) ?? 0) <= (statuses.get(200) ?? 0) / 20, `hardly ever 404: ${JSON.stringify(seen)}`);
  });
});
