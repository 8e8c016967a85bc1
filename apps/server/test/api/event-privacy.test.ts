/** Events carry what happened, not the values a user launched with: parameter values stay out of event data. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';

let g: TestGureum;
const project = uniqueName('evp');
const app = uniqueName('evp-app');
const VALUE = `value-${uniqueName('v')}`;

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', {
    body: { ...busyboxApp(app, { env: { TOKEN: '{{token}}' } }), project, parameters: [{ name: 'token', type: 'string', default: 'none' }] },
  });
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

describe('event data', () => {
  it('names the parameters an instance was launched with, never their values', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'web', app, parameters: { token: VALUE }, replicas: 0 } });
    await g.client.call('updateInstance', { params: { project, instance: 'web' }, body: { parameters: { token: `${VALUE}-2` } } });
    const events = await g.client.call('listEvents', { query: { project } });
    const created = events.find((e) => e.type === 'instance.created' && e.instance === 'web');
    assert.ok(created, 'the creation is an event');
    assert.deepEqual(created.data.parameters, ['token']);
    assert.ok(!JSON.stringify(events).includes(VALUE), 'no event carries the value');
  });
});
