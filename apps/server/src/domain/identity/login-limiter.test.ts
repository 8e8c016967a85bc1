import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../core/errors.js';
import { delayFor, LoginLimiter, type LimiterClock, type LimiterOptions } from './login-limiter.js';

const OPTIONS: LimiterOptions = { slowAfter: 3, lockAfter: 10, windowMs: 15 * 60_000, maxDelayMs: 4000 };

/** A clock the test moves by hand (a 15-minute window cannot be waited out in a unit test); sleeps are recorded, not slept. */
function manualClock(): LimiterClock & { advance(ms: number): void; slept: number[] } {
  let now = 1_700_000_000_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    advance: (ms) => (now += ms),
    slept,
  };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DomainError);
    return err;
  }
  assert.fail('expected a refusal');
}

/** n attempts that fail (never settled with succeed). */
async function failTimes(limiter: LoginLimiter, keys: string[], n: number): Promise<void> {
  for (let i = 0; i < n; i++) await limiter.begin(keys);
}

describe('LoginLimiter', () => {
  it('lets the first attempts through at once, then waits longer each time, capped', async () => {
    const clock = manualClock();
    const limiter = new LoginLimiter(OPTIONS, clock);
    await failTimes(limiter, ['user:a'], 9);
    assert.deepEqual(clock.slept, [250, 500, 1000, 2000, 4000, 4000]);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => delayFor(n, OPTIONS)), [0, 0, 0, 250, 500, 1000, 2000, 4000]);
  });

  it('refuses once locked, even an attempt that would be right, until the window passes', async () => {
    const clock = manualClock();
    const limiter = new LoginLimiter(OPTIONS, clock);
    await failTimes(limiter, ['user:a', 'addr:1'], 10);
    const err = await refusal(limiter.begin(['user:a', 'addr:1']));
    assert.equal(err.code, 'TOO_MANY_ATTEMPTS');
    assert.equal((err.details as { retryAfterSeconds: number }).retryAfterSeconds, 15 * 60);
    clock.advance(10 * 60_000);
    assert.equal((await refusal(limiter.begin(['user:a']))).code, 'TOO_MANY_ATTEMPTS');
    clock.advance(5 * 60_000 + 1);
    await limiter.begin(['user:a']);
  });

  it('counts per key: a locked user does not lock another user, a locked address does not lock another address', async () => {
    const limiter = new LoginLimiter(OPTIONS, manualClock());
    // User a is guessed at from many addresses: its name locks, the addresses do not.
    for (let i = 0; i < 10; i++) await limiter.begin(['user:a', `addr:10.0.0.${i}`]);
    assert.equal((await refusal(limiter.begin(['user:a', 'addr:10.0.0.99']))).code, 'TOO_MANY_ATTEMPTS');
    await limiter.begin(['user:b', 'addr:10.0.0.1']);
    // One address guesses at many users: the address locks, those users do not.
    for (let i = 0; i < 10; i++) await limiter.begin([`user:u${i}`, 'addr:192.0.2.7']);
    assert.equal((await refusal(limiter.begin(['user:c', 'addr:192.0.2.7']))).code, 'TOO_MANY_ATTEMPTS');
    await limiter.begin(['user:u1', 'addr:192.0.2.8']);
  });

  it('a right password clears the user, but not the failures of its address', async () => {
    const limiter = new LoginLimiter(OPTIONS, manualClock());
    await failTimes(limiter, ['user:a', 'addr:1'], 5);
    const right = await limiter.begin(['user:a', 'addr:1']);
    limiter.succeed(right, ['user:a']);
    assert.equal(limiter.count('user:a'), 0);
    assert.equal(limiter.count('addr:1'), 5, 'the successful attempt itself does not count, the failures before it do');
  });

  it('counts concurrent attempts from the moment they start, so a burst cannot pass the lock', async () => {
    const limiter = new LoginLimiter(OPTIONS, manualClock());
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => limiter.begin(['user:a', 'addr:1'])));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    assert.equal(results.filter((r) => r.status === 'rejected' && (r.reason as DomainError).code === 'TOO_MANY_ATTEMPTS').length, 15);
  });

  it('answers when a lock over the limit frees up (concurrent attempts pushed it past)', async () => {
    const clock = manualClock();
    const limiter = new LoginLimiter({ ...OPTIONS, lockAfter: 3, slowAfter: 100 }, clock);
    await failTimes(limiter, ['k'], 1);
    clock.advance(60_000);
    await failTimes(limiter, ['k'], 2);
    // Three counted: the lock frees when the oldest ages out, 14 minutes from now.
    assert.equal(((await refusal(limiter.begin(['k']))).details as { retryAfterSeconds: number }).retryAfterSeconds, 14 * 60);
  });

  it('takes keys that only slow, that only check, or that lock at their own count', async () => {
    const clock = manualClock();
    const limiter = new LoginLimiter(OPTIONS, clock);
    // A key that never locks: fifty attempts, all let through, slowed at most by the cap.
    for (let i = 0; i < 50; i++) await limiter.begin([{ key: 'user:a', lockAfter: null }]);
    assert.equal(limiter.count('user:a'), 50);
    assert.equal(Math.max(...clock.slept), 4000);
    // A key that is checked but not counted, and one that does not slow.
    clock.slept.length = 0;
    for (let i = 0; i < 5; i++) await limiter.begin([{ key: 'known:1', lockAfter: 20, slows: false }, { key: 'probe', lockAfter: 20, counts: false }]);
    assert.equal(limiter.count('known:1'), 5);
    assert.equal(limiter.count('probe'), 0);
    assert.deepEqual(clock.slept, [], 'a key that does not slow adds no delay');
    for (let i = 0; i < 15; i++) await limiter.begin([{ key: 'known:1', lockAfter: 20, slows: false }]);
    assert.equal((await refusal(limiter.begin([{ key: 'other', lockAfter: 10 }, { key: 'known:1', lockAfter: 20, counts: false }]))).code, 'TOO_MANY_ATTEMPTS', 'a checked key refuses though it is not counted');
    assert.equal(limiter.count('other'), 0, 'a refused attempt counts nowhere');
  });
});
