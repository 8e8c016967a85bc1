import { ApiError, type GureumClient, type Instance } from '@gureum/contract';
import { Failure, UsageError } from './errors.js';

/** How long `--wait` waits, from `--timeout` seconds. */
export function timeoutMs(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) === 0) throw new UsageError(`--timeout must be a positive number of seconds, not ${JSON.stringify(text)}`);
  return Number(text) * 1000;
}

/** Every desired replica runs the current spec (as observed since its last change). */
export function isSettled(i: Instance): boolean {
  if (i.observedGeneration < i.generation) return false;
  const desired = i.components.reduce((n, c) => n + c.desiredReplicas, 0);
  if (i.desiredState === 'stopped') return i.phase === 'stopped';
  const running = i.replicas.filter((r) => r.state === 'running' && r.current).length;
  return i.phase === 'running' && running === desired;
}

/**
 * How long a replica without a health check must be seen running, the same container and no
 * restart in between, before a wait counts it: a process that exits at once is "running" for
 * a moment first (`docker service create` watches new tasks the same way before it says
 * "converged"). A replica whose health check passes counts at once.
 */
export const STABLE_MS = 2000;

/**
 * Remembers since when each replica has been seen running unchanged, so that `stable` can tell
 * a settled instance from one whose replicas have only just started (and may exit again).
 */
export class StabilityWatch {
  private readonly since = new Map<string, { run: string; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records one observation; true when every running replica has been stable for `STABLE_MS`. */
  stable(i: Instance): boolean {
    const at = this.now();
    let stable = true;
    for (const r of i.replicas) {
      const slot = `${r.component}/${r.index}`;
      if (r.state !== 'running') {
        this.since.delete(slot);
        continue;
      }
      const run = `${r.containerId ?? ''}#${r.restartCount}`;
      const seen = this.since.get(slot);
      if (seen?.run !== run) this.since.set(slot, { run, at });
      const first = seen?.run === run ? seen.at : at;
      if (r.health !== 'healthy' && at - first < STABLE_MS) stable = false;
    }
    return stable;
  }
}

/** Restarts of one replica, during a wait for a new instance, that make it a crash loop. */
export const CRASH_LOOP_RESTARTS = 3;

/**
 * Why a just-launched instance will not settle by waiting longer: a replica of its current spec
 * that has been restarted `CRASH_LOOP_RESTARTS` times and is not running now. Undefined while
 * none is.
 */
export function crashLoop(i: Instance): string | undefined {
  const looping = i.replicas.find((r) => r.current && r.restartCount >= CRASH_LOOP_RESTARTS && r.state !== 'running');
  if (!looping) return undefined;
  const exit = looping.oomKilled ? 'was killed for running out of memory' : `exited with code ${looping.lastExitCode ?? 'unknown'}`;
  return `replica ${looping.component}/${looping.index} is crash-looping: it ${exit} after ${looping.restartCount} restarts (see gureum logs ${i.name})`;
}

/**
 * Polls an instance until `done` says so (by default: settled, every running replica stable;
 * see `STABLE_MS`), or, with `gone`, until it no longer exists. A
 * failed instance or the deadline ends the wait as an error (exit 1), Ctrl-C as 130; so does,
 * with `failOnCrashLoop` (a new instance: its restarts are all its own), a crash-looping replica.
 */
export async function waitForInstance(
  client: GureumClient,
  project: string,
  instance: string,
  opts: { timeoutMs: number; signal: AbortSignal; done?: (i: Instance) => boolean; gone?: boolean; failOnCrashLoop?: boolean },
): Promise<Instance | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  const watch = new StabilityWatch();
  let last: Instance | undefined;
  while (!opts.signal.aborted) {
    try {
      last = await client.call('getInstance', { params: { project, instance } });
    } catch (err) {
      if (opts.gone && err instanceof ApiError && err.code === 'INSTANCE_NOT_FOUND') return undefined;
      throw err;
    }
    if (!opts.gone && last.phase === 'failed') throw new Failure('INSTANCE_FAILED', `instance ${instance} failed: ${last.reason ?? 'no reason given'}`);
    const looping = opts.failOnCrashLoop ? crashLoop(last) : undefined;
    if (looping !== undefined) throw new Failure('INSTANCE_FAILED', `instance ${instance} will not settle: ${looping}`);
    const stable = watch.stable(last);
    if (!opts.gone && (opts.done ? opts.done(last) : isSettled(last) && stable)) return last;
    if (Date.now() > deadline) {
      throw new Failure('TIMEOUT', `instance ${instance} is still ${last.phase}${last.reason ? ` (${last.reason})` : ''} after ${opts.timeoutMs / 1000}s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return last;
}
