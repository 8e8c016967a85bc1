import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advance, aggregate, holds, selectorOf, seriesValues, worstState } from './alert-evaluation.js';
import type { AlertSeriesRecord } from './alert-records.js';
import type { ReplicaFigure } from '../monitoring/metrics-reader.js';

const figure = (instance: string, component: string, replica: number, value: number): ReplicaFigure => ({ project: 'lab', instance, component, replica, value, samples: 3 });
const base = { project: 'lab', rule: 'r', key: 'k' };
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('alert evaluation', () => {
  it('reads the replicas the scope names', () => {
    assert.deepEqual(selectorOf({ project: 'lab', scope: 'project', target: null }), { project: 'lab' });
    assert.deepEqual(selectorOf({ project: 'lab', scope: 'instance', target: 'web' }), { project: 'lab', instance: 'web' });
    assert.deepEqual(selectorOf({ project: 'lab', scope: 'component', target: 'web/api' }), { project: 'lab', instance: 'web', component: 'api' });
    assert.deepEqual(selectorOf({ project: 'lab', scope: 'replica', target: 'web' }), { project: 'lab', instance: 'web' });
  });

  it('combines replicas by avg, sum, max and min; nothing for no replica', () => {
    assert.equal(aggregate([1, 2, 6], 'avg'), 3);
    assert.equal(aggregate([1, 2, 6], 'sum'), 9);
    assert.equal(aggregate([1, 2, 6], 'max'), 6);
    assert.equal(aggregate([1, 2, 6], 'min'), 1);
    assert.equal(aggregate([], 'avg'), null);
  });

  it('makes one series per scope, or one per replica for scope replica', () => {
    const figures = [figure('web', 'api', 0, 10), figure('web', 'api', 1, 30)];
    assert.deepEqual([...seriesValues({ project: 'lab', scope: 'instance', target: 'web', agg: 'max' }, figures)], [['web', 30]]);
    assert.deepEqual([...seriesValues({ project: 'lab', scope: 'project', target: null, agg: 'sum' }, figures)], [['lab', 40]]);
    assert.deepEqual([...seriesValues({ project: 'lab', scope: 'replica', target: 'web', agg: 'avg' }, figures)], [
      ['web/api/0', 10],
      ['web/api/1', 30],
    ]);
    assert.equal(seriesValues({ project: 'lab', scope: 'instance', target: 'web', agg: 'avg' }, []).size, 0);
  });

  it('compares with each operator; no value never holds', () => {
    assert.equal(holds(5, '>', 5), false);
    assert.equal(holds(5, '>=', 5), true);
    assert.equal(holds(4, '<', 5), true);
    assert.equal(holds(5, '<=', 5), true);
    assert.equal(holds(null, '<', 5), false);
  });

  it('goes inactive → pending → firing after forSeconds, then resolves with the time it fired', () => {
    const pending = advance(undefined, base, true, 9, 30, T0);
    assert.equal(pending.transition, 'pending');
    assert.equal(pending.next.state, 'pending');
    const still = advance(pending.next, base, true, 9, 30, T0 + 29_000);
    assert.equal(still.transition, null);
    assert.equal(still.next.since, pending.next.since);
    const firing = advance(still.next, base, true, 11, 30, T0 + 30_000);
    assert.equal(firing.transition, 'firing');
    assert.equal(firing.next.value, 11);
    const steady = advance(firing.next, base, true, 12, 30, T0 + 60_000);
    assert.equal(steady.transition, null);
    assert.equal(steady.next.since, firing.next.since);
    const resolved = advance(steady.next, base, false, 1, 30, T0 + 90_000);
    assert.equal(resolved.transition, 'resolved');
    assert.equal(resolved.next.state, 'inactive');
    assert.equal(resolved.firedSince, firing.next.since);
  });

  it('fires at once without forSeconds; a pending series that clears goes back quietly', () => {
    assert.equal(advance(undefined, base, true, 9, 0, T0).transition, 'firing');
    const pending = advance(undefined, base, true, 9, 60, T0);
    const cleared = advance(pending.next, base, false, 1, 60, T0 + 1000);
    assert.equal(cleared.transition, null);
    assert.equal(cleared.next.state, 'inactive');
    assert.equal(advance(undefined, base, false, null, 0, T0).transition, null);
  });

  it('reports the worst state of a rule', () => {
    const s = (state: AlertSeriesRecord['state']) => ({ state });
    assert.equal(worstState([]), 'inactive');
    assert.equal(worstState([s('pending'), s('inactive')]), 'pending');
    assert.equal(worstState([s('pending'), s('firing')]), 'firing');
  });
});
