/**
 * Password login and browser sessions: the cookie, CSRF on cookie writes, logout, the
 * brute-force brake (per user name and per client address), and what ends a session.
 * Several client addresses are real: every 127.0.0.0/8 address is loopback, and the requests
 * of a "client" leave from its own address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { callRoute, codeOf, createUser, login, openExec, type ExecAs, type Reply, type TestUser } from './identity-kit.js';

let g: TestGureum;
let ana: TestUser;
let bo: TestUser;
const made: string[] = [];

before(async () => {
  g = await startGureum();
  [ana, bo] = await Promise.all([createUser(g, 'ana'), createUser(g, 'bo')]);
});

after(async () => {
  await g?.stop();
  await removeProjects(...made);
});

function assertRefused(r: Reply, status: number, code: string, what: string): void {
  assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
  assert.equal(codeOf(r), code, what);
}

/** A 429 says when to come back, in the Retry-After header (seconds) as in its details; the lock lasts up to the 15-minute window. */
function assertRetryAfter(r: Reply): void {
  const seconds = (r.body as { error: { details: { retryAfterSeconds: number } } }).error.details.retryAfterSeconds;
  assert.ok(seconds > 0 && seconds <= 15 * 60, `retryAfterSeconds ${seconds}`);
  assert.equal(r.headers['retry-after'], String(seconds), 'Retry-After header');
}

/** A login attempt from a client address, with how long it took. */
async function attempt(user: string, password: string, from: string): Promise<{ reply: Reply; ms: number }> {
  const t0 = performance.now();
  const reply = await callRoute(g, 'login', { body: { user, password }, from });
  return { reply, ms: performance.now() - t0 };
}

describe('password login and the session cookie', () => {
  it('sets an HttpOnly, SameSite=Strict cookie (not Secure over plain http) and answers the CSRF token', async () => {
    const r = await callRoute(g, 'login', { body: { user: ana.name, password: ana.password } });
    assert.equal(r.status, 200);
    const body = r.body as { user: { name: string }; csrfToken: string; expiresAt: string };
    assert.equal(body.user.name, ana.name);
    assert.ok(body.csrfToken.length >= 20);
    const left = Date.parse(body.expiresAt) - Date.now();
    assert.ok(left > 12 * 3600_000 - 60_000 && left <= 12 * 3600_000, `the session lasts 12 hours by default: ${left} ms left`);
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('gureum_session='));
    assert.ok(cookie, 'a gureum_session cookie is set');
    const attrs = cookie.split(';').map((a) => a.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), cookie);
    assert.ok(attrs.includes('samesite=strict'), cookie);
    assert.ok(attrs.includes('path=/'), cookie);
    assert.ok(!attrs.includes('secure'), 'no Secure attribute over plain http (the browser would drop the cookie)');
    assert.ok(!JSON.stringify(r.body).includes(cookie.split(';')[0]!.split('=')[1]!), 'the session secret is only in the cookie');
  });

  it('authenticates reads by the cookie alone', async () => {
    const s = await login(g, ana.name, ana.password);
    const r = await callRoute(g, 'whoami', { session: s.session });
    assert.equal(r.status, 200);
    const me = r.body as { user: { name: string }; via: string };
    assert.equal(me.user.name, ana.name);
    assert.equal(me.via, 'session');
    assert.equal((await callRoute(g, 'listProjects', { session: s.session })).status, 200);
  });

  it('refuses a cookie-authenticated change without the right X-CSRF-Token (403 CSRF_FAILED), and makes it with it', async () => {
    const s = await login(g, ana.name, ana.password);
    const other = await login(g, bo.name, bo.password);
    assertRefused(await callRoute(g, 'createProject', { session: s.session, body: { name: 'csrf-none' } }), 403, 'CSRF_FAILED', 'no header');
    assertRefused(await callRoute(g, 'createProject', { session: s.session, csrf: other.csrf, body: { name: 'csrf-other' } }), 403, 'CSRF_FAILED', "another session's token");
    assertRefused(await callRoute(g, 'createProject', { session: s.session, csrf: s.csrf.slice(0, -1), body: { name: 'csrf-short' } }), 403, 'CSRF_FAILED', 'a truncated token');
    const projects = (await g.client.call('listProjects', {})).map((p) => p.name);
    assert.deepEqual(
      projects.filter((p) => p.startsWith('csrf-')),
      [],
      'nothing was created by a refused request',
    );
    made.push('csrf-ok', 'csrf-bearer');
    assert.equal((await callRoute(g, 'createProject', { session: s.session, csrf: s.csrf, body: { name: 'csrf-ok' } })).status, 201);
    // A bearer token is not a browser credential: no CSRF token needed.
    assert.equal((await callRoute(g, 'createProject', { token: ana.token, body: { name: 'csrf-bearer' } })).status, 201);
  });

  it('opens a terminal over the cookie only from Gureum\'s own origin, or with ?csrf= (a sibling site cannot)', async () => {
    const project = uniqueName('sess');
    made.push(project);
    assert.equal((await callRoute(g, 'createProject', { token: ana.token, body: { name: project } })).status, 201);
    const s = await login(g, ana.name, ana.password);
    // No instance is needed: a socket that passes authorization opens, then reports the missing instance.
    const exec = (as: ExecAs) => openExec(g, as, project, 'none', ['true']);
    assert.deepEqual(await exec({ session: s.session, headers: { origin: 'http://evil.example' } }), { refused: 403, code: 'CSRF_FAILED' });
    assert.deepEqual(await exec({ session: s.session, headers: { origin: `http://evil.${new URL(g.url).host}` } }), { refused: 403, code: 'CSRF_FAILED' });
    assert.deepEqual(await exec({ session: s.session }), { refused: 403, code: 'CSRF_FAILED' }, 'no Origin and no token');
    assert.deepEqual(await exec({ session: s.session, query: { csrf: 'forged' } }), { refused: 403, code: 'CSRF_FAILED' });
    assert.ok('output' in (await exec({ session: s.session, headers: { origin: g.url } })), 'same origin opens');
    assert.ok('output' in (await exec({ session: s.session, query: { csrf: s.csrf } })), 'the CSRF token opens');
  });

  it('ends the session at logout: the cookie is cleared and no longer accepted', async () => {
    const s = await login(g, ana.name, ana.password);
    const out = await callRoute(g, 'logout', { session: s.session, csrf: s.csrf });
    assert.equal(out.status, 200);
    const cleared = ([] as string[]).concat(out.headers['set-cookie'] ?? []).find((c) => c.startsWith('gureum_session='));
    assert.match(cleared ?? '', /Max-Age=0/i);
    assertRefused(await callRoute(g, 'whoami', { session: s.session }), 401, 'UNAUTHENTICATED', 'after logout');
  });

  it('refuses a wrong password and an unknown user alike (401 LOGIN_FAILED)', async () => {
    const from = '127.0.0.2';
    const wrong = (await attempt(ana.name, 'not-the-password', from)).reply;
    const unknown = (await attempt('nobody-here', 'whatever-password', from)).reply;
    assertRefused(wrong, 401, 'LOGIN_FAILED', 'wrong password');
    assertRefused(unknown, 401, 'LOGIN_FAILED', 'unknown user');
    assert.equal((wrong.body as { error: { message: string } }).error.message, (unknown.body as { error: { message: string } }).error.message, 'the answer does not tell which');
    assert.equal(wrong.headers['set-cookie'], undefined);
  });
});

// The cases use distinct users and addresses, so they run side by side (each waits out the brake).
describe('brute-force brake', { concurrency: true }, () => {
  it('slows the guesses at one user from many addresses, but they cannot lock that user out', async () => {
    const target = await createUser(g, 'target');
    // Twelve guesses at `target`, each from its own address: the user's count adds up and slows.
    const took: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { reply, ms } = await attempt(target.name, `guess-${i}`, `127.0.1.${i + 1}`);
      assertRefused(reply, 401, 'LOGIN_FAILED', `guess ${i}`);
      took.push(ms);
    }
    // The brake sleeps before the 4th guess on; only a lower bound is a fact (the machine may be slow, never fast).
    assert.ok(took[3]! >= 250 && took[9]! >= 4000, `guesses took ${took.map(Math.round).join(', ')} ms`);
    // The right password still signs in (slowed), from an address of the guessing or another one.
    assert.equal((await attempt(target.name, target.password, '127.0.1.99')).reply.status, 200, 'the right password after the guessing');
    assert.equal((await attempt(bo.name, bo.password, '127.0.1.1')).reply.status, 200, 'another user from a guessing address');
  });

  it('refuses one name guessed at from one address (429) even with the right password there, and only there', async () => {
    const guessed = await createUser(g, 'guessed');
    const from = '127.0.5.1';
    for (let i = 0; i < 10; i++) assertRefused((await attempt(guessed.name, `guess-${i}`, from)).reply, 401, 'LOGIN_FAILED', `guess ${i}`);
    const locked = (await attempt(guessed.name, guessed.password, from)).reply;
    assertRefused(locked, 429, 'TOO_MANY_ATTEMPTS', 'the right password where the guessing came from');
    assertRetryAfter(locked);
    assert.equal((await attempt(guessed.name, guessed.password, '127.0.5.2')).reply.status, 200, 'the same user from another address');
    // The guessed user's API tokens still work: the brake is on password guessing only.
    assert.equal((await callRoute(g, 'whoami', { token: guessed.token })).status, 200);
  });

  it('lets a right password through after many failures for unknown names from the same address, and tells nothing about names there', async () => {
    const from = '127.0.2.1';
    for (let i = 0; i < 10; i++) assertRefused((await attempt(`someone-${i}`, 'guess', from)).reply, 401, 'LOGIN_FAILED', `guess ${i}`);
    // From now on every wrong password from this address is 429, whether the name exists or not.
    const unknown = (await attempt('someone-else', 'guess', from)).reply;
    const real = (await attempt(bo.name, 'not-bo-password', from)).reply;
    assertRefused(unknown, 429, 'TOO_MANY_ATTEMPTS', 'an unknown name');
    assertRefused(real, 429, 'TOO_MANY_ATTEMPTS', 'a real name with a wrong password');
    assertRetryAfter(real);
    // The account's owner, behind the same address, signs in.
    assert.equal((await attempt(bo.name, bo.password, from)).reply.status, 200, 'the right password from that address');
  });

  it('refuses an address that guesses at many real accounts (429), even for a right password, while other addresses log in', async () => {
    const from = '127.0.7.1';
    const users = await Promise.all(['spray-a', 'spray-b', 'spray-c'].map((n) => createUser(g, n)));
    for (const u of users.slice(0, 2)) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(u.name, `guess-${i}`, from)));
    }
    assertRefused((await attempt(users[2]!.name, users[2]!.password, from)).reply, 429, 'TOO_MANY_ATTEMPTS', 'a right password from the spraying address');
    assertRefused((await attempt('no-such-user-here', 'guess', from)).reply, 429, 'TOO_MANY_ATTEMPTS', 'an unknown name there: the same answer');
    assert.equal((await attempt(users[2]!.name, users[2]!.password, '127.0.7.2')).reply.status, 200, 'the same user from another address');
  });

  it('brakes guesses at the current password through a password change too (a stolen token cannot guess freely)', async () => {
    const victim = await createUser(g, 'victim');
    const change = (currentPassword: string) => callRoute(g, 'changePassword', { token: victim.token, from: '127.0.6.1', body: { currentPassword, newPassword: 'taken-over-password' } });
    for (let i = 0; i < 10; i++) assertRefused(await change(`guess-${i}`), 403, 'PASSWORD_INCORRECT', `guess ${i}`);
    const locked = await change(victim.password);
    assertRefused(locked, 429, 'TOO_MANY_ATTEMPTS', 'the right password once locked');
    assertRetryAfter(locked);
    assert.equal((await attempt(victim.name, victim.password, '127.0.6.2')).reply.status, 200, 'the user still logs in from elsewhere');
  });

  it('counts concurrent guesses from when they start: a burst of 20 gets at most 10 password checks', async () => {
    await createUser(g, 'burst');
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt('burst', `guess-${i}`, '127.0.3.1')));
    const codes = replies.map((r) => codeOf(r.reply));
    assert.equal(codes.filter((c) => c === 'LOGIN_FAILED').length, 10, codes.join(' '));
    assert.equal(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS').length, 10, codes.join(' '));
  });
});

describe('what ends sessions and credentials', () => {
  it('changing the password ends the other sessions, keeps this one, and the old password stops working', async () => {
    const user = await createUser(g, 'changer');
    const here = await login(g, user.name, user.password);
    const elsewhere = await login(g, user.name, user.password);
    const r = await callRoute(g, 'changePassword', { session: here.session, csrf: here.csrf, body: { currentPassword: user.password, newPassword: 'a-brand-new-password' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((await callRoute(g, 'whoami', { session: here.session })).status, 200, 'the session that changed it goes on');
    assertRefused(await callRoute(g, 'whoami', { session: elsewhere.session }), 401, 'UNAUTHENTICATED', 'another session');
    assertRefused((await attempt(user.name, user.password, '127.0.4.1')).reply, 401, 'LOGIN_FAILED', 'the old password');
    assert.equal((await attempt(user.name, 'a-brand-new-password', '127.0.4.1')).reply.status, 200);
  });

  it('refuses a password change with a wrong current password with 403 PASSWORD_INCORRECT (not 401: still logged in), and changes nothing', async () => {
    const user = await createUser(g, 'careful');
    const s = await login(g, user.name, user.password);
    const r = await callRoute(g, 'changePassword', { session: s.session, csrf: s.csrf, body: { currentPassword: 'not-it-at-all', newPassword: 'a-brand-new-password' } });
    assertRefused(r, 403, 'PASSWORD_INCORRECT', 'wrong current password');
    assert.equal(r.headers['set-cookie'], undefined, 'the session cookie is left alone');
    assert.equal((await callRoute(g, 'whoami', { session: s.session })).status, 200, 'the session goes on');
    assert.equal((await callRoute(g, 'changePassword', { token: user.token, body: { currentPassword: 'not-it-either', newPassword: 'a-brand-new-password' } })).status, 403, 'through a token too');
    assert.equal((await attempt(user.name, user.password, '127.0.4.2')).reply.status, 200);
  });

  it('an admin reset of the password ends every session of the user', async () => {
    const user = await createUser(g, 'reset');
    const s = await login(g, user.name, user.password);
    await g.client.call('updateUser', { params: { user: user.name }, body: { password: 'set-by-the-admin' } });
    assertRefused(await callRoute(g, 'whoami', { session: s.session }), 401, 'UNAUTHENTICATED', 'session after reset');
  });

  it('disabling a user fails its tokens and sessions on the next request; enabling brings the tokens back, not the sessions', async () => {
    const user = await createUser(g, 'leaver');
    const s = await login(g, user.name, user.password);
    assert.equal((await callRoute(g, 'whoami', { token: user.token })).status, 200);
    await g.client.call('updateUser', { params: { user: user.name }, body: { disabled: true } });
    assertRefused(await callRoute(g, 'whoami', { token: user.token }), 401, 'UNAUTHENTICATED', 'token of a disabled user');
    assertRefused(await callRoute(g, 'whoami', { session: s.session }), 401, 'UNAUTHENTICATED', 'session of a disabled user');
    assertRefused((await attempt(user.name, user.password, '127.0.5.1')).reply, 401, 'LOGIN_FAILED', 'login of a disabled user');
    await g.client.call('updateUser', { params: { user: user.name }, body: { disabled: false } });
    assert.equal((await callRoute(g, 'whoami', { token: user.token })).status, 200);
    assertRefused(await callRoute(g, 'whoami', { session: s.session }), 401, 'UNAUTHENTICATED', 'the old session stays ended');
  });

  it('deleting a user ends its tokens and sessions', async () => {
    const user = await createUser(g, 'gone');
    const s = await login(g, user.name, user.password);
    await g.client.call('deleteUser', { params: { user: user.name } });
    assertRefused(await callRoute(g, 'whoami', { token: user.token }), 401, 'UNAUTHENTICATED', 'token');
    assertRefused(await callRoute(g, 'whoami', { session: s.session }), 401, 'UNAUTHENTICATED', 'session');
  });

  it('refuses to disable or demote the last administrator', async () => {
    for (const body of [{ disabled: true }, { admin: false }]) {
      const r = await callRoute(g, 'updateUser', { token: g.token, params: { user: 'admin' }, body });
      assert.equal(r.status, 403, JSON.stringify(r.body));
    }
    assert.equal((await callRoute(g, 'whoami', { token: g.token })).status, 200);
  });
});
