/**
 * A project re-created under a deleted project's name is another project: its new owner sees
 * none of the old one's events, audit entries or metric series (they are keyed by an id the
 * project gets once, or removed with it), while the admin's global audit log keeps them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GureumClient, type MetricsResult } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { createUser, type TestUser } from './identity-kit.js';

let g: TestGureum;
let bob: TestUser;
const project = uniqueName('again');
const app = uniqueName('again-app');

const seriesOf = async (client: GureumClient): Promise<MetricsResult['series']> =>
  (await client.call('queryMetrics', { query: { metric: 'memory_bytes', scope: 'project', id: project, from: '-1h', group: 'instance' } })).series.filter((s) => s.points.some(([, v]) => v !== null));

before(async () => {
  g = await startGureum({ GUREUM_METRICS_INTERVAL_SECONDS: '1' });
  bob = await createUser(g, uniqueName('bob'));
  await g.client.call('createApp', { body: busyboxApp(app) });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('a project re-created under a deleted one’s name', () => {
  it('shows its new owner nothing of the old one: events, audit entries, metric series', async () => {
    // The first project, with a running instance whose memory is measured.
    await g.client.call('createProject', { body: { name: project } });
    await g.client.call('createInstance', { params: { project }, body: { name: 'secret-run', app } });
    await waitFor(async () => (await seriesOf(g.client)).length > 0 || undefined, { timeoutMs: 30_000, what: 'metric samples of the first project' });
    const oldEvents = await g.client.call('listEvents', { query: { project, limit: 1000 } });
    assert.ok(oldEvents.some((e) => e.type === 'instance.created' && e.instance === 'secret-run'));

    await g.client.call('deleteProject', { params: { project }, query: { force: 'true' } });
    await waitFor(async () => !(await g.client.call('listProjects', {})).some((p) => p.name === project) || undefined, { timeoutMs: 60_000, what: 'the project to be gone' });

    // Bob makes a project of the same name: he owns it.
    const asBob = new GureumClient({ baseUrl: g.url, token: bob.token });
    await asBob.call('createProject', { body: { name: project } });
    const events = await asBob.call('listEvents', { query: { project, limit: 1000 } });
    assert.deepEqual(events.map((e) => e.type), ['project.created'], JSON.stringify(events));
    const audit = await asBob.call('listProjectAudit', { params: { project }, query: {} });
    assert.ok(!audit.some((a) => a.action === 'createInstance' || a.actor === 'admin'), `only what happened to his project: ${JSON.stringify(audit)}`);
    assert.deepEqual(await seriesOf(asBob), [], 'no metric series of the old instance');
    const all = await asBob.call('listEvents', { query: { limit: 1000 } });
    assert.ok(!all.some((e) => e.instance === 'secret-run'), 'not in his unfiltered events either');

    // The admin's global log keeps what happened, for accountability.
    const global = await g.client.call('listAudit', { query: { limit: 1000 } });
    assert.ok(global.some((a) => a.action === 'createInstance' && a.project === project && a.actor === 'admin'));
  });
});
