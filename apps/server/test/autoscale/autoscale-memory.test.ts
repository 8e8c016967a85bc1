/**
 * Autoscaling on memory on a real engine: a component limited to 64 MiB (and no CPU limit)
 * whose first replica fills its /dev/shm tmpfs to 48 MiB (75 % of the limit) scales up from 1
 * on a 50 % memory target, says so in `instance.autoscaled`, and back to 1 once the file is
 * removed. Also the API's refusals of memory targets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '@gureum/contract';
import { openExec } from '../identity/identity-kit.js';
import { busyboxApp, removeProjects, startGureum, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { autoscaledEvents, FAST_AUTOSCALING, refusal } from '../alerts/support.js';

const MiB = 1024 * 1024;
let g: TestGureum;
const project = uniqueName('asm');
const filler = uniqueName('asm-fill');
const plain = uniqueName('asm-plain');
const P = { project };

before(async () => {
  g = await startGureum(FAST_AUTOSCALING);
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', {
    body: { name: filler, title: `memory filler ${filler}`, components: [{ name: 'main', image: TEST_IMAGE, command: ['sh', '-c', 'exec sleep 3600'], resources: { memoryBytes: 64 * MiB } }] },
  });
  await g.client.call('createApp', { body: busyboxApp(plain) });
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

const autoscaled = (instance: string) => autoscaledEvents(g, project, instance);

describe('autoscaling on memory', () => {
  it('refuses a memory target without a memory limit, and a policy without any target', async () => {
    await g.client.call('createInstance', { params: P, body: { name: 'nolimit', app: plain, replicas: 0 } });
    const put = (instance: string, body: Record<string, unknown>) => g.client.call('putAutoscale', { params: { project, instance, component: 'main' }, body: body as never });
    assert.deepEqual(await refusal(put('nolimit', { min: 1, max: 3, targetMemoryPercent: 50 })), { status: 409, code: 'AUTOSCALE_NEEDS_MEMORY_LIMIT' });
    const none = await put('nolimit', { min: 1, max: 3 }).catch((err: unknown) => err);
    assert.ok(none instanceof ApiError);
    assert.deepEqual([none.status, none.code, none.message], [400, 'VALIDATION_FAILED', 'give targetCpuPercent, targetMemoryPercent or both']);
    assert.deepEqual(await refusal(put('nolimit', { min: 1, max: 3, targetMemoryPercent: 150 })), { status: 400, code: 'VALIDATION_FAILED' });
    assert.equal((await g.client.call('getInstance', { params: { project, instance: 'nolimit' } })).components[0]?.desiredReplicas, 0, 'nothing changed by the refusals');
    await g.client.call('deleteInstance', { params: { project, instance: 'nolimit' } });
  });

  it('scales a component up from 1 when its replica fills a tmpfs to 75 % of its limit, and down when it is emptied', async () => {
    const instance = 'fill';
    const params = { project, instance, component: 'main' };
    await g.client.call('createInstance', { params: P, body: { name: instance, app: filler, replicas: 1 } });
    const policy = await g.client.call('putAutoscale', { params, body: { min: 1, max: 3, targetMemoryPercent: 50, scaleUpStabilizationSeconds: 0, scaleDownStabilizationSeconds: 6 } });
    assert.deepEqual([policy.targetCpuPercent, policy.targetMemoryPercent, policy.currentReplicas], [null, 50, 1]);
    await waitFor(async () => (await g.client.call('getInstance', { params: { project, instance } })).phase === 'running', { timeoutMs: 60_000, what: 'the filler to run' });

    // Idle first: a few hundred KiB of 64 MiB is not scaled up.
    const idle = await waitFor(async () => {
      const p = await g.client.call('getAutoscale', { params });
      return p.lastMemoryPercent !== null ? p : undefined;
    }, { timeoutMs: 60_000, what: 'a first memory figure' });
    assert.ok((idle.lastMemoryPercent ?? 100) < 10, `idle memory: ${idle.lastMemoryPercent}%`);
    assert.equal(idle.lastCpuPercent, null, 'CPU is not a target');
    assert.equal(idle.currentReplicas, 1);

    const filled = await openExec(g, g.token, project, instance, ['sh', '-c', 'dd if=/dev/zero of=/dev/shm/fill bs=1048576 count=48 2>/dev/null && echo filled']);
    assert.deepEqual(filled, { output: 'filled\r\n', exit: 0 }); // a terminal's line end
    const up = await waitFor(async () => {
      const p = await g.client.call('getAutoscale', { params });
      return p.currentReplicas >= 2 ? p : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500, what: 'the filler to scale up' });
    assert.match(up.lastDecision ?? '', /^1 → 2: memory above target: average memory \d+% of limit, target 50%$/);
    const [event] = await autoscaled(instance);
    assert.ok(event, 'an instance.autoscaled event');
    assert.deepEqual([event.data.from, event.data.to, event.data.reason, event.data.targetMemoryPercent], [1, 2, 'memory above target', 50]);
    // Above the target's tolerance, and at most 48 MiB of tmpfs plus the shell of 64 MiB (the window may still hold samples from before the fill).
    assert.ok((event.data.avgMemoryPercent as number) > 55 && (event.data.avgMemoryPercent as number) <= 90, event.message);
    assert.ok(!('avgCpuPercent' in event.data), 'no CPU figure without a CPU target');
    assert.match(event.message, /autoscaled 1 → 2 \(memory above target, average memory \d+% of limit, target 50%\)/);

    // The file gone, its memory is freed at once: back to 1.
    const emptied = await openExec(g, g.token, project, instance, ['rm', '/dev/shm/fill']);
    assert.deepEqual(emptied, { output: '', exit: 0 });
    const down = await waitFor(async () => {
      const p = await g.client.call('getAutoscale', { params });
      return p.currentReplicas === 1 ? p : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500, what: 'the filler to scale back to 1' });
    assert.match(down.lastDecision ?? '', /→ 1: memory below target/);
    assert.ok((down.lastMemoryPercent ?? 100) < 25, `memory after emptying: ${down.lastMemoryPercent}%`);
    const events = await autoscaled(instance);
    assert.ok(events.every((e) => (e.data.to as number) >= 1 && (e.data.to as number) <= 3), events.map((e) => e.message).join('\n'));
    assert.equal(events.at(-1)?.data.reason, 'memory below target');
  });
});
