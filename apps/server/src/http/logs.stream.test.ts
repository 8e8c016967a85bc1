import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObservedReplica } from '../domain/core/runtime.js';
import { logTargets } from './logs.stream.js';

const replica = (component: string, index: number, id: string, startedAt: string | null): ObservedReplica => ({ id, component, index, startedAt }) as ObservedReplica;

describe('logTargets', () => {
  it('reads one container per slot, the most recently started while a rollout holds two', () => {
    const observed = [replica('web', 1, 'b', '2026-01-01T00:00:01Z'), replica('web', 0, 'old', '2026-01-01T00:00:00Z'), replica('web', 0, 'new', '2026-01-01T00:00:05Z'), replica('db', 0, 'd', null)];
    assert.deepEqual(logTargets(observed, {}).map((t) => `${t.component}/${t.index}=${t.containerId}`), ['db/0=d', 'web/0=new', 'web/1=b']);
    assert.deepEqual(logTargets(observed, { component: 'web', replica: 0 }).map((t) => t.containerId), ['new']);
    assert.deepEqual(logTargets(observed, { component: 'cache' }), []);
  });
});
