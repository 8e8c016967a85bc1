import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type DecisionInput } from './autoscale-decision.js';

const T0 = 1_000_000;
const input = (o: Partial<DecisionInput>): DecisionInput => ({ current: 1, min: 1, max: 5, targetCpuPercent: 50, cpuLimit: 0.5, replicaCores: [], upWindowMs: 0, downWindowMs: 0, history: [], nowMs: T0, ...o });

describe('autoscaling decision', () => {
  it('asks for ceil(load / (limit × target)) replicas, like the HPA', () => {
    // One replica at its full 0.5-core limit = 100 % against a 50 % target: 2 replicas.
    const d = decide(input({ replicaCores: [0.5] }));
    assert.equal(d.to, 2);
    assert.equal(d.avgCpuPercent, 100);
    assert.equal(d.reason, 'cpu above target');
    assert.equal(decide(input({ current: 2, replicaCores: [0.5, 0.5] })).to, 4);
  });

  it('stays within the tolerance of the target', () => {
    assert.equal(decide(input({ current: 2, replicaCores: [0.27, 0.26] })).to, 2);
    assert.equal(decide(input({ current: 2, replicaCores: [0.27, 0.26] })).reason, 'steady');
  });

  it('never leaves [min, max], and says why it moved to a bound', () => {
    assert.equal(decide(input({ current: 3, max: 3, replicaCores: [0.5, 0.5, 0.5] })).to, 3);
    const down = decide(input({ current: 4, max: 3, replicaCores: [] }));
    assert.deepEqual([down.to, down.reason], [3, 'above max']);
    const up = decide(input({ current: 1, min: 2, replicaCores: [0.25] }));
    assert.deepEqual([up.to, up.reason], [2, 'below min']);
    assert.equal(decide(input({ current: 3, min: 2, replicaCores: [0, 0, 0] })).to, 2);
  });

  it('does not ask for 0 replicas on CPU, and leaves a component parked at 0 alone', () => {
    assert.equal(decide(input({ current: 2, min: 0, replicaCores: [0, 0] })).to, 1);
    const parked = decide(input({ current: 0, min: 0, replicaCores: [] }));
    assert.deepEqual([parked.to, parked.reason], [0, 'no data']);
  });

  it('counts replicas that do not report yet as idle going up and on target going down', () => {
    // 3 wanted, 1 reporting at 100 %: the load needs 2, so no further scale-up than 3 is asked.
    assert.equal(decide(input({ current: 3, replicaCores: [0.5] })).to, 3);
    // 3 running, 2 reporting 0.1 core each: the silent one counts as on target (0.25), so 3 → 2, not 3 → 1.
    assert.equal(decide(input({ current: 3, replicaCores: [0.1, 0.1] })).to, 2);
  });

  it('scales down only to the highest recommendation of the down-window', () => {
    const history = [
      { at: T0 - 20_000, replicas: 4 },
      { at: T0 - 10_000, replicas: 3 },
    ];
    assert.equal(decide(input({ current: 4, replicaCores: [0, 0, 0, 0], downWindowMs: 30_000, history })).to, 4);
    assert.equal(decide(input({ current: 4, replicaCores: [0, 0, 0, 0], downWindowMs: 15_000, history })).to, 3);
    assert.equal(decide(input({ current: 4, replicaCores: [0, 0, 0, 0], downWindowMs: 5_000, history })).to, 1);
  });

  it('scales up only to the lowest recommendation of the up-window', () => {
    const history = [{ at: T0 - 10_000, replicas: 1 }];
    assert.equal(decide(input({ replicaCores: [0.5], upWindowMs: 30_000, history })).to, 1);
    assert.equal(decide(input({ replicaCores: [0.5], upWindowMs: 5_000, history })).to, 2);
  });

  it('keeps only the history the longer window needs', () => {
    const history = [
      { at: T0 - 120_000, replicas: 9 },
      { at: T0 - 10_000, replicas: 2 },
    ];
    const d = decide(input({ current: 2, replicaCores: [0.25, 0.25], downWindowMs: 60_000, history }));
    assert.deepEqual(
      d.history.map((r) => r.replicas),
      [2, 2],
    );
  });
});
