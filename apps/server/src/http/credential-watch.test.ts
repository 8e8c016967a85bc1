import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../domain/core/errors.js';
import { credentialWatcher } from './credential-watch.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('credentialWatcher', () => {
  it('reports the first refusal once, and stops checking', async () => {
    let checks = 0;
    const lost: unknown[] = [];
    credentialWatcher(() => (++checks >= 3 ? Promise.reject(new DomainError('UNAUTHENTICATED', 'revoked')) : Promise.resolve()), 5)((r) => lost.push(r));
    await sleep(80);
    assert.equal(lost.length, 1);
    assert.equal((lost[0] as DomainError).code, 'UNAUTHENTICATED');
    assert.equal(checks, 3, 'no check after the refusal');
  });

  it('keeps the connection when a check fails for another reason (the store busy), and tries again', async () => {
    let checks = 0;
    const lost: unknown[] = [];
    const stop = credentialWatcher(() => (++checks === 1 ? Promise.reject(new Error('SQLITE_BUSY')) : Promise.resolve()), 5)((r) => lost.push(r));
    await sleep(60);
    stop();
    const after = checks;
    assert.deepEqual(lost, []);
    assert.ok(after >= 3, `checked again after the failure: ${after}`);
    await sleep(30);
    assert.equal(checks, after, 'stopped');
  });

  it('never runs two checks at once', async () => {
    let running = 0;
    let most = 0;
    const stop = credentialWatcher(async () => {
      most = Math.max(most, ++running);
      await sleep(30);
      running--;
    }, 5)(() => undefined);
    await sleep(100);
    stop();
    assert.equal(most, 1);
  });
});
