import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicaStatus } from '@gureum/contract';
import type { InstanceRecord } from '../domain/core/records.js';
import { specHash } from '../domain/catalog/render.js';
import type { ObservedReplica } from '../domain/core/runtime.js';
import { phaseOf, replicaStatuses, statusUnchanged } from './status.js';

function instance(over: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    id: 'i-1',
    project: 'lab',
    name: 'web',
    app: 'app',
    appVersion: 1,
    parameters: {},
    replicasOverride: null,
    env: {},
    components: [{ name: 'main', image: 'busybox', env: {}, ports: [], replicas: 2, volumes: [] }],
    desiredState: 'running',
    deleting: false,
    generation: 1,
    restartNonce: 0,
    phase: 'pending',
    reason: null,
    replicas: [],
    observedAt: null,
    observedGeneration: 0,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

function replica(index: number, over: Partial<ReplicaStatus> = {}): ReplicaStatus {
  return {
    component: 'main',
    index,
    containerId: `c${index}`,
    state: 'running',
    restartCount: 0,
    lastExitCode: null,
    oomKilled: false,
    health: 'none',
    startedAt: '2026-01-01T00:00:00Z',
    node: 'n1',
    ip: `10.0.0.${index + 2}`,
    ports: [],
    specHash: 'h',
    current: true,
    ...over,
  };
}

const pending = (index: number): ReplicaStatus => replica(index, { containerId: null, state: 'pending', startedAt: null, ip: null, node: null, specHash: null, current: false });

describe('phaseOf', () => {
  it('is running with no reason when every replica runs the current spec', () => {
    assert.deepEqual(phaseOf(instance(), [replica(0), replica(1)], null), { phase: 'running', reason: null });
  });

  it('is deleting, whatever the replicas do, once deletion is asked', () => {
    assert.equal(phaseOf(instance({ deleting: true }), [replica(0)], 'boom').phase, 'deleting');
  });

  it('is stopped once nothing runs, and pending while replicas are being stopped', () => {
    const stopped = instance({ desiredState: 'stopped' });
    assert.deepEqual(phaseOf(stopped, [replica(0, { state: 'exited', lastExitCode: 143 }), pending(1)], null), { phase: 'stopped', reason: null });
    assert.deepEqual(phaseOf(stopped, [replica(0), replica(1, { state: 'exited' })], null), { phase: 'pending', reason: 'stopping 1 replica(s)' });
  });

  it('is failed with the failure as reason', () => {
    assert.deepEqual(phaseOf(instance(), [pending(0), pending(1)], 'image x cannot be found'), { phase: 'failed', reason: 'image x cannot be found' });
  });

  it('is degraded, with the trouble as reason, when a replica could not be started again', () => {
    const r = phaseOf(instance(), [replica(0), replica(1, { state: 'exited', lastExitCode: 143 })], null, 'main/1 could not be started again: engine busy');
    assert.deepEqual(r, { phase: 'degraded', reason: '1/2 replicas ready; main/1 could not be started again: engine busy' });
    assert.deepEqual(phaseOf(instance(), [replica(0), replica(1)], null, 'passed'), { phase: 'running', reason: null }, 'trouble that is over does not show');
  });

  it('is stopped when scaled to zero', () => {
    assert.deepEqual(phaseOf(instance(), [], null), { phase: 'stopped', reason: 'scaled to 0 replicas' });
  });

  it('is pending while replicas start, and degraded when only some serve', () => {
    assert.deepEqual(phaseOf(instance(), [pending(0), pending(1)], null), { phase: 'pending', reason: 'starting: 0/2 replicas ready' });
    assert.deepEqual(phaseOf(instance(), [replica(0), replica(1, { health: 'starting' })], null), { phase: 'degraded', reason: '1/2 replicas ready' });
  });

  it('is degraded naming a crashing replica, its exit code and its restarts', () => {
    const r = phaseOf(instance(), [replica(0), replica(1, { state: 'exited', lastExitCode: 3, restartCount: 4 })], null);
    assert.deepEqual(r, { phase: 'degraded', reason: '1/2 replicas ready; main/1 exited with code 3 (restarted 4 times)' });
    const once = phaseOf(instance(), [replica(0), replica(1, { state: 'exited', lastExitCode: 3, restartCount: 1 })], null);
    assert.match(once.reason ?? '', /\(restarted once\)$/);
  });

  it('names an exited replica even before its first restart, and an out-of-memory kill as such', () => {
    assert.deepEqual(phaseOf(instance(), [replica(0, { state: 'exited', lastExitCode: 2 }), replica(1)], null), { phase: 'degraded', reason: '1/2 replicas ready; main/0 exited with code 2' });
    const oom = phaseOf(instance(), [replica(0, { state: 'exited', lastExitCode: 137, oomKilled: true, restartCount: 2 }), pending(1)], null);
    assert.deepEqual(oom, { phase: 'degraded', reason: '0/2 replicas ready; main/0 was killed for lack of memory (restarted 2 times)' });
  });

  it('is degraded naming an unhealthy replica', () => {
    assert.deepEqual(phaseOf(instance(), [replica(0), replica(1, { health: 'unhealthy' })], null), { phase: 'degraded', reason: '1/2 replicas ready; main/1 is unhealthy' });
  });

  it('is running, with the progress as reason, during a rollout where replicas still serve', () => {
    const rolling = [replica(0), replica(1, { current: false, specHash: 'old' }), replica(2, { current: false, specHash: 'old' })];
    assert.deepEqual(phaseOf(instance(), rolling, null), { phase: 'running', reason: 'updating: 1/3 replicas run the new spec' });
    const replacing = [replica(0, { current: false, specHash: 'old' }), pending(1)];
    assert.deepEqual(phaseOf(instance(), replacing, null), { phase: 'running', reason: 'updating: 0/2 replicas run the new spec' });
  });

  it('is degraded when the new spec of a rollout fails, saying the update is paused', () => {
    const stuck = [replica(0, { state: 'exited', lastExitCode: 4, restartCount: 2 }), replica(1, { current: false, specHash: 'old' }), replica(2, { current: false, specHash: 'old' })];
    assert.deepEqual(phaseOf(instance(), stuck, null), {
      phase: 'degraded',
      reason: '2/3 replicas ready; main/0 exited with code 4 (restarted 2 times); update paused: 0/3 replicas run the new spec',
    });
  });

  it('prefers a failing replica of the current spec when naming the trouble', () => {
    const both = [replica(0, { current: false, specHash: 'old', state: 'exited', lastExitCode: 1, restartCount: 9 }), replica(1, { state: 'exited', lastExitCode: 4, restartCount: 1 })];
    assert.match(phaseOf(instance(), both, null).reason ?? '', /main\/1 exited with code 4/);
  });
});

describe('replicaStatuses', () => {
  const inst = instance();
  const hash = specHash(inst.components[0]!, inst.restartNonce);
  function observed(index: number, over: Partial<ObservedReplica> = {}): ObservedReplica {
    return {
      id: `c${index}`,
      name: `gureum_lab_web_main_${index}_${hash.slice(0, 8)}`,
      project: 'lab',
      instance: 'web',
      instanceId: 'i-1',
      component: 'main',
      index,
      specHash: hash,
      state: 'running',
      exitCode: null,
      oomKilled: false,
      health: 'none',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: null,
      node: 'n1',
      ip: '10.0.0.2',
      ports: [],
      image: 'busybox',
      ...over,
    };
  }

  it('answers one status per desired slot, pending where no container is, with the restart counts given', () => {
    const statuses = replicaStatuses(inst, [observed(1)], new Map([['main/1', 3]]));
    assert.deepEqual(
      statuses.map((s) => [s.index, s.state, s.containerId, s.restartCount, s.current]),
      [
        [0, 'pending', null, 0, false],
        [1, 'running', 'c1', 3, true],
      ],
    );
  });

  it("keeps a slot's last spec while it has no container (so its next container counts as a restart), and none for a slot that never had one", () => {
    const before = instance({ replicas: [replica(0, { specHash: hash, restartCount: 1 }), pending(1)] });
    const statuses = replicaStatuses(before, [], new Map([['main/0', 1]]));
    assert.deepEqual(
      statuses.map((s) => [s.index, s.containerId, s.specHash, s.current]),
      [
        [0, null, hash, false],
        [1, null, null, false],
      ],
    );
    // Written again while still empty: the memory survives.
    const again = replicaStatuses(instance({ replicas: statuses }), [], new Map());
    assert.equal(again[0]!.specHash, hash);
  });

  it('shows the container of the current spec when a slot has two, and ignores slots beyond the count', () => {
    const statuses = replicaStatuses(inst, [observed(0, { id: 'old', specHash: 'other' }), observed(0, { id: 'new' }), observed(5)], new Map());
    assert.equal(statuses.length, 2);
    assert.equal(statuses[0]!.containerId, 'new');
    assert.equal(statuses[0]!.current, true);
  });

  it('says missing rather than pending for a stopped instance', () => {
    const statuses = replicaStatuses(instance({ desiredState: 'stopped' }), [], new Map());
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['missing', 'missing'],
    );
  });
});

describe('statusUnchanged', () => {
  const at = Date.parse('2026-01-01T00:00:00Z');
  const stored = instance({ phase: 'running', reason: null, replicas: [replica(0), replica(1)], observedAt: '2026-01-01T00:00:00Z' });
  const same = { phase: 'running' as const, reason: null, replicas: [replica(0), replica(1)] };

  it('skips a write that changes nothing, while the stored observation is recent', () => {
    assert.equal(statusUnchanged(stored, same, at + 10_000), true);
    // As read back from the database.
    const roundTripped = instance({ ...stored, replicas: JSON.parse(JSON.stringify(stored.replicas)) as ReplicaStatus[] });
    assert.equal(statusUnchanged(roundTripped, same, at + 10_000), true);
  });

  it('writes when the phase, the reason or any replica field changed', () => {
    assert.equal(statusUnchanged(stored, { ...same, phase: 'degraded' }, at), false);
    assert.equal(statusUnchanged(stored, { ...same, reason: 'replica main/1 restarting' }, at), false);
    assert.equal(statusUnchanged(stored, { ...same, replicas: [replica(0), replica(1, { restartCount: 1 })] }, at), false);
    assert.equal(statusUnchanged(stored, { ...same, replicas: [replica(0), replica(1, { health: 'healthy' })] }, at), false);
    assert.equal(statusUnchanged(stored, { ...same, replicas: [replica(0)] }, at), false, 'a replica fewer');
  });

  it('writes when the stored observation is as old as the refresh period, or there is none', () => {
    assert.equal(statusUnchanged(stored, same, at + 60_000), false);
    assert.equal(statusUnchanged(stored, same, at + 5_000, 5_000), false);
    assert.equal(statusUnchanged(instance({ ...stored, observedAt: null }), same, at), false);
  });
});
