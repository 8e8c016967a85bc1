import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { eventsOf, replica, waitForInstance } from './support.js';

/** Longest wait between two restarts, as configured for this file (GUREUM_RESTART_BACKOFF_MAX_SECONDS). */
const BACKOFF_MAX_MS = 4_000;

/**
 * The documented schedule: the first quick crash is restarted at once, the n-th consecutive
 * one (n >= 2) waits 2^(n-2) seconds after the replica died, at most the configured maximum.
 */
function scheduledDelayMs(consecutiveCrash: number): number {
  return consecutiveCrash <= 1 ? 0 : Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (consecutiveCrash - 2));
}

/** Events are recorded a moment after the engine reports them. */
const EVENT_SLACK_MS = 300;

let g: TestGureum;
const project = uniqueName('loop');
const crasher = uniqueName('crasher');

before(async () => {
  g = await startGureum({ GUREUM_RESTART_BACKOFF_MAX_SECONDS: String(BACKOFF_MAX_MS / 1000) });
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(crasher, { command: ['sh', '-c', 'echo up; sleep 1; exit 3'] }) });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('a crash-looping replica', () => {
  it('is restarted again and again, backing off, with phase degraded naming the exit code', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'bad', app: crasher } });

    let sawDegraded: string | null = null;
    const looping = await waitForInstance(
      g.client,
      project,
      'bad',
      (i) => {
        if (i.phase === 'degraded' && /exited with code 3/.test(i.reason ?? '')) sawDegraded = i.reason;
        assert.notEqual(i.phase, 'failed', `a crashing replica is not a failed instance: ${i.reason}`);
        return sawDegraded !== null && replica(i, 0).restartCount >= 6;
      },
      'six restarts, past the back-off cap',
      60_000,
    );
    assert.match(sawDegraded ?? '', /main\/0 exited with code 3/);

    const events = await eventsOf(g.client, project, 'bad');
    const died = events.filter((e) => e.type === 'replica.died');
    const restarted = events.filter((e) => e.type === 'replica.restarted');
    assert.ok(died.length >= 6);
    for (const d of died) assert.equal(d.data.exitCode, 3);
    assert.ok(restarted.length >= replica(looping, 0).restartCount, 'every counted restart is in the event log');

    // Each restart follows a death, and waits at least as long as the schedule asks.
    const time = (e: Event) => Date.parse(e.time);
    for (let n = 1; n <= 6; n++) {
      const death = died[n - 1]!;
      const restart = restarted[n - 1]!;
      assert.ok(restart.id > death.id, `restart ${n} follows death ${n}`);
      const waited = time(restart) - time(death);
      assert.ok(waited >= scheduledDelayMs(n) - EVENT_SLACK_MS, `restart ${n} waited ${waited} ms after the crash; the schedule asks ${scheduledDelayMs(n)} ms`);
      assert.equal(restart.data.restartCount, n);
    }
  });

  it('shows the failing replica as exited with its exit code between two restarts', async () => {
    const waiting = await waitForInstance(g.client, project, 'bad', (i) => replica(i, 0).state === 'exited', 'the replica to be seen exited, waiting to restart');
    assert.equal(replica(waiting, 0).lastExitCode, 3);
    assert.equal(waiting.phase, 'degraded');
    assert.equal(waiting.components[0]!.readyReplicas, 0);
  });

  it('starts afresh, without back-off, once the app is fixed', async () => {
    // A new spec replaces the crashing replica; the replacement runs.
    await g.client.call('updateApp', { params: { app: crasher }, body: { components: busyboxApp(crasher).components } });
    await g.client.call('updateInstance', { params: { project, instance: 'bad' }, body: { env: { FIXED: '1' } } });
    const fixed = await waitForInstance(g.client, project, 'bad', (i) => i.phase === 'running' && replica(i, 0).current && replica(i, 0).state === 'running', 'the fixed replica to run', 45_000);
    assert.equal(replica(fixed, 0).restartCount, 0, 'a replaced replica starts with no restarts');
    assert.equal(fixed.reason, null);
  });
});
