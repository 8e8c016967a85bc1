import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AutoscalePut } from '@gureum/contract';
import { decide, type DecisionInput } from './autoscale-decision.js';

const T0 = 1_000_000;
const MiB = 1024 * 1024;
/** Cores used by each reporting replica of a component limited to 0.5 core, against a 50 % CPU target. */
const cores = (perReplica: number[]) => ({ targetPercent: 50, limit: 0.5, perReplica });
/** MiB used by each reporting replica of a component limited to 64 MiB, against a 50 % memory target. */
const mib = (perReplica: number[]) => ({ targetPercent: 50, limit: 64 * MiB, perReplica: perReplica.map((m) => m * MiB) });
const input = (o: Partial<DecisionInput>): DecisionInput => ({ current: 1, min: 1, max: 5, cpu: cores([]), upWindowMs: 0, downWindowMs: 0, history: [], nowMs: T0, ...o });

describe('autoscaling decision', () => {
  it('asks for ceil(load / (limit × target)) replicas, like the HPA', () => {
    // One replica at its full 0.5-core limit = 100 % against a 50 % target: 2 replicas.
    const d = decide(input({ cpu: cores([0.5]) }));
    assert.equal(d.to, 2);
    assert.equal(d.avgCpuPercent, 100);
    assert.equal(d.reason, 'cpu above target');
    assert.equal(decide(input({ current: 2, cpu: cores([0.5, 0.5]) })).to, 4);
  });

  it('stays within the tolerance of the target', () => {
    assert.equal(decide(input({ current: 2, cpu: cores([0.27, 0.26]) })).to, 2);
    assert.equal(decide(input({ current: 2, cpu: cores([0.27, 0.26]) })).reason, 'steady');
  });

  it('never leaves [min, max], and says why it moved to a bound', () => {
    assert.equal(decide(input({ current: 3, max: 3, cpu: cores([0.5, 0.5, 0.5]) })).to, 3);
    const down = decide(input({ current: 4, max: 3, cpu: cores([]) }));
    assert.deepEqual([down.to, down.reason], [3, 'above max']);
    const up = decide(input({ current: 1, min: 2, cpu: cores([0.25]) }));
    assert.deepEqual([up.to, up.reason], [2, 'below min']);
    assert.equal(decide(input({ current: 3, min: 2, cpu: cores([0, 0, 0]) })).to, 2);
  });

  it('does not ask for 0 replicas on CPU, and leaves a component parked at 0 alone', () => {
    assert.equal(decide(input({ current: 2, min: 0, cpu: cores([0, 0]) })).to, 1);
    const parked = decide(input({ current: 0, min: 0, cpu: cores([]) }));
    assert.deepEqual([parked.to, parked.reason], [0, 'no data']);
  });

  it('counts replicas that do not report yet as idle going up and on target going down', () => {
    // 3 wanted, 1 reporting at 100 %: the load needs 2, so no further scale-up than 3 is asked.
    assert.equal(decide(input({ current: 3, cpu: cores([0.5]) })).to, 3);
    // 3 running, 2 reporting 0.1 core each: the silent one counts as on target (0.25), so 3 → 2, not 3 → 1.
    assert.equal(decide(input({ current: 3, cpu: cores([0.1, 0.1]) })).to, 2);
  });

  it('scales down only to the highest recommendation of the down-window', () => {
    const history = [
      { at: T0 - 20_000, replicas: 4 },
      { at: T0 - 10_000, replicas: 3 },
    ];
    assert.equal(decide(input({ current: 4, cpu: cores([0, 0, 0, 0]), downWindowMs: 30_000, history })).to, 4);
    assert.equal(decide(input({ current: 4, cpu: cores([0, 0, 0, 0]), downWindowMs: 15_000, history })).to, 3);
    assert.equal(decide(input({ current: 4, cpu: cores([0, 0, 0, 0]), downWindowMs: 5_000, history })).to, 1);
  });

  it('scales up only to the lowest recommendation of the up-window', () => {
    const history = [{ at: T0 - 10_000, replicas: 1 }];
    assert.equal(decide(input({ cpu: cores([0.5]), upWindowMs: 30_000, history })).to, 1);
    assert.equal(decide(input({ cpu: cores([0.5]), upWindowMs: 5_000, history })).to, 2);
  });

  it('keeps only the history the longer window needs', () => {
    const history = [
      { at: T0 - 120_000, replicas: 9 },
      { at: T0 - 10_000, replicas: 2 },
    ];
    const d = decide(input({ current: 2, cpu: cores([0.25, 0.25]), downWindowMs: 60_000, history }));
    assert.deepEqual(
      d.history.map((r) => r.replicas),
      [2, 2],
    );
  });

  it('scales on memory alone: the average working set in % of the memory limit', () => {
    // 48 MiB of a 64 MiB limit = 75 % against a 50 % target: ceil(1 × 75 / 50) = 2.
    const d = decide(input({ cpu: undefined, memory: mib([48]) }));
    assert.deepEqual([d.to, d.reason, d.avgMemoryPercent, d.avgCpuPercent], [2, 'memory above target', 75, null]);
    // Memory is not spread by a load balancer: the filled replica and a fresh one still need 2.
    const kept = decide(input({ current: 2, cpu: undefined, memory: mib([48, 1]) }));
    assert.deepEqual([kept.to, kept.recommendation], [2, 2]);
    const idle = decide(input({ current: 3, cpu: undefined, memory: mib([2, 2, 2]) }));
    assert.deepEqual([idle.to, idle.reason], [1, 'memory below target']);
  });

  it('with both targets takes the larger count and names the metric that asked for it', () => {
    // CPU at 20 % wants 1, memory at 90 % wants 4: 4, on memory.
    const up = decide(input({ current: 2, cpu: cores([0.05, 0.05]), memory: mib([58, 58]) }));
    assert.deepEqual([up.to, up.recommendation, up.reason], [4, 4, 'memory above target']);
    assert.equal(up.avgCpuPercent, 10);
    assert.ok(Math.abs((up.avgMemoryPercent ?? 0) - 90.625) < 1e-9);
    // CPU at 200 % wants 4, memory idle wants 1: 4, on CPU.
    const cpuUp = decide(input({ current: 1, cpu: cores([1]), memory: mib([1]) }));
    assert.deepEqual([cpuUp.to, cpuUp.reason], [4, 'cpu above target']);
    // Both below target: down only as far as the busier one allows, and that one is named.
    const down = decide(input({ current: 4, cpu: cores([0, 0, 0, 0]), memory: mib([16, 16, 16, 16]) }));
    assert.deepEqual([down.to, down.reason], [2, 'memory below target']);
  });

  it('does not scale down while a targeted metric has no data, but scales up on the other', () => {
    const down = decide(input({ current: 3, cpu: cores([0, 0, 0]), memory: mib([]) }));
    assert.deepEqual([down.to, down.reason], [3, 'steady']);
    const up = decide(input({ current: 1, cpu: cores([]), memory: mib([60]) }));
    assert.deepEqual([up.to, up.reason], [2, 'memory above target']);
  });

  it('is refused at the schema without a target, with a message that says what to give', () => {
    const none = AutoscalePut.safeParse({ min: 1, max: 3 });
    assert.equal(none.success, false);
    assert.deepEqual(
      none.error?.issues.map((i) => i.message),
      ['give targetCpuPercent, targetMemoryPercent or both'],
    );
    assert.equal(AutoscalePut.safeParse({ min: 1, max: 3, targetMemoryPercent: 50 }).success, true);
    assert.equal(AutoscalePut.safeParse({ min: 1, max: 3, targetCpuPercent: 50, targetMemoryPercent: 80 }).success, true);
    assert.equal(AutoscalePut.safeParse({ min: 1, max: 3, targetMemoryPercent: 101 }).success, false);
  });
});
