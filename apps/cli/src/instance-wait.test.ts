import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instance, ReplicaStatus } from '@gureum/contract';
import { STABLE_MS, StabilityWatch } from './instance-wait.js';

function replica(over: Partial<ReplicaStatus>): ReplicaStatus {
  return {
    component: 'main', index: 0, containerId: 'c1', state: 'running', restartCount: 0, lastExitCode: null, oomKilled: false,
    health: 'none', startedAt: null, node: null, ip: null, ports: [], specHash: 'h', current: true, ...over,
  };
}
const instance = (...replicas: ReplicaStatus[]) => ({ replicas }) as unknown as Instance;

describe('StabilityWatch', () => {
  it('counts a replica without a health check only once it has run unchanged for STABLE_MS', () => {
    let now = 0;
    const watch = new StabilityWatch(() => now);
    assert.equal(watch.stable(instance(replica({}))), false);
    now = STABLE_MS - 1;
    assert.equal(watch.stable(instance(replica({}))), false);
    now = STABLE_MS;
    assert.equal(watch.stable(instance(replica({}))), true);
  });

  it('starts again when the replica restarted or its container changed between two looks', () => {
    let now = 0;
    const watch = new StabilityWatch(() => now);
    watch.stable(instance(replica({})));
    now = STABLE_MS;
    assert.equal(watch.stable(instance(replica({ restartCount: 1 }))), false);
    now = 2 * STABLE_MS;
    assert.equal(watch.stable(instance(replica({ restartCount: 1, containerId: 'c2' }))), false);
    now = 3 * STABLE_MS;
    assert.equal(watch.stable(instance(replica({ restartCount: 1, containerId: 'c2' }))), true);
  });

  it('forgets a replica seen not running, and counts a healthy one at once', () => {
    let now = 0;
    const watch = new StabilityWatch(() => now);
    watch.stable(instance(replica({})));
    now = STABLE_MS;
    watch.stable(instance(replica({ state: 'exited' })));
    assert.equal(watch.stable(instance(replica({}))), false);
    assert.equal(watch.stable(instance(replica({ index: 1, health: 'healthy' }))), true);
  });
});
