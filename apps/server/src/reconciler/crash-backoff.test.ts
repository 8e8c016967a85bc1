import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashBackoff, restartBackoffMs } from './crash-backoff.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** An exited replica that started at `startMs` and died at `endMs` (engine clock). */
function exited(id: string, startMs: number, endMs: number, specHash = 'h1') {
  return { id, specHash, startedAt: at(startMs), finishedAt: at(endMs) };
}

describe('restartBackoffMs', () => {
  it('restarts the first quick crash at once, then doubles from 1 s up to the maximum', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => restartBackoffMs(n, 10_000)),
      [0, 0, 1000, 2000, 4000, 8000, 10_000, 10_000],
    );
    assert.equal(restartBackoffMs(50, 60_000), 60_000);
    assert.equal(restartBackoffMs(3, 0), 0, 'a maximum of 0 turns back-off off');
  });
});

describe('CrashBackoff', () => {
  it('counts each death once, however often it is asked, and waits from the death', () => {
    let now = T0;
    const backoff = new CrashBackoff(60_000, () => now);
    now = T0 + 1_000;
    assert.deepEqual(backoff.plan('i/main/0', exited('c1', 0, 1_000)), { quickCrashes: 1, delayMs: 0, waitMs: 0 });
    // Restarted at once; dies again a second later.
    now = T0 + 2_000;
    assert.deepEqual(backoff.plan('i/main/0', exited('c1', 1_000, 2_000)), { quickCrashes: 2, delayMs: 1_000, waitMs: 1_000 });
    now = T0 + 2_600;
    assert.deepEqual(backoff.plan('i/main/0', exited('c1', 1_000, 2_000)), { quickCrashes: 2, delayMs: 1_000, waitMs: 400 }, 'the same death is not counted twice');
    now = T0 + 3_000;
    assert.equal(backoff.plan('i/main/0', exited('c1', 1_000, 2_000)).waitMs, 0);
    now = T0 + 4_000;
    assert.deepEqual(backoff.plan('i/main/0', exited('c1', 3_000, 4_000)), { quickCrashes: 3, delayMs: 2_000, waitMs: 2_000 });
  });

  it('starts the count again after a replica ran long enough', () => {
    let now = T0;
    const backoff = new CrashBackoff(60_000, () => now);
    now = T0 + 1_000;
    backoff.plan('s', exited('c1', 0, 1_000));
    now = T0 + 2_000;
    assert.equal(backoff.plan('s', exited('c1', 1_000, 2_000)).quickCrashes, 2);
    now = T0 + 60_000;
    assert.deepEqual(backoff.plan('s', exited('c1', 2_000, 60_000)), { quickCrashes: 0, delayMs: 0, waitMs: 0 });
    now = T0 + 61_000;
    assert.equal(backoff.plan('s', exited('c1', 60_000, 61_000)).quickCrashes, 1);
  });

  it('keeps counting for a recreated container of the same spec, and starts over for a new spec', () => {
    let now = T0;
    const backoff = new CrashBackoff(60_000, () => now);
    now = T0 + 1_000;
    backoff.plan('s', exited('c1', 0, 1_000));
    now = T0 + 2_000;
    assert.equal(backoff.plan('s', exited('c2', 1_500, 2_000)).quickCrashes, 2);
    now = T0 + 3_000;
    assert.equal(backoff.plan('s', exited('c3', 2_500, 3_000, 'h2')).quickCrashes, 1);
  });

  it('forgets the slots of an instance', () => {
    let now = T0;
    const backoff = new CrashBackoff(60_000, () => now);
    backoff.plan('a/main/0', exited('c1', 0, 500));
    backoff.plan('b/main/0', exited('c2', 0, 500));
    now = T0 + 1_000;
    backoff.forget('a/');
    assert.equal(backoff.plan('a/main/0', exited('c1', 600, 900)).quickCrashes, 1);
    assert.equal(backoff.plan('b/main/0', exited('c2', 600, 900)).quickCrashes, 2);
  });
});
