import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes } from '../ui/format.js';
import { formOfQuota, quotaBody, usageRows } from './quotas.logic.js';

const none = { instances: null, replicas: null, cpus: null, memoryBytes: null, volumes: null, volumeBytes: null };
const used = { instances: 3, replicas: 5, cpus: 1.5, memoryBytes: 3.5 * 1024 ** 3, volumes: 2, volumeBytes: 0 };

describe('quotas and usage', () => {
  it('gives one bar per limit with use against quota', () => {
    const rows = usageRows({ project: 'lab', quota: { ...none, instances: 10, memoryBytes: 4 * 1024 ** 3, volumes: 2 }, used, measured: { volumeBytes: 0, volumesOverSize: [] } });
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    assert.deepEqual([by.instances?.text, by.instances?.fraction, by.instances?.level], ['3 of 10', 0.3, 'ok']);
    assert.deepEqual([by.memoryBytes?.text, by.memoryBytes?.level], [`${formatBytes(3.5 * 1024 ** 3)} of ${formatBytes(4 * 1024 ** 3)}`, 'high']);
    assert.deepEqual([by.volumes?.fraction, by.volumes?.level], [1, 'full']);
    assert.deepEqual([by.cpus?.text, by.cpus?.fraction], ['1.5 (no limit)', null]);
  });

  it('turns the form into a patch: sizes with units, empty for no limit', () => {
    const form = { ...formOfQuota(none), instances: '5', memoryBytes: '512MiB', volumeBytes: '2 GB', cpus: '1.5' };
    const checked = quotaBody(form);
    assert.ok(checked.ok);
    assert.deepEqual(checked.body, { instances: 5, replicas: null, cpus: 1.5, memoryBytes: 512 * 1024 ** 2, volumes: null, volumeBytes: 2e9 });
  });

  it('refuses what the API would, with its words, and unreadable sizes', () => {
    const checked = quotaBody({ ...formOfQuota(none), instances: '2.5', replicas: '-1', memoryBytes: 'lots' });
    assert.ok(!checked.ok);
    assert.match(checked.errors.instances ?? '', /int/i);
    assert.match(checked.errors.replicas ?? '', />=\s*0|too small/i);
    assert.equal(checked.errors.memoryBytes, 'write a size like 512MiB or 4GiB');
  });

  it('shows a set quota back in the form as written sizes', () => {
    const form = formOfQuota({ ...none, memoryBytes: 4 * 1024 ** 3, volumes: 3 });
    assert.equal(form.memoryBytes, '4GiB');
    assert.equal(form.volumes, '3');
    assert.equal(form.cpus, '');
    const again = quotaBody(form);
    assert.ok(again.ok);
    assert.equal(again.body.memoryBytes, 4 * 1024 ** 3);
  });
});
