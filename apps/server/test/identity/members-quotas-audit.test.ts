/**
 * Multi-tenancy in use: members and roles, what viewers and non-members see, quotas (also
 * under concurrent requests), and the append-only audit log.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditEntry, Event, Instance, Member, Quota } from '@gureum/contract';
import SqliteDatabase from 'better-sqlite3';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { addMember, callRoute, codeOf, createUser, followEvents, openExec, type Reply, type TestUser } from './identity-kit.js';

let g: TestGureum;
let owner: TestUser;
let member: TestUser;
let viewer: TestUser;
let outsider: TestUser;
const project = uniqueName('team');
const elsewhere = uniqueName('other');
const app = uniqueName('mqa');
const made: string[] = [project, elsewhere];

before(async () => {
  g = await startGureum();
  [owner, member, viewer, outsider] = await Promise.all([createUser(g, 'olga'), createUser(g, 'max'), createUser(g, 'vera'), createUser(g, 'oscar')]);
  await g.client.call('createApp', { body: busyboxApp(app) });
  assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name: project } })).status, 201);
  assert.equal((await callRoute(g, 'createProject', { token: outsider.token, body: { name: elsewhere } })).status, 201);
});

after(async () => {
  await g?.stop();
  await removeProjects(...made);
});

/** What GET usage answers. */
interface UsageView {
  quota: Quota;
  used: Record<keyof Quota, number>;
}

function assertRefused(r: Reply, status: number, code: string, what: string): void {
  assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
  assert.equal(codeOf(r), code, what);
}

async function members(p: string): Promise<Record<string, string>> {
  const r = await callRoute(g, 'listMembers', { token: g.token, params: { project: p } });
  return Object.fromEntries((r.body as Member[]).map((m) => [m.user, m.role]));
}

describe('members', () => {
  it('makes the creator of a project its owner', async () => {
    assert.deepEqual(await members(project), { [owner.name]: 'owner' });
    const me = (await callRoute(g, 'whoami', { token: owner.token })).body as { memberships: { project: string; role: string }[] };
    assert.deepEqual(
      me.memberships.filter((m) => m.project === project),
      [{ project, role: 'owner' }],
    );
  });

  it('lets the owner add members and viewers; a member cannot manage members', async () => {
    assert.equal((await callRoute(g, 'putMember', { token: owner.token, params: { project, user: member.name }, body: { role: 'member' } })).status, 200);
    assert.equal((await callRoute(g, 'putMember', { token: owner.token, params: { project, user: viewer.name }, body: { role: 'viewer' } })).status, 200);
    assert.deepEqual(await members(project), { [owner.name]: 'owner', [member.name]: 'member', [viewer.name]: 'viewer' });
    assertRefused(await callRoute(g, 'putMember', { token: member.token, params: { project, user: outsider.name }, body: { role: 'viewer' } }), 403, 'FORBIDDEN', 'member adding');
    assertRefused(await callRoute(g, 'deleteMember', { token: owner.token, params: { project, user: outsider.name } }), 404, 'MEMBER_NOT_FOUND', 'not a member');
  });

  it('tells an owner nothing of which user names exist: a name without an account is added alike, and joins when the account is made', async () => {
    const team = uniqueName('names');
    made.push(team);
    assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name: team } })).status, 201);
    const ghost = uniqueName('newcomer');
    const existing = await createUser(g, uniqueName('known'));
    const strip = (body: unknown) => ({ ...(body as Record<string, unknown>), user: '<name>', addedAt: '<time>' });
    const toExisting = await callRoute(g, 'putMember', { token: owner.token, params: { project: team, user: existing.name }, body: { role: 'viewer' } });
    const toNobody = await callRoute(g, 'putMember', { token: owner.token, params: { project: team, user: ghost }, body: { role: 'viewer' } });
    assert.deepEqual([toNobody.status, strip(toNobody.body)], [toExisting.status, strip(toExisting.body)], 'the same answer either way');
    const listed = (await callRoute(g, 'listMembers', { token: owner.token, params: { project: team } })).body as { user: string; role: string }[];
    assert.deepEqual(listed.filter((m) => m.user !== owner.name).map((m) => `${m.user}:${m.role}`).sort(), [`${ghost}:viewer`, `${existing.name}:viewer`].sort());
    // Removing a name that is not a member: one answer, whether it has an account or not.
    const notMember = await callRoute(g, 'deleteMember', { token: owner.token, params: { project: team, user: member.name } });
    const noAccount = await callRoute(g, 'deleteMember', { token: owner.token, params: { project: team, user: uniqueName('nobody') } });
    assert.deepEqual([noAccount.status, codeOf(noAccount)], [notMember.status, codeOf(notMember)]);
    assert.deepEqual([notMember.status, codeOf(notMember)], [404, 'MEMBER_NOT_FOUND']);
    // The admin is told (it sees every account anyway), and the account, once made, is a member.
    assertRefused(await callRoute(g, 'putMember', { token: g.token, params: { project: team, user: uniqueName('typo') }, body: { role: 'viewer' } }), 404, 'USER_NOT_FOUND', 'the admin is told');
    const joined = await createUser(g, ghost);
    const me = (await callRoute(g, 'whoami', { token: joined.token })).body as { memberships: { project: string; role: string }[] };
    assert.deepEqual(me.memberships, [{ project: team, role: 'viewer' }]);
    assert.deepEqual((await callRoute(g, 'listMembers', { token: owner.token, params: { project: team } })).body, listed, 'listed as before');
  });

  it('never leaves a project without an owner (409 LAST_OWNER), by demotion, removal or deleting the user', async () => {
    assertRefused(await callRoute(g, 'putMember', { token: owner.token, params: { project, user: owner.name }, body: { role: 'member' } }), 409, 'LAST_OWNER', 'demoting the last owner');
    assertRefused(await callRoute(g, 'deleteMember', { token: owner.token, params: { project, user: owner.name } }), 409, 'LAST_OWNER', 'removing the last owner');
    assertRefused(await callRoute(g, 'deleteUser', { token: g.token, params: { user: owner.name } }), 409, 'LAST_OWNER', 'deleting the last owner');
    assert.equal((await members(project))[owner.name], 'owner');
    // With a second owner, the first may step down.
    const second = await createUser(g, 'sofia');
    await addMember(g, project, second.name, 'owner');
    assert.equal((await callRoute(g, 'putMember', { token: owner.token, params: { project, user: second.name }, body: { role: 'member' } })).status, 200);
    await addMember(g, project, second.name, 'owner');
    assert.equal((await callRoute(g, 'deleteMember', { token: second.token, params: { project, user: second.name } })).status, 200);
    assert.equal((await members(project))[second.name], undefined);
  });

  it('takes a removed member out on its next request (404: the project no longer exists for it)', async () => {
    const temp = await createUser(g, 'tomas');
    await addMember(g, project, temp.name, 'member');
    assert.equal((await callRoute(g, 'getProject', { token: temp.token, params: { project } })).status, 200);
    assert.equal((await callRoute(g, 'deleteMember', { token: owner.token, params: { project, user: temp.name } })).status, 200);
    assertRefused(await callRoute(g, 'getProject', { token: temp.token, params: { project } }), 404, 'PROJECT_NOT_FOUND', 'after removal');
  });
});

describe('what viewers and non-members see', () => {
  before(async () => {
    assert.equal((await callRoute(g, 'createInstance', { token: member.token, params: { project }, body: { name: 'web', app } })).status, 201);
    await waitFor(async () => ((await callRoute(g, 'getInstance', { token: owner.token, params: { project, instance: 'web' } })).body as Instance).phase === 'running', { what: 'web to run' });
  });

  it('viewers read logs and events, but cannot exec or change anything', async () => {
    const logs = await callRoute(g, 'instanceLogs', { token: viewer.token, params: { project, instance: 'web' } });
    assert.equal(logs.status, 200);
    assert.match(logs.body as string, /started/);
    const events = (await callRoute(g, 'listEvents', { token: viewer.token, query: { project } })).body as Event[];
    assert.ok(events.some((e) => e.type === 'instance.created' && e.instance === 'web'));
    assert.deepEqual(await openExec(g, viewer.token, project, 'web', ['true']), { refused: 403, code: 'FORBIDDEN' });
    assertRefused(await callRoute(g, 'stopInstance', { token: viewer.token, params: { project, instance: 'web' } }), 403, 'FORBIDDEN', 'viewer stopping');
    // A member may exec.
    const opened = await openExec(g, member.token, project, 'web', ['sh', '-c', 'echo inside']);
    assert.ok('output' in opened && /inside/.test(opened.output), JSON.stringify(opened));
  });

  it('non-members get 404 for the project and everything in it, as for a project that does not exist', async () => {
    const cases: [string, Reply, Reply][] = [
      ['project', await callRoute(g, 'getProject', { token: outsider.token, params: { project } }), await callRoute(g, 'getProject', { token: outsider.token, params: { project: 'no-such-project' } })],
      ['instance', await callRoute(g, 'getInstance', { token: outsider.token, params: { project, instance: 'web' } }), await callRoute(g, 'getInstance', { token: outsider.token, params: { project: 'no-such-project', instance: 'web' } })],
      ['logs', await callRoute(g, 'instanceLogs', { token: outsider.token, params: { project, instance: 'web' } }), await callRoute(g, 'instanceLogs', { token: outsider.token, params: { project: 'no-such-project', instance: 'web' } })],
      ['delete', await callRoute(g, 'deleteInstance', { token: outsider.token, params: { project, instance: 'web' } }), await callRoute(g, 'deleteInstance', { token: outsider.token, params: { project: 'no-such-project', instance: 'web' } })],
    ];
    for (const [what, real, missing] of cases) {
      assertRefused(real, 404, 'PROJECT_NOT_FOUND', what);
      assert.equal(JSON.stringify(real.body).replace(project, 'P'), JSON.stringify(missing.body).replace('no-such-project', 'P'), `${what}: the same answer as for a project that does not exist`);
    }
    assert.ok(!((await callRoute(g, 'listProjects', { token: outsider.token })).body as { name: string }[]).some((p) => p.name === project));
  });

  it('non-members see none of its events, stored or live', async () => {
    const stored = (await callRoute(g, 'listEvents', { token: outsider.token, query: { limit: '1000' } })).body as Event[];
    assert.ok(stored.some((e) => e.project === elsewhere), 'its own project events are there');
    assert.deepEqual(
      stored.filter((e) => e.project !== elsewhere && !(e.type === 'token.created' && e.data.user === outsider.name)),
      [],
      'nothing but its own project and its own tokens',
    );
    assert.deepEqual((await callRoute(g, 'listEvents', { token: outsider.token, query: { project } })).body, []);

    const all = await followEvents(g, { token: outsider.token });
    const filtered = await followEvents(g, { token: outsider.token }, { project });
    const watcher = await followEvents(g, { token: viewer.token }, { project });
    try {
      // One event in the team's project, then one in the outsider's own (its arrival bounds the wait).
      assert.equal((await callRoute(g, 'createVolume', { token: owner.token, params: { project }, body: { name: 'secret-plans' } })).status, 201);
      assert.equal((await callRoute(g, 'createVolume', { token: outsider.token, params: { project: elsewhere }, body: { name: 'mine' } })).status, 201);
      await waitFor(() => all.events.some((e) => e.project === elsewhere && e.message.includes('mine')), { what: "the outsider's own event" });
      await waitFor(() => watcher.events.some((e) => e.message.includes('secret-plans')), { what: 'the viewer to see the team event' });
      assert.deepEqual(
        all.events.filter((e) => e.project !== elsewhere),
        [],
      );
      assert.deepEqual(filtered.events, []);
    } finally {
      all.close();
      filtered.close();
      watcher.close();
    }
  });
});

describe('quotas', () => {
  it('only an administrator sets a quota', async () => {
    assertRefused(await callRoute(g, 'updateQuota', { token: owner.token, params: { project }, body: { instances: 100 } }), 403, 'FORBIDDEN', 'owner');
  });

  it('refuses a launch or a scale-up over quota (403 QUOTA_EXCEEDED naming the limit), creating and changing nothing', async () => {
    const q = uniqueName('quota');
    made.push(q);
    assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name: q } })).status, 201);
    const set = await callRoute(g, 'updateQuota', { token: g.token, params: { project: q }, body: { instances: 2, replicas: 3 } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { instances: 2, replicas: 3, cpus: null, memoryBytes: null, volumes: null, volumeBytes: null });
    const launch = (name: string, replicas: number) => callRoute(g, 'createInstance', { token: owner.token, params: { project: q }, body: { name, app, replicas } });
    assert.equal((await launch('a', 2)).status, 201);

    const tooMany = await launch('b', 2);
    assertRefused(tooMany, 403, 'QUOTA_EXCEEDED', 'replicas 2+2 of 3');
    assert.equal((tooMany.body as { error: { details: { limit: string } } }).error.details.limit, 'replicas');
    assert.match((tooMany.body as { error: { message: string } }).error.message, /replicas/);
    assertRefused(await callRoute(g, 'getInstance', { token: owner.token, params: { project: q, instance: 'b' } }), 404, 'INSTANCE_NOT_FOUND', 'nothing created');
    const events = (await callRoute(g, 'listEvents', { token: owner.token, query: { project: q, instance: 'b' } })).body as Event[];
    assert.deepEqual(events, [], 'no event for a refused launch');

    assert.equal((await launch('b', 1)).status, 201);
    const third = await launch('c', 0);
    assertRefused(third, 403, 'QUOTA_EXCEEDED', 'a third instance');
    assert.equal((third.body as { error: { details: { limit: string } } }).error.details.limit, 'instances');

    const scale = await callRoute(g, 'updateInstance', { token: owner.token, params: { project: q, instance: 'a' }, body: { replicas: 3 } });
    assertRefused(scale, 403, 'QUOTA_EXCEEDED', 'scaling a to 3');
    const a = (await callRoute(g, 'getInstance', { token: owner.token, params: { project: q, instance: 'a' } })).body as Instance;
    assert.equal(a.components[0]!.desiredReplicas, 2, 'the instance is unchanged');

    const usage = (await callRoute(g, 'getUsage', { token: viewer.token, params: { project: q } })).status;
    assert.equal(usage, 404, 'vera is not in this project');
    const u = (await callRoute(g, 'getUsage', { token: owner.token, params: { project: q } })).body as UsageView;
    assert.deepEqual(u.used, { instances: 2, replicas: 3, cpus: 0, memoryBytes: 0, volumes: 0, volumeBytes: 0 });
    assert.equal(u.quota.instances, 2);
    await callRoute(g, 'deleteProject', { token: owner.token, params: { project: q }, query: { force: 'true' } });
  });

  it('holds under 20 concurrent launches with quota instances=5: exactly 5 are created', async () => {
    const q = uniqueName('race');
    made.push(q);
    assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name: q } })).status, 201);
    assert.equal((await callRoute(g, 'updateQuota', { token: g.token, params: { project: q }, body: { instances: 5 } })).status, 200);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => callRoute(g, 'createInstance', { token: owner.token, params: { project: q }, body: { name: `i${i}`, app, replicas: 0 } })));
    const statuses = replies.map((r) => `${r.status}${codeOf(r) ? ' ' + codeOf(r) : ''}`);
    assert.equal(statuses.filter((s) => s === '201').length, 5, statuses.join(', '));
    assert.equal(statuses.filter((s) => s === '403 QUOTA_EXCEEDED').length, 15, statuses.join(', '));
    const list = (await callRoute(g, 'listInstances', { token: owner.token, params: { project: q } })).body as Instance[];
    assert.equal(list.length, 5);
    assert.equal(((await callRoute(g, 'getUsage', { token: owner.token, params: { project: q } })).body as UsageView).used.instances, 5);
  });

  it('counts volumes and their declared sizes', async () => {
    const q = uniqueName('vq');
    made.push(q);
    assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name: q } })).status, 201);
    assert.equal((await callRoute(g, 'updateQuota', { token: g.token, params: { project: q }, body: { volumes: 2, volumeBytes: 1000 } })).status, 200);
    const create = (name: string, sizeBytes?: number) => callRoute(g, 'createVolume', { token: owner.token, params: { project: q }, body: { name, ...(sizeBytes !== undefined && { sizeBytes }) } });
    assert.equal(((await create('no-size')).body as { error: { details: { limit: string } } }).error.details.limit, 'volumeBytes', 'a size is required under a size quota');
    assert.equal((await create('v1', 600)).status, 201);
    const over = await create('v2', 600);
    assertRefused(over, 403, 'QUOTA_EXCEEDED', 'size');
    assert.equal((over.body as { error: { details: { limit: string } } }).error.details.limit, 'volumeBytes');
    assert.equal((await create('v2', 400)).status, 201);
    assert.equal(((await create('v3', 1)).body as { error: { details: { limit: string } } }).error.details.limit, 'volumes');
    // A launch that mounts a volume not yet there would create it: it counts too.
    const mounting = uniqueName('mounts');
    await g.client.call('createApp', { body: busyboxApp(mounting, { volumes: [{ volume: 'scratch', mountPath: '/data' }] }) });
    const launch = await callRoute(g, 'createInstance', { token: owner.token, params: { project: q }, body: { name: 'm', app: mounting, replicas: 0 } });
    assertRefused(launch, 403, 'QUOTA_EXCEEDED', 'a launch creating a third volume');
    assert.equal((launch.body as { error: { details: { limit: string } } }).error.details.limit, 'volumes');
    assertRefused(await callRoute(g, 'getVolume', { token: owner.token, params: { project: q, volume: 'scratch' } }), 404, 'VOLUME_NOT_FOUND', 'no volume created');
    assert.equal(((await callRoute(g, 'getUsage', { token: owner.token, params: { project: q } })).body as UsageView).used.volumes, 2);
  });
});

describe('audit log', () => {
  it('records every change and every refusal with actor, action, status, outcome and address', async () => {
    const before = (await g.client.call('listAudit', { query: { limit: 1000 } })).at(-1)?.id ?? 0;
    const from = '127.0.9.9';
    const ok = await callRoute(g, 'createVolume', { token: member.token, from, params: { project }, body: { name: 'audited' } });
    assert.equal(ok.status, 201);
    const refusals: [string, Reply][] = [
      ['viewer writing', await callRoute(g, 'deleteVolume', { token: viewer.token, from, params: { project, volume: 'audited' } })],
      ['non-member reading', await callRoute(g, 'getProject', { token: outsider.token, from, params: { project } })],
      ['no token', await callRoute(g, 'listProjects', { from })],
      ['bad token', await callRoute(g, 'listInstances', { token: 'gur_forged', from, params: { project } })],
      ['member on an admin route', await callRoute(g, 'listUsers', { token: member.token, from })],
      ['wrong password', await callRoute(g, 'login', { from, body: { user: member.name, password: 'not-the-password' } })],
    ];
    for (const [what, r] of refusals) assert.ok([401, 403, 404].includes(r.status), `${what} was refused: ${r.status}`);
    const exec = await openExec(g, viewer.token, project, 'web', ['true']);
    assert.ok('refused' in exec);
    const failed = await callRoute(g, 'createInstance', { token: member.token, from, params: { project }, body: { name: 'x', app: 'no-such-app' } });
    assert.equal(failed.status, 404);

    const entries = await g.client.call('listAudit', { query: { since: String(before), limit: 1000 } });
    const find = (action: string, actor: string | null) => entries.find((e) => e.action === action && e.actor === actor);
    const expected: [string, string | null, number, AuditEntry['outcome'], string | null][] = [
      ['createVolume', member.name, 201, 'ok', null],
      ['deleteVolume', viewer.name, 403, 'refused', 'FORBIDDEN'],
      ['getProject', outsider.name, 404, 'refused', 'PROJECT_NOT_FOUND'],
      ['listProjects', null, 401, 'refused', 'UNAUTHENTICATED'],
      ['listInstances', null, 401, 'refused', 'UNAUTHENTICATED'],
      ['listUsers', member.name, 403, 'refused', 'FORBIDDEN'],
      ['login', member.name, 401, 'refused', 'LOGIN_FAILED'],
      ['exec.open', viewer.name, 403, 'refused', 'FORBIDDEN'],
      ['createInstance', member.name, 404, 'failed', 'APP_NOT_FOUND'],
    ];
    for (const [action, actor, status, outcome, code] of expected) {
      const e = find(action, actor);
      assert.ok(e, `no audit entry for ${action} by ${actor ?? 'nobody'}: ${JSON.stringify(entries.map((x) => `${x.action}/${x.actor}`))}`);
      assert.equal(e.status, status, action);
      assert.equal(e.outcome, outcome, action);
      assert.equal(e.code, code, action);
      assert.equal(e.address, action === 'exec.open' ? '127.0.0.1' : from, action);
      assert.ok(Date.parse(e.time) > Date.now() - 60_000, action);
    }
    assert.equal(find('createVolume', member.name)?.project, project);
    assert.equal(find('createVolume', member.name)?.token, 'main');
    assert.equal(find('createVolume', member.name)?.path, `/api/v1/projects/${project}/volumes`);
  });

  it('audits an exec that passed authorization but could not open, with its code (no such replica, no such instance)', async () => {
    const before = (await g.client.call('listAudit', { query: { limit: 1000 } })).at(-1)?.id ?? 0;
    const outOfRange = await openExec(g, { token: member.token, query: { replica: '5' } }, project, 'web', ['true']);
    assert.deepEqual(outOfRange, { output: '', exit: null }, 'the socket opened, then closed without running anything');
    await openExec(g, member.token, project, 'no-such-instance', ['true']);
    const entries = (await g.client.call('listAudit', { query: { since: String(before), limit: 1000 } })).filter((e) => e.action === 'exec.open' && e.actor === member.name);
    assert.deepEqual(
      entries.map((e) => [e.path, e.status, e.outcome, e.code, e.project]),
      [
        [`/api/v1/projects/${project}/instances/web/exec`, 404, 'failed', 'REPLICA_NOT_FOUND', project],
        [`/api/v1/projects/${project}/instances/no-such-instance/exec`, 404, 'failed', 'INSTANCE_NOT_FOUND', project],
      ],
    );
  });

  it("audits the changes to a project's private app under that project, and shows its events to the members", async () => {
    const before = (await g.client.call('listAudit', { query: { limit: 1000 } })).at(-1)?.id ?? 0;
    const name = uniqueName('private');
    const def = busyboxApp(name);
    assert.equal((await callRoute(g, 'createApp', { token: member.token, body: { ...def, project } })).status, 201);
    assert.equal((await callRoute(g, 'updateApp', { token: member.token, params: { app: name }, body: { components: def.components, title: 'changed' } })).status, 200);
    assertRefused(await callRoute(g, 'updateApp', { token: viewer.token, params: { app: name }, body: { components: def.components } }), 403, 'FORBIDDEN', 'viewer changing');
    assert.equal((await callRoute(g, 'deleteApp', { token: member.token, params: { app: name } })).status, 200);
    const entries = (await g.client.call('listAudit', { query: { since: String(before), limit: 1000 } })).filter((e) => e.path.startsWith('/api/v1/apps'));
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor, e.outcome, e.project]),
      [
        ['createApp', member.name, 'ok', project],
        ['updateApp', member.name, 'ok', project],
        ['updateApp', viewer.name, 'refused', project],
        ['deleteApp', member.name, 'ok', project],
      ],
    );
    const owners = (await callRoute(g, 'listProjectAudit', { token: owner.token, params: { project }, query: { since: String(before), limit: '1000' } })).body as AuditEntry[];
    assert.equal(owners.filter((e) => e.path === `/api/v1/apps/${name}` || e.path === '/api/v1/apps').length, 4, "in the project owner's audit");
    const events = (await callRoute(g, 'listEvents', { token: viewer.token, query: { project, limit: '1000' } })).body as Event[];
    assert.deepEqual(
      events.filter((e) => e.data.app === name).map((e) => e.type),
      ['app.created', 'app.updated', 'app.deleted'],
    );
  });

  it("shows a project's owner the audit of that project only; members get 403, others 404", async () => {
    assert.equal((await callRoute(g, 'createVolume', { token: outsider.token, params: { project: elsewhere }, body: { name: 'elsewhere-vol' } })).status, 201);
    const r = await callRoute(g, 'listProjectAudit', { token: owner.token, params: { project }, query: { limit: '1000' } });
    assert.equal(r.status, 200);
    const entries = r.body as AuditEntry[];
    assert.ok(entries.some((e) => e.action === 'createVolume' && e.actor === member.name));
    assert.deepEqual(
      entries.filter((e) => e.project !== project),
      [],
    );
    assertRefused(await callRoute(g, 'listProjectAudit', { token: member.token, params: { project } }), 403, 'FORBIDDEN', 'member');
    assertRefused(await callRoute(g, 'listProjectAudit', { token: outsider.token, params: { project } }), 404, 'PROJECT_NOT_FOUND', 'outsider');
    assertRefused(await callRoute(g, 'listAudit', { token: owner.token }), 403, 'FORBIDDEN', 'the global log is the admin’s');
  });

  it('is append-only in the database itself: UPDATE and DELETE are refused', () => {
    const db = new SqliteDatabase(path.join(g.dataDir, 'gureum.db'));
    try {
      const count = () => (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
      const n = count();
      assert.ok(n > 0);
      assert.throws(() => db.prepare("UPDATE audit SET actor = 'someone-else'").run(), /append-only/);
      assert.throws(() => db.prepare('DELETE FROM audit').run(), /append-only/);
      assert.equal(count(), n);
      assert.equal((db.prepare("SELECT count(*) AS n FROM audit WHERE actor = 'someone-else'").get() as { n: number }).n, 0);
    } finally {
      db.close();
    }
  });
});
