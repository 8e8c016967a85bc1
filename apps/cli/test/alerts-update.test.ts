import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertRule, AlertRuleCreated, Autoscale } from '@gureum/contract';
import { TEST_IMAGE, uniqueName, type TestGureum } from '../../server/test/support/harness.js';
import { gureum, ok, useProjectGureum } from './support.js';

let g: TestGureum;
let env: Record<string, string>;
let project: string;
useProjectGureum('cli-upd', (started) => ({ g, env, project } = started));

const secretIn = (output: string) => /shown only now\):\n(\S+)\n/.exec(output)?.[1];

describe('gureum alerts update and autoscale --memory against a real Gureum', () => {
  it('changes a rule’s threshold and keeps the rest, as alerts show then says', async () => {
    const created = await ok(env, ['alerts', 'create', 'hot', '-m', 'cpu_cores', '--agg', 'max', '--when', '>1.5', '--for', '2m', '--webhook', 'http://127.0.0.1:9/hook']);
    const first = secretIn(created);
    assert.ok(first !== undefined, created);

    assert.equal(await ok(env, ['alerts', 'update', 'hot', '--when', '>= 2.5', '--for', '5m']), 'alert rule hot updated\n', 'the secret stays and is not shown');
    const shown = await ok(env, ['alerts', 'show', 'hot']);
    assert.match(shown, /^condition:\s+max cpu_cores >= 2\.5 over 60s, for 300s$/m);
    assert.match(shown, /^webhook:\s+http:\/\/127\.0\.0\.1:9\/hook$/m);
    const rule = JSON.parse(await ok(env, ['alerts', 'show', 'hot', '-o', 'json'])) as AlertRule;
    assert.deepEqual([rule.metric, rule.agg, rule.scope, rule.threshold, rule.comparison, rule.forSeconds, rule.windowSeconds, rule.enabled], ['cpu_cores', 'max', 'project', 2.5, '>=', 300, 60, true]);

    await ok(env, ['alerts', 'update', 'hot', '--disabled', '-m', 'memory_bytes', '--when', '>1000000']);
    assert.match(await ok(env, ['alerts']), /^hot\s+disabled\s+max memory_bytes > 1000000/m);
    await ok(env, ['alerts', 'update', 'hot', '--enabled']);
    assert.equal((JSON.parse(await ok(env, ['alerts', 'show', 'hot', '-o', 'json'])) as AlertRule).enabled, true);
  });

  it('rotates the webhook secret, showing the new one once', async () => {
    const rotated = await ok(env, ['alerts', 'update', 'hot', '--rotate-secret']);
    const secret = secretIn(rotated);
    assert.ok(secret !== undefined && secret.length >= 16, rotated);
    assert.match(rotated, /^alert rule hot updated\n/);
    const again = JSON.parse(await ok(env, ['alerts', 'update', 'hot', '--rotate-secret', '-o', 'json'])) as AlertRuleCreated;
    assert.ok(again.webhookSecret !== null && again.webhookSecret !== secret, 'a new secret each time');
    assert.ok(!(await ok(env, ['alerts', 'show', 'hot', '-o', 'json'])).includes(again.webhookSecret));
    const noHook = await gureum(env, ['alerts', 'update', 'hot', '--no-webhook', '--rotate-secret']);
    assert.equal(noHook.code, 2, noHook.stderr);
    await ok(env, ['alerts', 'update', 'hot', '--no-webhook']);
    assert.equal((JSON.parse(await ok(env, ['alerts', 'show', 'hot', '-o', 'json'])) as AlertRule).webhook, null);
  });

  it('exits non-zero with the API’s code for a missing rule, and 2 when nothing is to change', async () => {
    const missing = await gureum(env, ['alerts', 'update', 'nope', '--when', '>1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ALERT_NOT_FOUND, HTTP 404/);
    const nothing = await gureum(env, ['alerts', 'update', 'hot']);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /nothing to change/);
    const refused = await gureum(env, ['alerts', 'update', 'hot', '--window', '5']);
    assert.equal(refused.code, 1, 'the API refuses a window under 10 s');
    assert.match(refused.stderr, /VALIDATION_FAILED, HTTP 400/);
    await ok(env, ['alerts', 'rm', 'hot']);
  });

  it('autoscales on memory with --memory, refused without a memory limit or a target', async () => {
    const app = uniqueName('mem-app');
    await g.client.call('createApp', {
      body: {
        name: app,
        components: [
          { name: 'web', image: TEST_IMAGE, command: ['sleep', '3600'], resources: { memoryBytes: 64 * 1024 * 1024 } },
          { name: 'side', image: TEST_IMAGE, command: ['sleep', '3600'], resources: { cpus: 0.5 } },
        ],
      },
    });
    await g.client.call('createInstance', { params: { project }, body: { name: 'mem', app } });
    assert.equal(await ok(env, ['autoscale', 'set', 'mem/web', '--min', '1', '--max', '3', '--memory', '70']), 'mem/web autoscales between 1 and 3 replicas at 70% memory\n');
    const policy = JSON.parse(await ok(env, ['autoscale', 'mem/web', '-o', 'json'])) as Autoscale;
    assert.deepEqual([policy.targetCpuPercent, policy.targetMemoryPercent, policy.min, policy.max], [null, 70, 1, 3]);
    const shown = await ok(env, ['autoscale', 'show', 'mem/web']);
    assert.match(shown, /^target cpu:\s+-$/m);
    assert.match(shown, /^target memory:\s+70% of the memory limit$/m);
    assert.match(shown, /^last memory:\s+(-|\d+\.\d%)$/m);
    const noLimit = await gureum(env, ['autoscale', 'set', 'mem/side', '--min', '1', '--max', '3', '--cpu-percent', '50', '--memory', '70']);
    assert.equal(noLimit.code, 1);
    assert.match(noLimit.stderr, /AUTOSCALE_NEEDS_MEMORY_LIMIT, HTTP 409/);
    const noTarget = await gureum(env, ['autoscale', 'set', 'mem/web', '--min', '1', '--max', '3']);
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /give --cpu-percent, --memory or both/);
    assert.equal(await ok(env, ['autoscale', 'rm', 'mem/web']), 'mem/web\n');
  });
});
