/**
 * API tokens: shown once and stored hashed, revocation and expiry on the next request,
 * read-only tokens, project-limited tokens, and a token never minting a broader one.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Event, Project, Token } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { callRoute, codeOf, createToken, createUser, login, openExec, sleep, type Reply, type TestUser } from './identity-kit.js';

let g: TestGureum;
let ana: TestUser;
let bo: TestUser;
const mine = uniqueName('tok-a');
const theirs = uniqueName('tok-b');
const app = uniqueName('tok-app');

before(async () => {
  g = await startGureum();
  [ana, bo] = await Promise.all([createUser(g, 'ana'), createUser(g, 'bo')]);
  // ana owns both projects; a private app in each.
  for (const project of [mine, theirs]) {
    assert.equal((await callRoute(g, 'createProject', { token: ana.token, body: { name: project } })).status, 201);
    assert.equal((await callRoute(g, 'createApp', { token: ana.token, body: { ...busyboxApp(`${project}-app`), project } })).status, 201);
    assert.equal((await callRoute(g, 'createVolume', { token: ana.token, params: { project }, body: { name: 'data' } })).status, 201);
  }
  await g.client.call('createApp', { body: busyboxApp(app) });
});

after(async () => {
  await g?.stop();
  await removeProjects(mine, theirs);
});

function assertRefused(r: Reply, status: number, code: string, what: string): void {
  assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
  assert.equal(codeOf(r), code, what);
}

/** Every file of the data directory but the admin token file (which holds a token by design). */
function dataFiles(): Buffer {
  return Buffer.concat(
    fs
      .readdirSync(g.dataDir)
      .filter((f) => f !== 'admin.token')
      .map((f) => path.join(g.dataDir, f))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f)),
  );
}

describe('issuing and revoking', () => {
  it('shows a new token once: the list never carries the secret', async () => {
    const made = await createToken(g, { token: ana.token }, { name: 'ci' });
    assert.match(made.token, /^gur_/);
    const r = await callRoute(g, 'listTokens', { token: ana.token });
    const list = r.body as Token[];
    const listed = list.find((t) => t.id === made.id);
    assert.ok(listed, 'the new token is listed');
    assert.equal(listed.name, 'ci');
    assert.ok(!('token' in listed), 'no secret field');
    assert.ok(!JSON.stringify(r.body).includes(made.token), 'the secret appears nowhere in the list');
    assert.ok(!JSON.stringify(r.body).includes(made.token.slice(4, 20)), 'not even a part of it');
  });

  it('stores tokens and session secrets hashed: the database files never contain them', async () => {
    const made = await createToken(g, { token: ana.token }, { name: 'stored' });
    const s = await login(g, ana.name, ana.password);
    assert.equal((await callRoute(g, 'whoami', { token: made.token })).status, 200);
    const bytes = dataFiles(); // the main file and the WAL: recent writes live in the WAL
    assert.ok(bytes.length > 0);
    assert.ok(bytes.includes(Buffer.from(made.id)), 'the token record is in these files (the search is meaningful)');
    assert.ok(!bytes.includes(Buffer.from(made.token)), 'the API token is not stored');
    assert.ok(!bytes.includes(Buffer.from(made.token.slice(4))), 'not even without its prefix');
    assert.ok(!bytes.includes(Buffer.from(s.session)), 'the session secret is not stored');
    assert.ok(!bytes.includes(Buffer.from(ana.password)), 'the password is not stored');
  });

  it('refuses a revoked token on the very next request, and records when a token was used', async () => {
    const made = await createToken(g, { token: ana.token }, { name: 'short-lived' });
    assert.equal((await callRoute(g, 'whoami', { token: made.token })).status, 200);
    const used = await waitFor(async () => ((await callRoute(g, 'listTokens', { token: ana.token })).body as Token[]).find((t) => t.id === made.id)?.lastUsedAt ?? undefined, { what: 'lastUsedAt' });
    assert.ok(Date.parse(used) > Date.now() - 60_000);
    assert.equal((await callRoute(g, 'deleteToken', { token: ana.token, params: { id: made.id } })).status, 200);
    assertRefused(await callRoute(g, 'whoami', { token: made.token }), 401, 'UNAUTHENTICATED', 'revoked token');
    assert.ok(!((await callRoute(g, 'listTokens', { token: ana.token })).body as Token[]).some((t) => t.id === made.id));
  });

  it("cannot revoke another user's token", async () => {
    const hers = await createToken(g, { token: ana.token }, { name: 'hers' });
    assertRefused(await callRoute(g, 'deleteToken', { token: bo.token, params: { id: hers.id } }), 404, 'TOKEN_NOT_FOUND', "bo revoking ana's token");
    assert.equal((await callRoute(g, 'whoami', { token: hers.token })).status, 200);
  });

  it('refuses a token after its expiry, and an expiry in the past', async () => {
    const made = await createToken(g, { token: ana.token }, { name: 'expiring', expiresAt: new Date(Date.now() + 1200).toISOString() });
    assert.equal((await callRoute(g, 'whoami', { token: made.token })).status, 200);
    await sleep(1500);
    assertRefused(await callRoute(g, 'whoami', { token: made.token }), 401, 'UNAUTHENTICATED', 'expired token');
    assertRefused(await callRoute(g, 'createToken', { token: ana.token, body: { name: 'past', expiresAt: new Date(Date.now() - 1000).toISOString() } }), 400, 'VALIDATION_FAILED', 'expiry in the past');
  });
});

describe('read-only tokens', () => {
  it('read everything the user may read, and change nothing (POST, PUT, PATCH, DELETE, exec)', async () => {
    const ro = (await createToken(g, { token: ana.token }, { name: 'dashboard', readOnly: true })).token;
    for (const r of [
      await callRoute(g, 'listProjects', { token: ro }),
      await callRoute(g, 'getProject', { token: ro, params: { project: mine } }),
      await callRoute(g, 'listVolumes', { token: ro, params: { project: mine } }),
      await callRoute(g, 'listMembers', { token: ro, params: { project: mine } }),
      await callRoute(g, 'listProjectAudit', { token: ro, params: { project: mine } }),
    ]) {
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const writes: [string, Reply][] = [
      ['POST', await callRoute(g, 'createInstance', { token: ro, params: { project: mine }, body: { name: 'nope', app, replicas: 0 } })],
      ['PUT', await callRoute(g, 'putMember', { token: ro, params: { project: mine, user: bo.name }, body: { role: 'viewer' } })],
      ['PATCH', await callRoute(g, 'updateInstance', { token: ro, params: { project: mine, instance: 'nope' }, body: { replicas: 1 } })],
      ['DELETE', await callRoute(g, 'deleteVolume', { token: ro, params: { project: mine, volume: 'data' } })],
      ['POST /tokens', await callRoute(g, 'createToken', { token: ro, body: { name: 'escalate', readOnly: true } })],
    ];
    for (const [what, r] of writes) assertRefused(r, 403, 'READ_ONLY_TOKEN', what);
    assert.deepEqual(await openExec(g, ro, mine, 'nope', ['true']), { refused: 403, code: 'READ_ONLY_TOKEN' });
    // Nothing changed.
    assert.equal((await callRoute(g, 'getVolume', { token: ana.token, params: { project: mine, volume: 'data' } })).status, 200);
    assert.ok(!((await callRoute(g, 'listMembers', { token: ana.token, params: { project: mine } })).body as { user: string }[]).some((m) => m.user === bo.name));
  });
});

describe('project-limited tokens', () => {
  it('see only their projects, in every list', async () => {
    const limited = (await createToken(g, { token: ana.token }, { name: 'deploy-b', projects: [theirs] })).token;
    const projects = (await callRoute(g, 'listProjects', { token: limited })).body as Project[];
    assert.deepEqual(
      projects.map((p) => p.name),
      [theirs],
    );
    assertRefused(await callRoute(g, 'getProject', { token: limited, params: { project: mine } }), 404, 'PROJECT_NOT_FOUND', 'the other project');
    assertRefused(await callRoute(g, 'listVolumes', { token: limited, params: { project: mine } }), 404, 'PROJECT_NOT_FOUND', 'volumes of the other project');
    const apps = ((await callRoute(g, 'listApps', { token: limited })).body as { name: string }[]).map((a) => a.name);
    assert.ok(apps.includes(`${theirs}-app`) && apps.includes(app), apps.join(', '));
    assert.ok(!apps.includes(`${mine}-app`), 'the private app of the other project is hidden');
    assertRefused(await callRoute(g, 'getApp', { token: limited, params: { app: `${mine}-app` } }), 404, 'APP_NOT_FOUND', 'private app of the other project');
    const events = (await callRoute(g, 'listEvents', { token: limited })).body as Event[];
    assert.ok(events.some((e) => e.project === theirs));
    assert.deepEqual(
      events.filter((e) => e.project !== theirs),
      [],
      'no event of another project, nor of no project',
    );
    assert.deepEqual((await callRoute(g, 'listEvents', { token: limited, query: { project: mine } })).body, []);
    const me = (await callRoute(g, 'whoami', { token: limited })).body as { token: { projects: string[] }; memberships: { project: string }[] };
    assert.deepEqual(me.token.projects, [theirs]);
    assert.deepEqual(
      me.memberships.map((m) => m.project),
      [theirs],
      'whoami names no project outside the limit',
    );
    // The user's other tokens name other projects (or all): invisible and irrevocable from here.
    const tokens = (await callRoute(g, 'listTokens', { token: limited })).body as Token[];
    assert.ok(tokens.length > 0);
    assert.deepEqual(
      tokens.filter((t) => t.projects === null || t.projects.some((p) => p !== theirs)),
      [],
    );
    const main = ((await callRoute(g, 'listTokens', { token: ana.token })).body as Token[]).find((t) => t.name === 'main')!;
    assertRefused(await callRoute(g, 'deleteToken', { token: limited, params: { id: main.id } }), 404, 'TOKEN_NOT_FOUND', "revoking the user's unlimited token");
    assert.equal((await callRoute(g, 'whoami', { token: ana.token })).status, 200);
    // Full rights inside its project.
    assert.equal((await callRoute(g, 'createInstance', { token: limited, params: { project: theirs }, body: { name: 'via-limited', app, replicas: 0 } })).status, 201);
    assertRefused(await callRoute(g, 'createProject', { token: limited, body: { name: uniqueName('tok-new') } }), 403, 'FORBIDDEN', 'creating a project');
  });
});

describe('a token never mints a broader one', () => {
  it('a project-limited token makes tokens limited to (a subset of) its projects only', async () => {
    const limited = (await createToken(g, { token: ana.token }, { name: 'limited', projects: [theirs] })).token;
    const inherited = await createToken(g, { token: limited }, { name: 'child' });
    const listed = ((await callRoute(g, 'listTokens', { token: ana.token })).body as Token[]).find((t) => t.id === inherited.id);
    assert.deepEqual(listed?.projects, [theirs], 'a child without projects inherits the limit');
    assertRefused(await callRoute(g, 'createToken', { token: limited, body: { name: 'wider', projects: [theirs, mine] } }), 403, 'FORBIDDEN', 'asking for another project');
    assert.deepEqual(
      ((await callRoute(g, 'listProjects', { token: inherited.token })).body as Project[]).map((p) => p.name),
      [theirs],
    );
  });

  it('an expiring token cannot make one that lives longer; its children expire with it', async () => {
    const expiresAt = new Date(Date.now() + 60 * 60_000).toISOString();
    const expiring = (await createToken(g, { token: ana.token }, { name: 'hour', expiresAt })).token;
    assertRefused(await callRoute(g, 'createToken', { token: expiring, body: { name: 'longer', expiresAt: new Date(Date.now() + 2 * 60 * 60_000).toISOString() } }), 403, 'FORBIDDEN', 'a later expiry');
    const child = await createToken(g, { token: expiring }, { name: 'no-expiry-asked' });
    const listed = ((await callRoute(g, 'listTokens', { token: ana.token })).body as Token[]).find((t) => t.id === child.id);
    assert.equal(listed?.expiresAt, expiresAt, 'a child without expiry expires with its parent');
  });

  it('a read-only token cannot make any token', async () => {
    const ro = (await createToken(g, { token: ana.token }, { name: 'ro', readOnly: true })).token;
    assertRefused(await callRoute(g, 'createToken', { token: ro, body: { name: 'rw' } }), 403, 'READ_ONLY_TOKEN', 'read-write child');
    assertRefused(await callRoute(g, 'createToken', { token: ro, body: { name: 'ro2', readOnly: true } }), 403, 'READ_ONLY_TOKEN', 'read-only child');
  });
});
