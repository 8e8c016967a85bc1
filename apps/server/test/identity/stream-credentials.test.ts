import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fillPath, GureumClient, routes } from '@gureum/contract';
import WebSocket from 'ws';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { waitRunning } from '../streams/support.js';
import { addMember, callRoute, createToken, createUser, login, sleep, type TestUser } from './identity-kit.js';

/**
 * A connection that stays open (the event stream, followed logs, a terminal) holds only while
 * its credential does: revoking the token, logging out, disabling the user or removing the role
 * the route needs ends it within a check period (1 s here), against a real server and engine.
 */
const RECHECK_SECONDS = 1;
/** Generous: a few check periods on a loaded machine. */
const ENDS_WITHIN_MS = 15_000;

let g: TestGureum;
let owner: TestUser;
const project = uniqueName('streamcred');
const app = uniqueName('shell');

/** An open HTTP stream (SSE or followed logs): its status, what arrived, and when it ended. */
interface OpenStream {
  status: number;
  text: () => string;
  ended: Promise<void>;
  isEnded: () => boolean;
  close: () => void;
}

function openStream(path: string, headers: Record<string, string>): Promise<OpenStream> {
  const url = new URL(path, g.url);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (res) => {
      let text = '';
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      const done = new Promise<void>((r) => res.once('close', () => r(void (ended = true))));
      resolve({ status: res.statusCode ?? 0, text: () => text, ended: done, isEnded: () => ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const eventsPath = routes.streamEvents.path;
const logsPath = () => `${fillPath(routes.instanceLogs.path, { project, instance: 'box' })}?follow=true`;

async function endsSoon(stream: OpenStream, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} was still open after ${ENDS_WITHIN_MS} ms`)), ENDS_WITHIN_MS)));
  await Promise.race([stream.ended, timeout]).finally(() => clearTimeout(timer));
}

before(async () => {
  g = await startGureum({ GUREUM_STREAM_RECHECK_SECONDS: String(RECHECK_SECONDS) });
  owner = await createUser(g, uniqueName('olive'));
  await new GureumClient({ baseUrl: g.url, token: owner.token }).call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'box', app } });
  await waitRunning(g, project, 'box');
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

describe('open streams end when their credential no longer holds (real server, real engine)', () => {
  it('ends the event stream of a revoked token, and keeps the one of a token that still holds', async () => {
    const doomed = await createToken(g, { token: owner.token }, { name: 'doomed' });
    const kept = await createToken(g, { token: owner.token }, { name: 'kept' });
    const revoked = await openStream(eventsPath, bearer(doomed.token));
    const alive = await openStream(eventsPath, bearer(kept.token));
    assert.equal(revoked.status, 200);
    assert.equal(alive.status, 200);

    const r = await callRoute(g, 'deleteToken', { params: { id: doomed.id }, token: owner.token });
    assert.equal(r.status, 200);
    await endsSoon(revoked, 'the stream of the revoked token');
    // Its last message says why, for a client to tell its user (`gureum events -f` does).
    assert.match(revoked.text(), /event: stream\.ended\ndata: \{"code":"UNAUTHENTICATED","message":"[^"]+"\}\n\n$/);
    // Several check periods later the other stream is still open, and still delivers.
    await sleep(3 * RECHECK_SECONDS * 1000);
    assert.equal(alive.isEnded(), false, 'a stream whose token holds stays open');
    await g.client.call('putSecret', { params: { project, secret: 'after-revoke' }, body: { value: 'x' } });
    await waitFor(() => alive.text().includes('"secret.updated"'), { timeoutMs: 10_000, what: 'the kept stream to deliver an event' });
    alive.close();

    const again = await openStream(eventsPath, bearer(doomed.token));
    assert.equal(again.status, 401, 'the revoked token cannot open a new stream either');
    again.close();
  });

  it('ends the event stream of a session that logged out', async () => {
    const name = uniqueName('sam');
    await g.client.call('createUser', { body: { name, password: 'sam-password-1', admin: false } });
    const s = await login(g, name, 'sam-password-1');
    const stream = await openStream(eventsPath, { cookie: `gureum_session=${encodeURIComponent(s.session)}` });
    assert.equal(stream.status, 200);
    const out = await callRoute(g, 'logout', { session: s.session, csrf: s.csrf, body: {} });
    assert.equal(out.status, 200);
    await endsSoon(stream, 'the stream of the ended session');
  });

  it("ends a viewer's followed logs when the admin disables the user", async () => {
    const vera = await createUser(g, uniqueName('vera'));
    await addMember(g, project, vera.name, 'viewer');
    const logs = await openStream(logsPath(), bearer(vera.token));
    assert.equal(logs.status, 200);
    await waitFor(() => logs.text().includes('started'), { timeoutMs: 10_000, what: 'the first log line' });
    await g.client.call('updateUser', { params: { user: vera.name }, body: { disabled: true } });
    await endsSoon(logs, 'the followed logs of the disabled user');
  });

  it("closes a member's terminal with the refusal when the member is removed from the project", async () => {
    const milo = await createUser(g, uniqueName('milo'));
    await addMember(g, project, milo.name, 'member');
    const url = `${g.url.replace(/^http/, 'ws')}${fillPath(routes.instanceExec.path, { project, instance: 'box' })}`;
    const ws = new WebSocket(url, { headers: bearer(milo.token) });
    const texts: { type: string; code?: string }[] = [];
    let output = '';
    ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? (output += data.toString()) : texts.push(JSON.parse(data.toString()) as { type: string })));
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(Buffer.from('echo $((6*7))\n'), { binary: true });
    await waitFor(() => /^42\r?$/m.test(output), { timeoutMs: 10_000, what: 'the shell to answer' });

    const r = await callRoute(g, 'deleteMember', { params: { project, user: milo.name }, token: owner.token });
    assert.equal(r.status, 200);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([closed, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the terminal stayed open')), ENDS_WITHIN_MS)))]).finally(() => clearTimeout(timer));
    assert.equal(code, 1008, 'closed for policy');
    assert.equal(texts.at(-1)?.type, 'error');
    assert.equal(texts.at(-1)?.code, 'PROJECT_NOT_FOUND', 'the refusal a stranger to the project gets');
  });
});
