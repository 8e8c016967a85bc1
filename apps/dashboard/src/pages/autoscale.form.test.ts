import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AutoscalePut, type Autoscale } from '@gureum/contract';
import { autoscaleBody, describeMetric, EMPTY_AUTOSCALE_FORM, formOfPolicy } from './autoscale.form.js';

describe('autoscaling form', () => {
  it('sends the targets typed, on memory alone or both, with the schema defaults filled in', () => {
    const memory = autoscaleBody({ ...EMPTY_AUTOSCALE_FORM, memoryPercent: '70', upSeconds: '', downSeconds: '' });
    assert.ok(memory.ok);
    assert.deepEqual(memory.body, { min: 1, max: 3, targetMemoryPercent: 70, scaleUpStabilizationSeconds: 0, scaleDownStabilizationSeconds: 300 });
    const both = autoscaleBody({ ...EMPTY_AUTOSCALE_FORM, cpuPercent: '60', memoryPercent: '80' });
    assert.ok(both.ok);
    assert.deepEqual([both.body.targetCpuPercent, both.body.targetMemoryPercent], [60, 80]);
  });

  it('says, with the API’s own words, that a target is needed, and which numbers are wrong', () => {
    const none = autoscaleBody(EMPTY_AUTOSCALE_FORM);
    assert.ok(!none.ok);
    const api = AutoscalePut.safeParse({ min: 1, max: 3 });
    assert.ok(!api.success);
    assert.equal(none.errors[''], api.error.issues[0]?.message);
    assert.equal(none.errors[''], 'give targetCpuPercent, targetMemoryPercent or both');
    const bad = autoscaleBody({ ...EMPTY_AUTOSCALE_FORM, min: '', memoryPercent: 'lots', cpuPercent: '150' });
    assert.ok(!bad.ok);
    assert.equal(bad.errors.min, 'enter a number');
    assert.equal(bad.errors.targetMemoryPercent, 'must be a number');
    assert.match(bad.errors.targetCpuPercent ?? '', /100/);
  });

  it('edits an existing policy, and shows each metric with its figure or as no target', () => {
    const policy: Autoscale = {
      project: 'lab',
      instance: 'web',
      component: 'main',
      min: 2,
      max: 6,
      targetCpuPercent: null,
      targetMemoryPercent: 50,
      scaleUpStabilizationSeconds: 0,
      scaleDownStabilizationSeconds: 600,
      currentReplicas: 3,
      lastCpuPercent: null,
      lastMemoryPercent: 74.96,
      lastDecisionAt: null,
      lastDecision: null,
    };
    assert.deepEqual(formOfPolicy(policy), { min: '2', max: '6', cpuPercent: '', memoryPercent: '50', upSeconds: '0', downSeconds: '600' });
    assert.equal(describeMetric(policy.targetMemoryPercent, policy.lastMemoryPercent), '75.0% of the limit (target 50%)');
    assert.equal(describeMetric(policy.targetCpuPercent, policy.lastCpuPercent), 'not a target');
    assert.equal(describeMetric(60, null), 'no figure yet (target 60%)');
  });
});
