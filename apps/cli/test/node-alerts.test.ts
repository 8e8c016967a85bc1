/** `gureum node-alerts` against a real Gureum reading the real node's metrics. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NodeAlertRule, NodeAlertRuleCreated } from '@gureum/contract';
import { startGureum, waitFor, type TestGureum } from '../../server/test/support/harness.js';
import { buildCli, cliEnv, gureum, ok } from './support.js';

let g: TestGureum;
let env: Record<string, string>;

before(async () => {
  buildCli();
  g = await startGureum({ GUREUM_METRICS_INTERVAL_SECONDS: '1', GUREUM_ALERT_INTERVAL_SECONDS: '1' });
  env = cliEnv(undefined, { GUREUM_URL: g.url, GUREUM_TOKEN: g.token });
});

after(async () => {
  await g?.stop();
});

describe('gureum node-alerts against a real Gureum', () => {
  it('creates a disk rule that fires on the real node, shows it in ls, show and alerts firing, updates and removes it', async () => {
    const created = await ok(env, ['node-alerts', 'create', 'disk', '-m', 'node_disk_used_percent', '--when', '>0', '--window', '10s', '--webhook', 'http://127.0.0.1:9/hook']);
    assert.match(created, /^node alert rule disk created\nwebhook signing secret \(shown only now\):\n\S{16,}\n$/);

    await waitFor(async () => /^disk\s+firing\s+node_disk_used_percent > 0\s+every node\s+10s/m.test(await ok(env, ['node-alerts'])), { what: 'the disk rule to fire in node-alerts ls' });
    const shown = await ok(env, ['node-alerts', 'show', 'disk']);
    assert.match(shown, /^condition:\s+node_disk_used_percent > 0 over 10s, for 0s$/m);
    assert.match(shown, /^node:\s+every node$/m);
    const rule = JSON.parse(await ok(env, ['node-alerts', 'show', 'disk', '-o', 'json'])) as NodeAlertRule;
    const node = rule.series[0]?.key;
    assert.ok(node !== undefined, 'one series for the node');
    assert.match(await ok(env, ['alerts', 'firing']), new RegExp(`^-\\s+${node.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+disk\\s+`, 'm'));

    const updated = JSON.parse(await ok(env, ['node-alerts', 'update', 'disk', '--when', '>100', '--node', node, '--rotate-secret', '-o', 'json'])) as NodeAlertRuleCreated;
    assert.deepEqual([updated.threshold, updated.node, updated.metric, updated.windowSeconds], [100, node, 'node_disk_used_percent', 10]);
    assert.ok(updated.webhookSecret !== null);
    await ok(env, ['node-alerts', 'update', 'disk', '--every-node']);
    assert.equal((JSON.parse(await ok(env, ['node-alerts', 'show', 'disk', '-o', 'json'])) as NodeAlertRule).node, null);
    await waitFor(async () => (await ok(env, ['alerts', 'firing', '-q'])) === '', { what: 'the raised threshold to resolve the alert' });

    await ok(env, ['node-alerts', 'rm', 'disk']);
    const gone = await gureum(env, ['node-alerts', 'show', 'disk']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /ALERT_NOT_FOUND, HTTP 404/);
  });

  it('exits non-zero with the API’s code for an unknown metric, and 2 when an update changes nothing', async () => {
    const bad = await gureum(env, ['node-alerts', 'create', 'x', '-m', 'node_gpu_percent', '--when', '>1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /VALIDATION_FAILED, HTTP 400/);
    await ok(env, ['node-alerts', 'create', 'load', '-m', 'node_load1', '--when', '>1000']);
    const nothing = await gureum(env, ['node-alerts', 'update', 'load']);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /nothing to change: .*\(see gureum node-alerts update --help\)/);
  });
});
