/**
 * Sessions over HTTPS (GUREUM_TLS_CERT / GUREUM_TLS_KEY, a self-signed certificate made here
 * with openssl) and the session lifetime (GUREUM_SESSION_HOURS): the cookie is Secure over
 * TLS, lasts what was configured, and a session past its expiry is refused.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { startGureum, tempDir, type TestGureum } from '../support/harness.js';

const run = promisify(execFile);
const ADMIN_PASSWORD = 'admin-over-tls';

let g: TestGureum;
let ca: Buffer;

before(async () => {
  const dir = tempDir('gureum-tls-');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  ca = fs.readFileSync(cert);
  g = await startGureum({ GUREUM_TLS_CERT: cert, GUREUM_TLS_KEY: key, GUREUM_SESSION_HOURS: '2', GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD });
});

after(async () => {
  await g?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A request over HTTPS that trusts only the test's certificate. */
function call(method: string, urlPath: string, options: { body?: unknown; cookie?: string } = {}): Promise<Answer> {
  const url = new URL(urlPath, g.url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: url.hostname, port: url.port, path: url.pathname, method, ca, headers: { ...(options.body !== undefined && { 'content-type': 'application/json' }), ...(options.cookie !== undefined && { cookie: `gureum_session=${options.cookie}` }) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(JSON.stringify(options.body));
    req.end();
  });
}

function sessionCookie(a: Answer): string {
  const c = ([] as string[]).concat(a.headers['set-cookie'] ?? []).find((x) => x.startsWith('gureum_session='));
  assert.ok(c, 'a gureum_session cookie is set');
  return c;
}

describe('sessions over HTTPS', () => {
  it('serves the API over TLS', async () => {
    assert.match(g.url, /^https:/);
    assert.equal((await call('GET', '/healthz')).status, 200);
  });

  it('sets the session cookie Secure (and HttpOnly, SameSite=Strict), lasting GUREUM_SESSION_HOURS', async () => {
    const r = await call('POST', '/api/v1/auth/login', { body: { user: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const attrs = sessionCookie(r)
      .split(';')
      .map((a) => a.trim().toLowerCase());
    assert.ok(attrs.includes('secure'), attrs.join('; '));
    assert.ok(attrs.includes('httponly') && attrs.includes('samesite=strict'), attrs.join('; '));
    const maxAge = Number(attrs.find((a) => a.startsWith('max-age='))?.slice('max-age='.length));
    assert.ok(maxAge > 2 * 3600 - 60 && maxAge <= 2 * 3600, `Max-Age ${maxAge}: 2 hours`);
    const left = Date.parse(r.body.expiresAt as string) - Date.now();
    assert.ok(left > 2 * 3600_000 - 60_000 && left <= 2 * 3600_000, `expires in ${left} ms: 2 hours`);
  });

  it('clears the cookie at logout with Secure too (a browser ignores a non-Secure cookie that would overwrite a Secure one)', async () => {
    const r = await call('POST', '/api/v1/auth/login', { body: { user: 'admin', password: ADMIN_PASSWORD } });
    const session = decodeURIComponent(sessionCookie(r).split(';')[0]!.slice('gureum_session='.length));
    const out = await new Promise<Answer>((resolve, reject) => {
      const url = new URL('/api/v1/auth/logout', g.url);
      const req = https.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', ca, headers: { cookie: `gureum_session=${encodeURIComponent(session)}`, 'x-csrf-token': r.body.csrfToken as string } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: {} }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(out.status, 200);
    const attrs = sessionCookie(out)
      .split(';')
      .map((a) => a.trim().toLowerCase());
    assert.ok(attrs.includes('max-age=0') && attrs.includes('secure'), attrs.join('; '));
  });

  it('refuses a session once it has expired (the session row aged past its expiry), and takes a fresh login', async () => {
    const r = await call('POST', '/api/v1/auth/login', { body: { user: 'admin', password: ADMIN_PASSWORD } });
    const session = encodeURIComponent(decodeURIComponent(sessionCookie(r).split(';')[0]!.slice('gureum_session='.length)));
    assert.equal((await call('GET', '/api/v1/auth/whoami', { cookie: session })).status, 200, 'valid before');
    const db = new SqliteDatabase(path.join(g.dataDir, 'gureum.db'));
    try {
      const aged = db.prepare('UPDATE sessions SET expires_at = ? WHERE expires_at = ?').run(new Date(Date.now() - 1000).toISOString(), r.body.expiresAt);
      assert.equal(aged.changes, 1, 'exactly this session was aged');
    } finally {
      db.close();
    }
    const after = await call('GET', '/api/v1/auth/whoami', { cookie: session });
    assert.equal(after.status, 401);
    assert.equal((after.body as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    const again = await call('POST', '/api/v1/auth/login', { body: { user: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(again.status, 200);
  });
});
