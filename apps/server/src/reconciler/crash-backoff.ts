import type { ObservedReplica } from '../domain/core/runtime.js';

/** A replica that ran less than this before dying had a quick crash: those back off. */
export const QUICK_CRASH_MS = 10_000;

/**
 * How long to wait, after a replica died, before starting it again: no wait after the first
 * quick crash, then 1 s, 2 s, 4 s ... for each further consecutive quick crash, at most maxMs.
 */
export function restartBackoffMs(quickCrashes: number, maxMs: number): number {
  return quickCrashes <= 1 ? 0 : Math.min(maxMs, 1000 * 2 ** (quickCrashes - 2));
}

interface Death {
  containerId: string;
  specHash: string;
  finishedAt: string | null;
  /** When this process first saw the death (not the engine's clock, which may differ). */
  seenAt: number;
  quickCrashes: number;
}

export interface RestartPlan {
  /** Consecutive quick crashes of the slot, this one included. */
  quickCrashes: number;
  /** The back-off the schedule asks for this death. */
  delayMs: number;
  /** What is left of it: 0 means restart now. */
  waitMs: number;
}

/**
 * Remembers the last death of each replica slot, so that each death is counted once however
 * often the slot is reconciled, and the back-off runs from the death, not from the last restart.
 */
export class CrashBackoff {
  private readonly deaths = new Map<string, Death>();

  constructor(
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The plan for restarting an exited replica in `slot`. */
  plan(slot: string, o: Pick<ObservedReplica, 'id' | 'specHash' | 'startedAt' | 'finishedAt'>): RestartPlan {
    let death = this.deaths.get(slot);
    if (!death || death.containerId !== o.id || death.finishedAt !== o.finishedAt) {
      const ranFor = o.startedAt && o.finishedAt ? Date.parse(o.finishedAt) - Date.parse(o.startedAt) : Infinity;
      // A new spec starts a new count: the crashes of the old one say nothing about it.
      const before = death?.specHash === o.specHash ? death.quickCrashes : 0;
      death = { containerId: o.id, specHash: o.specHash, finishedAt: o.finishedAt, seenAt: this.now(), quickCrashes: ranFor < QUICK_CRASH_MS ? before + 1 : 0 };
      this.deaths.set(slot, death);
    }
    const delayMs = restartBackoffMs(death.quickCrashes, this.maxMs);
    return { quickCrashes: death.quickCrashes, delayMs, waitMs: Math.max(0, death.seenAt + delayMs - this.now()) };
  }

  /** Drops the memory of every slot whose key starts with `prefix` (an instance that is gone). */
  forget(prefix: string): void {
    for (const key of this.deaths.keys()) if (key.startsWith(prefix)) this.deaths.delete(key);
  }
}
