import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_WEBHOOK_DENY, type Settings } from '@gureum/contract';
import { formOfSettings, settingsBody } from './settings.logic.js';

const defaults: Settings = { projectCreation: 'everyone', defaultQuota: {}, defaultResources: { cpus: null, memoryBytes: null }, webhooks: { allow: [], deny: DEFAULT_WEBHOOK_DENY } };

describe('settings form', () => {
  it('sends back what it was given, unchanged', () => {
    const checked = settingsBody(formOfSettings(defaults));
    assert.ok(checked.ok);
    assert.deepEqual(checked.body, {
      projectCreation: 'everyone',
      defaultQuota: { instances: null, replicas: null, cpus: null, memoryBytes: null, volumes: null, volumeBytes: null },
      defaultResources: { cpus: null, memoryBytes: null },
      webhooks: { allow: [], deny: DEFAULT_WEBHOOK_DENY },
    });
  });

  it('reads sizes, cores and ranges as typed (one a line, or commas)', () => {
    const form = { ...formOfSettings(defaults), cpus: '0.5', memory: '512MiB', allow: '10.1.0.0/16\n\n 192.168.7.0/24 ', deny: '127.0.0.0/8, 169.254.0.0/16' };
    form.quota = { ...form.quota, instances: '10', memoryBytes: '16GiB' };
    const checked = settingsBody(form);
    assert.ok(checked.ok);
    assert.equal(checked.body.defaultResources?.memoryBytes, 512 * 1024 * 1024);
    assert.equal(checked.body.defaultResources?.cpus, 0.5);
    assert.equal(checked.body.defaultQuota?.memoryBytes, 16 * 1024 ** 3);
    assert.deepEqual(checked.body.webhooks, { allow: ['10.1.0.0/16', '192.168.7.0/24'], deny: ['127.0.0.0/8', '169.254.0.0/16'] });
  });

  it('names the field of each mistake as the API does', () => {
    const form = { ...formOfSettings(defaults), cpus: 'lots', memory: 'big', deny: '10.0.0.0/40' };
    form.quota = { ...form.quota, instances: 'ten' };
    const checked = settingsBody(form);
    assert.ok(!checked.ok);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['defaultQuota.instances', 'defaultResources.cpus', 'defaultResources.memoryBytes', 'webhooks.deny.0']);
  });
});
