import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from './work-queue.js';

describe('WorkQueue', () => {
  it('runs a key once however often it is enqueued while waiting', async () => {
    const seen: string[] = [];
    const q = new WorkQueue((k) => Promise.resolve(void seen.push(k)), 1, () => {});
    q.enqueue('busy');
    q.enqueue('a');
    q.enqueue('b');
    q.enqueue('b');
    q.enqueue('a');
    await q.idle();
    assert.deepEqual(seen, ['busy', 'a', 'b']);
  });

  it('runs a key again when it is enqueued while running, never twice at once', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const q = new WorkQueue(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await new Promise((r) => setTimeout(r, 20));
        active--;
      },
      4,
      () => {},
    );
    q.enqueue('a');
    await new Promise((r) => setTimeout(r, 5));
    q.enqueue('a');
    q.enqueue('a');
    await q.idle();
    assert.equal(runs, 2);
    assert.equal(maxActive, 1);
  });

  it('reports a failing key and goes on', async () => {
    const errors: string[] = [];
    const done: string[] = [];
    const q = new WorkQueue(
      (k) => {
        if (k === 'bad') return Promise.reject(new Error('boom'));
        done.push(k);
        return Promise.resolve();
      },
      2,
      (k) => errors.push(k),
    );
    q.enqueue('bad');
    q.enqueue('good');
    await q.idle();
    assert.deepEqual(errors, ['bad']);
    assert.deepEqual(done, ['good']);
  });

  it('delays a key', async () => {
    const seen: number[] = [];
    const start = Date.now();
    const q = new WorkQueue(() => Promise.resolve(void seen.push(Date.now() - start)), 1, () => {});
    q.enqueue('a', 50);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(seen.length, 1);
    assert.ok(seen[0]! >= 45);
  });

  it('runs a delayed key at the earliest of its delays, once', async () => {
    const seen: number[] = [];
    const start = Date.now();
    const q = new WorkQueue(() => Promise.resolve(void seen.push(Date.now() - start)), 1, () => {});
    q.enqueue('a', 10_000);
    q.enqueue('a', 30);
    q.enqueue('a', 5_000);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(seen.length, 1, 'the shorter delay replaced the longer one, and a longer one did not postpone it');
    assert.ok(seen[0]! >= 25 && seen[0]! < 5_000);
    q.stop();
  });
});
