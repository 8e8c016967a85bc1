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
 * Polls an instance until `done` says so (or, with `gone`, until it no longer exists). A
 * failed instance or the deadline ends the wait as an error (exit 1), Ctrl-C as 130.
 */
export async function waitForInstance(
  client: GureumClient,
  project: string,
  instance: string,
  opts: { timeoutMs: number; signal: AbortSignal; done?: (i: Instance) => boolean; gone?: boolean },
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
    if (!opts.gone && (opts.done ?? isSettled)(last)) return last;
    if (Date.now() > deadline) {
      throw new Failure('TIMEOUT', `instance ${instance} is still ${last.phase}${last.reason ? ` (${last.reason})` : ''} after ${opts.timeoutMs / 1000}s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return last;
}
