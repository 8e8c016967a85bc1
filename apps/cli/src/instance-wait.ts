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
 * Polls an instance until `done` says so (or, with `gone`, until it no longer exists). A
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
    if (!opts.gone && (opts.done ?? isSettled)(last)) return last;
    if (Date.now() > deadline) {
      throw new Failure('TIMEOUT', `instance ${instance} is still ${last.phase}${last.reason ? ` (${last.reason})` : ''} after ${opts.timeoutMs / 1000}s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return last;
}
