import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noReplicasReason } from './instance-replicas.logic.js';

const base = { phase: 'pending' as const, desiredState: 'running' as const, reason: null, components: [{ name: 'main', image: 'x', imageId: null, desiredReplicas: 2, readyReplicas: 0 }] };

describe('noReplicasReason', () => {
  it('says a pending instance is being created, not that it is scaled to zero or stopped', () => {
    assert.equal(noReplicasReason(base), 'No replicas yet: they are being created.');
  });

  it('names a stop, a scale to zero and a failure for what they are', () => {
    assert.equal(noReplicasReason({ ...base, desiredState: 'stopped' }), 'No replicas: the instance is stopped.');
    assert.equal(noReplicasReason({ ...base, components: [{ ...base.components[0]!, desiredReplicas: 0 }] }), 'No replicas: the instance is scaled to zero.');
    assert.equal(noReplicasReason({ ...base, phase: 'failed', reason: 'image x cannot be found' }), 'No replicas: the instance failed (image x cannot be found).');
  });
});
