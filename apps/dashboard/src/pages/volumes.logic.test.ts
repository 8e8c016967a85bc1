import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, VolumeCreate } from '@gureum/contract';
import { touchesVolumes, volumeBody, volumeDeleteProblem } from './volumes.logic.js';

describe('volumes', () => {
  it('sends the size a person writes in bytes, and none when left empty', () => {
    assert.deepEqual(volumeBody({ name: 'data', size: '10GiB' }), { ok: true, body: { name: 'data', sizeBytes: 10 * 1024 ** 3 } });
    assert.deepEqual(volumeBody({ name: ' data ', size: '' }), { ok: true, body: { name: 'data' } });
  });

  it('refuses a bad name with the API’s words and an unreadable size with a hint', () => {
    const checked = volumeBody({ name: 'My Data', size: 'big' });
    assert.ok(!checked.ok);
    const api = VolumeCreate.safeParse({ name: 'My Data' });
    assert.ok(!api.success);
    assert.equal(checked.errors.name, api.error.issues[0]?.message);
    assert.equal(checked.errors.sizeBytes, 'write a size like 512MiB or 10GiB');
  });

  it('says which instances hold a volume that cannot be deleted', () => {
    const one = volumeDeleteProblem(new ApiError(409, 'VOLUME_IN_USE', 'volume data is mounted by instance(s) web', { instances: ['web'] }));
    assert.match(one ?? '', /mounted by instance web\. Delete that instance/);
    const two = volumeDeleteProblem(new ApiError(409, 'VOLUME_IN_USE', 'x', { instances: ['web', 'db'] }));
    assert.match(two ?? '', /instances web, db\. Delete those instances/);
    assert.equal(volumeDeleteProblem(new ApiError(404, 'VOLUME_NOT_FOUND', 'gone')), undefined);
  });

  it('reloads on volume events and instance changes of its own project only', () => {
    const live = touchesVolumes('lab');
    const event = (type: string, project: string) => ({ id: 1, time: '', type, project, instance: null, message: '', data: {} }) as Parameters<typeof live>[0];
    assert.equal(live(event('volume.created', 'lab')), true);
    assert.equal(live(event('instance.deleted', 'lab')), true);
    assert.equal(live(event('volume.created', 'other')), false);
    assert.equal(live(event('replica.started', 'lab')), false);
  });
});
