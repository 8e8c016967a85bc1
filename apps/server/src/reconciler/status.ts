import type { ReplicaStatus } from '@gureum/contract';
import type { InstancePhase, InstanceRecord } from '../domain/core/records.js';
import { specHash } from '../domain/catalog/render.js';
import type { ObservedReplica } from '../domain/core/runtime.js';

export function slotKey(component: string, index: number): string {
  return `${component}/${index}`;
}

/** One status per desired replica slot, from what the engine shows. `hashes`: the current spec hash per component (see replica-plan.ts). */
export function replicaStatuses(instance: InstanceRecord, observed: ObservedReplica[], restartCounts: Map<string, number>, hashes?: ReadonlyMap<string, string>): ReplicaStatus[] {
  const statuses: ReplicaStatus[] = [];
  for (const c of instance.components) {
    const hash = hashes?.get(c.name) ?? specHash(c, instance.restartNonce);
    for (let index = 0; index < c.replicas; index++) {
      const candidates = observed.filter((o) => o.component === c.name && o.index === index);
      const o = candidates.find((x) => x.specHash === hash) ?? candidates[0];
      const restartCount = restartCounts.get(slotKey(c.name, index)) ?? 0;
      if (!o) {
        // The slot remembers the spec of its last container while it has none: whether the
        // next one is a restart or a new replica must not depend on a status written in between.
        const previous = instance.replicas.find((r) => r.component === c.name && r.index === index);
        statuses.push({
          component: c.name,
          index,
          containerId: null,
          state: instance.desiredState === 'stopped' ? 'missing' : 'pending',
          restartCount,
          lastExitCode: null,
          oomKilled: false,
          health: 'none',
          startedAt: null,
          node: null,
          ip: null,
          ports: [],
          specHash: previous?.specHash ?? null,
          current: false,
        });
        continue;
      }
      statuses.push({
        component: c.name,
        index,
        containerId: o.id,
        state: o.state,
        restartCount,
        lastExitCode: o.exitCode,
        oomKilled: o.oomKilled,
        health: o.health,
        startedAt: o.startedAt,
        node: o.node,
        ip: o.ip,
        ports: o.ports,
        specHash: o.specHash,
        current: o.specHash === hash,
      });
    }
  }
  return statuses;
}

/** Answers requests: running, and neither failing nor still starting its health check (whatever its spec). */
export function isServing(r: ReplicaStatus): boolean {
  return r.state === 'running' && r.health !== 'unhealthy' && r.health !== 'starting';
}

/** Serving, and running the instance's current spec. */
export function isReady(r: ReplicaStatus): boolean {
  return r.current && isServing(r);
}

/**
 * The phase a user sees, with a reason when it is not plainly "running". A rollout in progress
 * (replicas of an older spec still serving) is "running" as long as something serves; a replica
 * that keeps failing makes the instance "degraded", naming the replica and why. `failure` is
 * what needs the user (the instance is "failed"); `trouble` what the reconciler retries.
 */
export function phaseOf(instance: InstanceRecord, replicas: ReplicaStatus[], failure: string | null, trouble: string | null = null): { phase: InstancePhase; reason: string | null } {
  if (instance.deleting) return { phase: 'deleting', reason: 'deleting replicas' };
  if (instance.desiredState === 'stopped') {
    const still = replicas.filter((r) => r.state === 'running').length;
    return still === 0 ? { phase: 'stopped', reason: null } : { phase: 'pending', reason: `stopping ${still} replica(s)` };
  }
  if (failure !== null) return { phase: 'failed', reason: failure };
  const desired = replicas.length;
  if (desired === 0) return { phase: 'stopped', reason: 'scaled to 0 replicas' };
  const ready = replicas.filter(isReady).length;
  if (ready === desired) return { phase: 'running', reason: null };

  const serving = replicas.filter(isServing).length;
  const count = `${serving}/${desired} replicas ready`;
  const updating = replicas.some((r) => r.containerId !== null && !r.current);
  const progress = `${ready}/${desired} replicas run the new spec`;
  if (trouble !== null) return { phase: 'degraded', reason: `${count}; ${trouble}` };
  const failing = (r: ReplicaStatus) => !isServing(r) && (r.restartCount > 0 || r.lastExitCode !== null || r.oomKilled);
  const troubled = replicas.find((r) => r.current && failing(r)) ?? replicas.find(failing) ?? replicas.find((r) => r.health === 'unhealthy');
  if (troubled) {
    const what = troubled.health === 'unhealthy' ? 'is unhealthy' : troubled.oomKilled ? 'was killed for lack of memory' : troubled.lastExitCode !== null ? `exited with code ${troubled.lastExitCode}` : `is ${troubled.state}`;
    const n = troubled.restartCount;
    const restarts = n === 0 ? '' : n === 1 ? ' (restarted once)' : ` (restarted ${n} times)`;
    return { phase: 'degraded', reason: `${count}; ${troubled.component}/${troubled.index} ${what}${restarts}${updating ? `; update paused: ${progress}` : ''}` };
  }
  if (updating) return { phase: serving > 0 ? 'running' : 'pending', reason: `updating: ${progress}` };
  if (serving > 0) return { phase: 'degraded', reason: count };
  return { phase: 'pending', reason: `starting: ${count}` };
}

/** Even with nothing changed, observedAt is brought up to date this often: it says how fresh the status is. */
export const OBSERVED_REFRESH_MS = 60_000;

/**
 * Whether a status write can be skipped: same phase, reason and replicas as stored, and the
 * stored observation recent enough. Most reconciles (every resync, every engine event) change
 * nothing, and each skipped write is a transaction the database does not serialise.
 */
export function statusUnchanged(stored: Pick<InstanceRecord, 'phase' | 'reason' | 'replicas' | 'observedAt'>, next: { phase: InstancePhase; reason: string | null; replicas: ReplicaStatus[] }, nowMs: number, refreshMs = OBSERVED_REFRESH_MS): boolean {
  if (stored.phase !== next.phase || stored.reason !== next.reason) return false;
  if (stored.observedAt === null || !(nowMs - Date.parse(stored.observedAt) < refreshMs)) return false;
  // Both sides come from the same code (the stored side through JSON): compared as JSON, where a missing and an undefined field are alike.
  return JSON.stringify(stored.replicas) === JSON.stringify(next.replicas);
}
