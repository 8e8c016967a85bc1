/**
 * Volume size: a declared size is a reservation against the project quota; the local driver
 * does not cap a volume at it. What a volume really holds is measured from the engine and
 * reported (usedBytes, the project's measured usage), and a volume past its size raises a
 * volume.over_size event.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Instance, Usage, Volume } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;

let g: TestGureum;
const project = uniqueName('vol-usage');
const app = uniqueName('vol-writer');

before(async () => {
  g = await startGureum({ GUREUM_VOLUME_USAGE_SECONDS: '1' });
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('updateQuota', { params: { project }, body: { volumeBytes: 2 * MiB } });
  // Writes 3 MiB into a volume declared at 1 MiB.
  await g.client.call('createApp', { body: busyboxApp(app, { command: ['sh', '-c', 'dd if=/dev/zero of=/data/blob bs=1048576 count=3 && sync && echo written; exec sleep 3600'], volumes: [{ volume: 'data', mountPath: '/data' }] }) });
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

describe('volume size and real use', () => {
  it('counts the declared size against the quota, and has no measure before the volume is made', async () => {
    const created = await g.client.call('createVolume', { params: { project }, body: { name: 'data', sizeBytes: MiB } });
    assert.equal(created.sizeBytes, MiB);
    assert.equal(created.usedBytes, null);
    const usage: Usage = await g.client.call('getUsage', { params: { project } });
    assert.equal(usage.used.volumeBytes, MiB, 'the reservation');
    assert.deepEqual(usage.measured, { volumeBytes: 0, volumesOverSize: [] });
  });

  it('measures what a replica writes past the declared size (not capped: the write succeeds), and raises volume.over_size once', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'writer', app } });
    const instance = await waitFor(
      async () => {
        const i: Instance = await g.client.call('getInstance', { params: { project, instance: 'writer' } });
        return i.phase === 'running' ? i : undefined;
      },
      { what: 'writer running', timeoutMs: 40_000 },
    );
    const id = instance.replicas[0]!.containerId!;
    await waitFor(async () => (await run('docker', ['logs', id])).stdout.includes('written'), { what: 'the 3 MiB write', timeoutMs: 30_000 });
    assert.equal((await run('docker', ['exec', id, 'stat', '-c', '%s', '/data/blob'])).stdout.trim(), String(3 * MiB), 'the local driver did not cap the volume');

    const volume = await waitFor(
      async () => {
        const v: Volume = await g.client.call('getVolume', { params: { project, volume: 'data' } });
        return v.usedBytes !== null && v.usedBytes >= 3 * MiB ? v : undefined;
      },
      { what: 'usedBytes to show the write', timeoutMs: 30_000 },
    );
    assert.ok(volume.usedBytes! < 4 * MiB, `usedBytes ${volume.usedBytes}`);
    const listed = (await g.client.call('listVolumes', { params: { project } })).find((v) => v.name === 'data');
    assert.ok(listed && listed.usedBytes! >= 3 * MiB);

    const usage: Usage = await g.client.call('getUsage', { params: { project } });
    assert.equal(usage.used.volumeBytes, MiB, 'the quota still counts the reservation');
    assert.ok(usage.measured.volumeBytes >= 3 * MiB, `measured ${usage.measured.volumeBytes}`);
    assert.deepEqual(usage.measured.volumesOverSize, ['data']);

    const over = await waitFor(
      async () => {
        const events = await g.client.call('listEvents', { query: { project, type: 'volume.over_size' } });
        return events.length > 0 ? events : undefined;
      },
      { what: 'a volume.over_size event', timeoutMs: 30_000 },
    );
    assert.equal(over[0]!.data.volume, 'data');
    assert.equal(over[0]!.data.sizeBytes, MiB);
    assert.ok((over[0]!.data.usedBytes as number) >= 3 * MiB);
    // Measured every second since: still one event for one crossing.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await g.client.call('listEvents', { query: { project, type: 'volume.over_size' } })).length, 1);
  });
});
