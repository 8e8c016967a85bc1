/**
 * Autoscaling on a real engine: a CPU burner component (0.25 core each, so the load stays
 * bounded) scales up under load and back to its minimum after the load stops; decisions are
 * events with their figures and never leave [min, max]. Also the policy's API: validation,
 * clamping at once, deletion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openExec } from '../identity/identity-kit.js';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { autoscaledEvents, FAST_AUTOSCALING, burnerApp, refusal } from '../alerts/support.js';

let g: TestGureum;
const project = uniqueName('as');
const burner = uniqueName('as-burn');
const plain = uniqueName('as-plain');
const P = { project };

before(async () => {
  g = await startGureum(FAST_AUTOSCALING);
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: burnerApp(burner, 0.25) });
  await g.client.call('createApp', { body: busyboxApp(plain) });
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

const autoscaled = (instance: string) => autoscaledEvents(g, project, instance);

describe('autoscaling policies', () => {
  it('refuses components it cannot measure or find, and bounds that cross', async () => {
    await g.client.call('createInstance', { params: P, body: { name: 'nolimit', app: plain, replicas: 0 } });
    await g.client.call('createInstance', { params: P, body: { name: 'idle', app: burner, replicas: 0 } });
    const put = (instance: string, component: string, body: Record<string, unknown>) => g.client.call('putAutoscale', { params: { project, instance, component }, body: body as never });
    const ok = { min: 1, max: 3, targetCpuPercent: 50 };
    assert.deepEqual(await refusal(put('nolimit', 'main', ok)), { status: 409, code: 'AUTOSCALE_NEEDS_CPU_LIMIT' });
    assert.deepEqual(await refusal(put('idle', 'nope', ok)), { status: 404, code: 'COMPONENT_NOT_FOUND' });
    assert.deepEqual(await refusal(put('ghost', 'main', ok)), { status: 404, code: 'INSTANCE_NOT_FOUND' });
    assert.deepEqual(await refusal(put('idle', 'main', { min: 3, max: 2, targetCpuPercent: 50 })), { status: 400, code: 'VALIDATION_FAILED' });
    assert.deepEqual(await refusal(put('idle', 'main', { min: 1, max: 2, targetCpuPercent: 0 })), { status: 400, code: 'VALIDATION_FAILED' });
    assert.deepEqual(await refusal(g.client.call('getAutoscale', { params: { project, instance: 'idle', component: 'main' } })), { status: 404, code: 'AUTOSCALE_NOT_FOUND' });
    const i = await g.client.call('getInstance', { params: { project, instance: 'idle' } });
    assert.equal(i.components[0]?.desiredReplicas, 0, 'nothing changed by the refusals');
  });

  it('brings the count into [min, max] at once, and leaves it when the policy is deleted', async () => {
    const policy = await g.client.call('putAutoscale', { params: { project, instance: 'idle', component: 'main' }, body: { min: 1, max: 2, targetCpuPercent: 50 } });
    assert.equal(policy.currentReplicas, 1);
    assert.equal(policy.scaleDownStabilizationSeconds, 300);
    assert.match(policy.lastDecision ?? '', /0 → 1: policy bounds/);
    assert.equal((await g.client.call('getInstance', { params: { project, instance: 'idle' } })).components[0]?.desiredReplicas, 1);
    const [event] = await autoscaled('idle');
    assert.deepEqual({ from: event?.data.from, to: event?.data.to, reason: event?.data.reason }, { from: 0, to: 1, reason: 'policy bounds' });
    await g.client.call('deleteAutoscale', { params: { project, instance: 'idle', component: 'main' } });
    assert.deepEqual(await refusal(g.client.call('getAutoscale', { params: { project, instance: 'idle', component: 'main' } })), { status: 404, code: 'AUTOSCALE_NOT_FOUND' });
    assert.equal((await g.client.call('getInstance', { params: { project, instance: 'idle' } })).components[0]?.desiredReplicas, 1);
    await g.client.call('deleteInstance', { params: { project, instance: 'idle' } });
  });

  it('scales a burner up under load and back down to min after the load stops, never leaving [min, max]', async () => {
    const instance = 'burn';
    await g.client.call('createInstance', { params: P, body: { name: instance, app: burner, replicas: 1 } });
    await g.client.call('putAutoscale', { params: { project, instance, component: 'main' }, body: { min: 1, max: 3, targetCpuPercent: 50, scaleUpStabilizationSeconds: 0, scaleDownStabilizationSeconds: 6 } });
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance } })).phase === 'running', { what: 'the burner to run' });

    const seen = new Set<number>();
    const watch = async () => {
      const policy = await g.client.call('getAutoscale', { params: { project, instance, component: 'main' } });
      seen.add(policy.currentReplicas);
      return policy;
    };
    // Quiet first: an idle burner is not scaled up.
    await waitFor(async () => (await watch()).lastCpuPercent !== null, { timeoutMs: 60_000, what: 'a first CPU figure' });
    assert.equal((await watch()).currentReplicas, 1);

    const started = await openExec(g, g.token, project, instance, ['touch', '/load/on']);
    assert.deepEqual(started, { output: '', exit: 0 });
    const up = await waitFor(async () => ((await watch()).currentReplicas === 3 ? watch() : undefined), { timeoutMs: 120_000, intervalMs: 500, what: 'the burner to scale up to 3' });
    assert.ok((up.lastCpuPercent ?? 0) > 50, `CPU under load: ${up.lastCpuPercent}`);
    const ups = await autoscaled(instance);
    assert.ok(ups.length >= 1);
    for (const e of ups) {
      assert.equal(e.data.reason, 'cpu above target', e.message);
      assert.ok((e.data.avgCpuPercent as number) > 55, e.message);
      assert.equal(e.data.targetCpuPercent, 50);
      assert.ok((e.data.to as number) > (e.data.from as number) && (e.data.to as number) <= 3, e.message);
    }
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance } })).components[0]?.readyReplicas === 3, { timeoutMs: 60_000, what: '3 replicas running' });

    const stopped = await openExec(g, g.token, project, instance, ['rm', '/load/on']);
    assert.deepEqual(stopped, { output: '', exit: 0 });
    const down = await waitFor(async () => ((await watch()).currentReplicas === 1 ? watch() : undefined), { timeoutMs: 120_000, intervalMs: 500, what: 'the burner to scale back to 1' });
    assert.ok((down.lastCpuPercent ?? 100) < 50, `CPU after the load: ${down.lastCpuPercent}`);
    assert.match(down.lastDecision ?? '', /→ 1: cpu below target/);
    const downs = (await autoscaled(instance)).slice(ups.length);
    assert.ok(downs.length >= 1);
    for (const e of downs) {
      assert.equal(e.data.reason, 'cpu below target', e.message);
      assert.ok((e.data.to as number) < (e.data.from as number) && (e.data.to as number) >= 1, e.message);
    }
    assert.ok([...seen].every((n) => n >= 1 && n <= 3), `counts seen: ${[...seen].join(', ')}`);
  });
});
