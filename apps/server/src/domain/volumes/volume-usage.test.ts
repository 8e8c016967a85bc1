import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../store/db.js';
import { Store } from '../../store/store.js';
import { EventService } from '../core/event.service.js';
import { VolumeUsage } from './volume-usage.js';

let store: Store;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-volume-usage-'));
  store = new Store(await openDatabase(`sqlite:${path.join(dir, 'gureum.db')}`));
  await store.projects.insert({ name: 'lab', description: '', createdAt: new Date().toISOString(), deleting: false, quota: {}, policy: {} });
  for (const [name, sizeBytes] of [
    ['small', 1000],
    ['free', null],
  ] as const) {
    await store.volumes.insert({ project: 'lab', name, createdAt: new Date().toISOString(), sizeBytes });
  }
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake engine (the real one is in test/identity/volume-usage.test.ts): answers what the test sets, and counts the calls. */
function fakeEngine() {
  const state = { sizes: new Map<string, number | null>(), calls: 0 };
  return {
    state,
    volumeUsage: () => {
      state.calls++;
      return Promise.resolve([...state.sizes].map(([volume, usedBytes]) => ({ project: 'lab', volume, usedBytes })));
    },
  };
}

describe('volume usage with a fake engine', () => {
  it('reports a volume over its declared size once per crossing, never one without a size', async () => {
    const engine = fakeEngine();
    const events = new EventService(store);
    const usage = new VolumeUsage(store, engine, events, { periodMs: 60_000, freshMs: 0 });
    const reported = async () => (await events.list({ type: 'volume.over_size', limit: 100 })).map((e) => `${e.project}/${e.data.volume as string}:${e.data.usedBytes as number}`);

    engine.state.sizes.set('small', 999).set('free', 10 ** 9);
    await usage.measure();
    assert.equal(usage.usedBytes('lab', 'small'), 999);
    assert.deepEqual(await reported(), [], 'at or under its size; no size, no limit');

    engine.state.sizes.set('small', 1500);
    await usage.measure();
    await usage.measure();
    assert.deepEqual(await reported(), ['lab/small:1500'], 'once, not at every measurement');

    engine.state.sizes.set('small', 10);
    await usage.measure();
    engine.state.sizes.set('small', 2000);
    await usage.measure();
    assert.deepEqual(await reported(), ['lab/small:1500', 'lab/small:2000'], 'again after it went back under and over');
  });

  it('measures on an answer only when the figures are stale, and keeps the last figures when the engine fails', async () => {
    const engine = fakeEngine();
    let now = 0;
    const usage = new VolumeUsage(store, engine, new EventService(store), { periodMs: 60_000, freshMs: 5000, now: () => now });
    engine.state.sizes.set('small', 5);
    await usage.refresh();
    await usage.refresh();
    assert.equal(engine.state.calls, 1, 'fresh figures are reused');
    now += 5000;
    engine.state.sizes.set('small', 7);
    await Promise.all([usage.refresh(), usage.refresh(), usage.refresh()]);
    assert.equal(engine.state.calls, 2, 'concurrent answers share one measurement');
    assert.equal(usage.usedBytes('lab', 'small'), 7);
    now += 5000;
    engine.volumeUsage = () => Promise.reject(new Error('engine down'));
    await usage.refresh();
    assert.equal(usage.usedBytes('lab', 'small'), 7, 'the last figures stay');
    assert.equal(usage.usedBytes('lab', 'never-mounted'), null);
    usage.forget('lab', 'small');
    assert.equal(usage.usedBytes('lab', 'small'), null);
  });
});
