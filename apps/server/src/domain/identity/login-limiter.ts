import { DomainError } from '../core/errors.js';

export interface LimiterOptions {
  /** Attempts (not yet proven right) before each further attempt is slowed. */
  slowAfter: number;
  /** Attempts before further attempts are refused outright. */
  lockAfter: number;
  /** How long an attempt is remembered, and so how long a lock lasts. */
  windowMs: number;
  /** Longest added delay per attempt. */
  maxDelayMs: number;
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const DEFAULTS: LimiterOptions = { slowAfter: 3, lockAfter: 10, windowMs: 15 * 60_000, maxDelayMs: 4000 };
const REAL_CLOCK: LimiterClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
/** Above this many keys, forgotten ones are swept (many user names or addresses). */
const SWEEP_ABOVE = 10_000;

/** One login attempt, counted against its keys until it proves right. */
export interface LoginAttempt {
  keys: string[];
  at: number;
}

/** A key an attempt is braked by, and how. A plain string is a key that counts, slows and locks at `lockAfter`. */
export interface AttemptKey {
  key: string;
  /** Attempts counted before further ones are refused; null: never refused by this key. */
  lockAfter: number | null;
  /** Whether this key's count delays the attempt (default true). */
  slows?: boolean;
  /** Whether the attempt is counted against this key (default true); false: the key is only checked. */
  counts?: boolean;
}

/** The delay before an attempt when `n` earlier attempts are still counted. */
export function delayFor(n: number, o: LimiterOptions = DEFAULTS): number {
  return n < o.slowAfter ? 0 : Math.min(o.maxDelayMs, 250 * 2 ** (n - o.slowAfter));
}

/**
 * Brute-force brake for password login, per user name and per client address: after a few
 * failed attempts each attempt waits longer; after more, attempts are refused until the window
 * passes. An attempt counts from the moment it starts, not when its password proves wrong, so
 * many concurrent guesses cannot all slip under the limit. Kept in memory: one control plane
 * process answers logins.
 */
export class LoginLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly o: LimiterOptions = DEFAULTS,
    private readonly clock: LimiterClock = REAL_CLOCK,
  ) {}

  /** The default lock threshold, for callers composing keys. */
  get lockAfter(): number {
    return this.o.lockAfter;
  }

  /** Refuses (TOO_MANY_ATTEMPTS) if any key is locked; otherwise counts the attempt and waits its delay. */
  async begin(given: Array<string | AttemptKey>): Promise<LoginAttempt> {
    if (this.attempts.size > SWEEP_ABOVE) this.sweep();
    const keys = given.map((k): AttemptKey => (typeof k === 'string' ? { key: k, lockAfter: this.o.lockAfter } : k));
    let worst = 0;
    for (const k of keys) {
      if (k.lockAfter !== null) this.refuseIfLocked(k.key, k.lockAfter);
      if (k.slows !== false) worst = Math.max(worst, this.recent(k.key).length);
    }
    const at = this.clock.now();
    const counted = keys.filter((k) => k.counts !== false).map((k) => k.key);
    for (const key of counted) this.attempts.set(key, [...this.recent(key), at]);
    const delay = delayFor(worst, this.o);
    if (delay > 0) await this.clock.sleep(delay);
    return { keys: counted, at };
  }

  /** Throws TOO_MANY_ATTEMPTS, with when to come back, if `key` has `lockAfter` attempts or more counted. */
  refuseIfLocked(key: string, lockAfter: number = this.o.lockAfter): void {
    const list = this.recent(key);
    if (list.length < lockAfter) return;
    // Unlocked once enough of the attempts have aged out to bring the count under the limit.
    const freeing = list[list.length - lockAfter]!;
    const retryAfterSeconds = Math.max(1, Math.ceil((freeing + this.o.windowMs - this.clock.now()) / 1000));
    throw new DomainError('TOO_MANY_ATTEMPTS', `too many failed logins: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }

  /**
   * The attempt proved right: it no longer counts, and the keys in `clear` (the user name)
   * forget their earlier failures too. Other keys (the address) keep them: one valid account
   * must not reset an address that guesses at others.
   */
  succeed(attempt: LoginAttempt, clear: string[]): void {
    for (const key of attempt.keys) {
      if (clear.includes(key)) {
        this.attempts.delete(key);
        continue;
      }
      const list = this.attempts.get(key);
      const i = list?.indexOf(attempt.at) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
    }
  }

  /** Attempts counted against a key now (for tests and diagnostics). */
  count(key: string): number {
    return this.recent(key).length;
  }

  private recent(key: string): number[] {
    const since = this.clock.now() - this.o.windowMs;
    const list = (this.attempts.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.attempts.delete(key);
    return list;
  }

  private sweep(): void {
    for (const key of [...this.attempts.keys()]) this.recent(key);
  }
}
