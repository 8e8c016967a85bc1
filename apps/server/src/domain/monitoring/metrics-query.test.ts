import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../core/errors.js';
import { addBucket, parseStep, parseTime, planQuery, pointsOf, segmentsOf, type SeriesBuckets, type TierSpec } from './metrics-query.js';

const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
const H = 3600;
const D = 86_400;
const TIERS: TierSpec[] = [
  { tier: 'raw', resolution: 10, keep: 24 * H },
  { tier: '1m', resolution: 60, keep: 7 * D },
  { tier: '1h', resolution: 3600, keep: 90 * D },
];
const invalid = (message: RegExp) => (err: unknown) => err instanceof DomainError && err.code === 'METRIC_QUERY_INVALID' && message.test(err.message);

describe('metric query planning', () => {
  it('reads times: relative, now, unix seconds or ms, ISO', () => {
    assert.equal(parseTime('-90s', NOW, 0, 'from'), NOW - 90_000);
    assert.equal(parseTime('-7d', NOW, 0, 'from'), NOW - 7 * D * 1000);
    assert.equal(parseTime('now', NOW, 0, 'to'), NOW);
    assert.equal(parseTime(undefined, NOW, 42, 'to'), 42);
    assert.equal(parseTime('1736510400', NOW, 0, 'from'), 1_736_510_400_000);
    assert.equal(parseTime('1736510400000', NOW, 0, 'from'), 1_736_510_400_000);
    assert.equal(parseTime('2025-01-10T12:00:00Z', NOW, 0, 'from'), NOW);
    assert.throws(() => parseTime('2025-13-45T99:00:00Z', NOW, 0, 'from'), invalid(/from/));
    // Found by the fuzzer: an absurd range was answered with steps past 2^53.
    assert.throws(() => parseTime('-674596831277041672d', NOW, 0, 'from'), invalid(/from: .* is out of range: a time from 1970 to a year from now/));
    assert.throws(() => parseTime('99999999999999999', NOW, 0, 'to'), invalid(/out of range/));
    assert.throws(() => parseTime('1600-01-01T00:00:00Z', NOW, 0, 'from'), invalid(/out of range/));
    assert.equal(parseStep('60'), 60);
    assert.equal(parseStep('1m'), 60);
    assert.equal(parseStep('2h'), 7200);
    assert.throws(() => parseStep('0'), invalid(/at least one second/));
  });

  it('picks the coarsest tier that keeps the range, no coarser than the step', () => {
    const day = planQuery({ from: NOW - 24 * H * 1000, to: NOW, step: 60 }, NOW, TIERS);
    assert.deepEqual([day.tier, day.step], ['1m', 60]);
    const recent = planQuery({ from: NOW - H * 1000, to: NOW, step: 30 }, NOW, TIERS);
    assert.deepEqual([recent.tier, recent.step], ['raw', 30]);
    const week = planQuery({ from: NOW - 7 * D * 1000, to: NOW, step: 3600 }, NOW, TIERS);
    assert.deepEqual([week.tier, week.step], ['1h', 3600]);
    // Raw is gone for a week ago: 1-minute steps come from the minute tier.
    const weekByMinute = planQuery({ from: NOW - 7 * D * 1000, to: NOW, step: 60 }, NOW, TIERS);
    assert.deepEqual([weekByMinute.tier, weekByMinute.step], ['1m', 60]);
    // A step finer than the tier is raised to it; a roll-up's step to a multiple of its rows.
    const finer = planQuery({ from: NOW - 3 * D * 1000, to: NOW, step: 90 }, NOW, TIERS);
    assert.deepEqual([finer.tier, finer.step], ['1m', 120]);
    const tiny = planQuery({ from: NOW - 60_000, to: NOW, step: 1 }, NOW, TIERS);
    assert.deepEqual([tiny.tier, tiny.step], ['raw', 10]);
    // Older than every tier keeps: the longest-kept tier the step allows.
    const old = planQuery({ from: NOW - 200 * D * 1000, to: NOW - 150 * D * 1000, step: 86_400 }, NOW, TIERS);
    assert.equal(old.tier, '1h');
  });

  it('defaults to about 300 points on a round step, aligned to it', () => {
    const plan = planQuery({ from: NOW - H * 1000, to: NOW }, NOW, TIERS);
    assert.equal(plan.step, 15);
    assert.equal(plan.from % plan.step, 0);
    assert.ok((plan.to - plan.from) / plan.step <= 300);
    assert.equal(planQuery({ from: NOW - 30 * D * 1000, to: NOW }, NOW, TIERS).step, 10_800);
  });

  it('refuses a reversed range and too many points, saying what would do', () => {
    assert.throws(() => planQuery({ from: NOW, to: NOW - 1000 }, NOW, TIERS), invalid(/must be before/));
    assert.throws(() => planQuery({ from: NOW - 7 * D * 1000, to: NOW, step: 1 }, NOW, TIERS), invalid(/at most 11000: use a step of at least 55s/));
    // A step below the raw interval is raised to it, not refused.
    assert.equal(planQuery({ from: NOW - 24 * H * 1000, to: NOW, step: 1 }, NOW, TIERS).step, 10);
  });

  it('reads a roll-up up to where it is rolled, finer tiers for the rest', () => {
    const plan = { from: 0, to: 10_000, step: 3600, tier: '1h' as const };
    assert.deepEqual(segmentsOf(plan, { '1m': 9000, '1h': 7200 }), [
      { tier: '1h', from: 0, to: 7200 },
      { tier: '1m', from: 7200, to: 9000 },
      { tier: 'raw', from: 9000, to: 10_001 },
    ]);
    assert.deepEqual(segmentsOf(plan, { '1m': null, '1h': null }), [{ tier: 'raw', from: 0, to: 10_001 }]);
    assert.deepEqual(segmentsOf({ ...plan, tier: 'raw' }, { '1m': 9000, '1h': 7200 }), [{ tier: 'raw', from: 0, to: 10_001 }]);
  });

  it('averages each series within a step, then combines series by agg; empty steps are null', () => {
    const plan = { from: 0, to: 120, step: 60, tier: 'raw' as const };
    const buckets: SeriesBuckets = new Map();
    addBucket(buckets, 1, 0, 3, 2); // series 1: avg 1.5 in [0, 60)
    addBucket(buckets, 1, 0, 1.5, 1); // a second tier's part of the same step: (3 + 1.5) / 3
    addBucket(buckets, 2, 0, 6, 2); // series 2: avg 3
    addBucket(buckets, 2, 60, 8, 2); // series 2 alone at 60
    assert.deepEqual(pointsOf(plan, buckets, [1, 2], 'sum'), [[0, 4.5], [60_000, 4], [120_000, null]]);
    assert.deepEqual(pointsOf(plan, buckets, [1, 2], 'avg'), [[0, 2.25], [60_000, 4], [120_000, null]]);
    assert.deepEqual(pointsOf(plan, buckets, [1, 2], 'max'), [[0, 3], [60_000, 4], [120_000, null]]);
    assert.deepEqual(pointsOf(plan, buckets, [1, 2], 'min'), [[0, 1.5], [60_000, 4], [120_000, null]]);
  });
});
