import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AlertRule, AuditEntry, Autoscale, Policy, Settings, Usage, User } from '@gureum/contract';
import { busyboxApp, tempDir, TEST_IMAGE, uniqueName, type TestGureum } from '../../server/test/support/harness.js';
import { cliEnv, gureum, ok, useProjectGureum } from './support.js';

const work = tempDir('gureum-cli-gov-');
let g: TestGureum;
let env: Record<string, string>;
let project: string;
useProjectGureum('cli-gov', (started) => ({ g, env, project } = started));

/** `gureum login` as USER with its password on stdin, in a config dir of its own. */
const login = (user: string, password: string) => gureum(cliEnv(path.join(work, `${user}-${uniqueName('cfg')}`)), ['login', '-u', user, '--password-stdin', g.url], `${password}\n`);

describe('gureum users, quota, policy, audit, alerts and autoscale against a real Gureum', () => {
  it('creates users, and a disabled user cannot log in until enabled again', async () => {
    assert.equal(await ok(env, ['users', 'create', 'dora', '--password-stdin', '-q'], 'dora-password\n'), 'dora\n');
    assert.equal((await login('dora', 'dora-password')).code, 0);
    assert.equal(await ok(env, ['users', 'disable', 'dora']), 'dora\n');
    const users = JSON.parse(await ok(env, ['users', '-o', 'json'])) as User[];
    assert.equal(users.find((u) => u.name === 'dora')?.disabled, true);
    assert.match(await ok(env, ['users']), /^dora\s+no\s+disabled/m);
    const refused = await login('dora', 'dora-password');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /LOGIN_FAILED, HTTP 401/);
    await ok(env, ['users', 'enable', 'dora']);
    assert.equal((await login('dora', 'dora-password')).code, 0);
    const empty = await gureum(env, ['users', 'create', 'eve', '--password-stdin'], '');
    assert.equal(empty.code, 2, 'no password on stdin is a usage error');
    await ok(env, ['users', 'rm', 'dora']);
    assert.ok(!(await ok(env, ['users', '-q'])).split('\n').includes('dora'));
  });

  it('changes your own password: a wrong current one is refused with PASSWORD_INCORRECT, the right one works', async () => {
    await ok(env, ['users', 'create', 'carl', '--password-stdin'], 'carl-password\n');
    const configDir = path.join(work, 'carl');
    const carl = cliEnv(configDir);
    await ok(carl, ['login', '-u', 'carl', '--password-stdin', g.url], 'carl-password\n');
    const wrong = await gureum(carl, ['passwd', '--password-stdin'], 'not-my-password\ncarl-new-password\n');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /PASSWORD_INCORRECT, HTTP 403/);
    const changed = await gureum(carl, ['passwd', '--password-stdin'], 'carl-password\ncarl-new-password\n');
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal((await login('carl', 'carl-password')).code, 1, 'the old password no longer works');
    assert.equal((await login('carl', 'carl-new-password')).code, 0);
    await ok(env, ['users', 'passwd', 'carl', '--password-stdin'], 'reset-by-admin\n');
    assert.equal((await login('carl', 'reset-by-admin')).code, 0);
  });

  it('sets a quota, shows it with the measured volume use, and refuses a launch over it', async () => {
    await ok(env, ['quota', 'set', 'memory=10GiB', 'cpus=4', 'volume-size=1G']);
    await ok(env, ['volumes', 'create', 'data', '--size', '64M']);
    const usage = JSON.parse(await ok(env, ['quota', project, '-o', 'json'])) as Usage;
    assert.equal(usage.quota.memoryBytes, 10 * 1024 ** 3);
    assert.equal(usage.quota.cpus, 4);
    assert.equal(usage.used.volumeBytes, 64 * 1024 ** 2);
    assert.equal(typeof usage.measured.volumeBytes, 'number');
    const table = await ok(env, ['quota']);
    assert.match(table, /^memory\s+0B\s+10\.0GiB$/m);
    assert.match(table, /^volume size\s+64\.0MiB\s+1\.0GiB$/m);
    assert.match(table, /^volume data on disk:/m);
    await ok(env, ['quota', 'set', 'memory=none', 'instances=0']);
    assert.equal((JSON.parse(await ok(env, ['quota', 'show', '-o', 'json'])) as Usage).quota.memoryBytes, null);
    const app = uniqueName('quota-app');
    await g.client.call('createApp', { body: busyboxApp(app) });
    const over = await gureum(env, ['run', app]);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /QUOTA_EXCEEDED, HTTP 403/);
    assert.equal(await ok(env, ['ps', '-q']), '', 'nothing was launched');
    const bad = await gureum(env, ['quota', 'set', 'gpus=1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no quota named gpus/);
    await ok(env, ['quota', 'set', 'instances=none', 'cpus=none', 'volume-size=none']);
    assert.deepEqual(Object.values((JSON.parse(await ok(env, ['quota', '-o', 'json'])) as Usage).quota), [null, null, null, null, null, null]);
    await ok(env, ['volumes', 'rm', 'data']);
  });

  it('shows and sets the container policy, from flags and from a file', async () => {
    assert.match(await ok(env, ['policy']), /^allowHostNetwork:\s+false$/m);
    await ok(env, ['policy', 'set', '--allow-host-network', '--pids-limit', '2048', '--allow-capabilities', 'SYS_PTRACE']);
    let policy = JSON.parse(await ok(env, ['policy', project, '-o', 'json'])) as Policy;
    assert.deepEqual([policy.allowHostNetwork, policy.pidsLimit, policy.allowCapabilities, policy.allowPrivileged], [true, 2048, ['SYS_PTRACE'], false]);
    const file = path.join(work, 'policy.yaml');
    fs.writeFileSync(file, 'allowHostPaths: [/data]\npidsLimit: 512\n');
    await ok(env, ['policy', 'set', '-f', file, '--no-allow-host-network']);
    policy = JSON.parse(await ok(env, ['policy', '-o', 'json'])) as Policy;
    assert.deepEqual([policy.allowHostNetwork, policy.pidsLimit, policy.allowHostPaths, policy.allowCapabilities], [false, 512, ['/data'], []]);
  });

  it('shows and changes the installation settings; a mistyped key is a usage error that changes nothing', async () => {
    assert.match(await ok(env, ['settings']), /^project creation:\s+everyone$/m);
    const set = await ok(env, ['settings', 'set', 'project-creation=admins', 'default-quota.instances=5', 'default-memory=256Mi', 'webhooks.allow=10.1.0.0/16']);
    assert.match(set, /^settings changed$/m);
    assert.match(set, /^default quota:\s+instances 5$/m);
    assert.match(set, /^default memory:\s+256MiB$/m);
    assert.match(set, /^webhooks allow:\s+10\.1\.0\.0\/16$/m);
    const shown = JSON.parse(await ok(env, ['settings', '-o', 'json'])) as Settings;
    assert.equal(shown.projectCreation, 'admins');
    assert.deepEqual(shown.defaultQuota, { instances: 5 });
    assert.equal(shown.defaultResources.memoryBytes, 256 * 1024 * 1024);
    const typo = await gureum(env, ['settings', 'set', 'project-creaton=everyone']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /no setting named project-creaton; keys: project-creation, /);
    const badRange = await gureum(env, ['settings', 'set', 'webhooks.deny=10.0.0.0/40']);
    assert.equal(badRange.code, 1);
    assert.match(badRange.stderr, /must be an address range.*VALIDATION_FAILED/s);
    await ok(env, ['settings', 'set', 'project-creation=everyone', 'default-quota.instances=none', 'default-memory=none', 'webhooks.allow=none']);
    assert.match(await ok(env, ['settings']), /^default memory:\s+unlimited$/m);
  });

  it('shows the earlier actions in the audit log, global and per project', async () => {
    const all = JSON.parse(await ok(env, ['audit', '--limit', '1000', '-o', 'json'])) as AuditEntry[];
    const oldestFirst = JSON.parse(await ok(env, ['audit', '--order', 'asc', '--limit', '1000', '-o', 'json'])) as AuditEntry[];
    assert.deepEqual(all.map((a) => a.id), oldestFirst.map((a) => a.id).reverse(), 'newest first, unless --order asc');
    const older = JSON.parse(await ok(env, ['audit', '--limit', '2', '--before', String(all[1]!.id), '-o', 'json'])) as AuditEntry[];
    assert.deepEqual(older.map((a) => a.id), all.slice(2, 4).map((a) => a.id), 'the next page is --before the last id shown');
    const actions = new Set(all.map((a) => a.action));
    for (const action of ['createUser', 'updateUser', 'changePassword', 'updateQuota', 'putPolicy']) assert.ok(actions.has(action), `${action} is in the audit log`);
    assert.ok(all.some((a) => a.action === 'changePassword' && a.outcome === 'refused' && a.code === 'PASSWORD_INCORRECT'));
    const mine = JSON.parse(await ok(env, ['audit', '-p', project, '-o', 'json'])) as AuditEntry[];
    assert.ok(mine.length > 0 && mine.every((a) => a.project === project));
    assert.ok(mine.some((a) => a.action === 'putPolicy'));
    assert.match(await ok(env, ['audit', '-p', project, '--since', '1h']), /^ID\s+TIME\s+ACTOR\s+ACTION/);
  });

  it('prints an alert rule’s webhook secret once, at creation', async () => {
    const created = await ok(env, ['alerts', 'create', 'hot', '-m', 'cpu_cores', '--when', '>1.5', '--for', '2m', '--webhook', 'http://127.0.0.1:9/hook']);
    const secret = /shown only now\):\n(\S+)\n/.exec(created)?.[1];
    assert.ok(secret !== undefined && secret.length >= 16, created);
    const shown = await ok(env, ['alerts', 'show', 'hot']);
    assert.match(shown, /condition:\s+avg cpu_cores > 1\.5 over 60s, for 120s/);
    assert.ok(!shown.includes(secret), 'show never prints the secret');
    const json = await ok(env, ['alerts', 'show', 'hot', '-o', 'json']);
    assert.ok(!json.includes(secret));
    assert.equal((JSON.parse(json) as AlertRule).webhook?.url, 'http://127.0.0.1:9/hook');
    assert.match(await ok(env, ['alerts']), /^hot\s+(inactive|pending|firing)\s+avg cpu_cores > 1\.5/m);
    const file = path.join(work, 'rule.yaml');
    fs.writeFileSync(file, 'name: quiet\nmetric: memory_bytes\ncomparison: "<"\nthreshold: 1000\n');
    const quiet = await ok(env, ['alerts', 'create', '-f', file]);
    assert.equal(quiet, 'alert rule quiet created\n', 'no webhook, no secret');
    assert.equal(await ok(env, ['alerts', 'deliveries', 'hot', '-q']), '');
    assert.equal(await ok(env, ['alerts', 'firing', '-o', 'json']).then((t) => Array.isArray(JSON.parse(t))), true);
    await ok(env, ['alerts', 'rm', 'hot', 'quiet']);
    assert.equal(await ok(env, ['alerts', '-q']), '');
  });

  it('sets, shows and removes autoscaling, refused on a component without a CPU limit', async () => {
    const app = uniqueName('scale-app');
    await g.client.call('createApp', {
      body: {
        name: app,
        components: [
          { name: 'web', image: TEST_IMAGE, command: ['sleep', '3600'], resources: { cpus: 0.5 } },
          { name: 'side', image: TEST_IMAGE, command: ['sleep', '3600'] },
        ],
      },
    });
    await ok(env, ['run', app, '--name', 'scaled']);
    assert.match(await ok(env, ['autoscale', 'set', 'scaled/web', '--min', '1', '--max', '4', '--cpu-percent', '60', '--down-window', '10m']), /scaled\/web autoscales between 1 and 4 replicas at 60% CPU/);
    const policy = JSON.parse(await ok(env, ['autoscale', 'scaled/web', '-o', 'json'])) as Autoscale;
    assert.deepEqual([policy.min, policy.max, policy.targetCpuPercent, policy.scaleDownStabilizationSeconds], [1, 4, 60, 600]);
    assert.match(await ok(env, ['autoscale', 'show', 'scaled/web']), /^target cpu:\s+60% of the CPU limit$/m);
    const refused = await gureum(env, ['autoscale', 'set', 'scaled/side', '--min', '1', '--max', '3', '--cpu-percent', '50']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /AUTOSCALE_NEEDS_CPU_LIMIT, HTTP 409/);
    assert.equal(await ok(env, ['autoscale', 'rm', 'scaled/web']), 'scaled/web\n');
    const gone = await gureum(env, ['autoscale', 'scaled/web']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /AUTOSCALE_NOT_FOUND/);
    const usage = await gureum(env, ['autoscale', 'scaled']);
    assert.equal(usage.code, 2);
    await ok(env, ['rm', 'scaled', '--wait']);
  });
});
