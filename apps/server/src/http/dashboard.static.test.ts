import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { dashboardHandler, registerDashboard } from './dashboard.static.js';

/** A server wired like buildServer: the dashboard at "/" and as the not-found fallback. */
function serve(dir: string): FastifyInstance {
  const app = Fastify();
  const handle = dashboardHandler(dir);
  registerDashboard(app, handle);
  app.get('/api/v1/thing', () => ({ ok: true }));
  app.setNotFoundHandler((request, reply) => {
    if (handle(request, reply)) return;
    void reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } });
  });
  return app;
}

describe('dashboard static files', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  const js = 'console.log("hi");'.repeat(200);
  fs.writeFileSync(path.join(dist, 'assets/index-abc123.js'), js);
  const app = serve(dist);
  after(async () => {
    await app.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and for any page path, never cached', async () => {
    for (const url of ['/', '/projects/lab/instances/web', '/catalog?x=1']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(res.body, /id="root"/);
    }
  });

  it('serves hashed assets for a year, gzipped when the browser takes it', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(res.rawPayload).toString(), js);
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, js);
  });

  it('never answers for the API, health, metrics or a missing asset', async () => {
    for (const url of ['/api/v1/nope', '/api', '/healthz', '/readyz', '/metrics', '/assets/gone-123.js']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'ROUTE_NOT_FOUND', url);
    }
    assert.equal((await app.inject({ url: '/api/v1/thing' })).json<{ ok: boolean }>().ok, true);
    assert.equal((await app.inject({ method: 'POST', url: '/projects' })).statusCode, 404);
  });

  it('says how to build the dashboard when it is not built', async () => {
    const empty = serve(fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-nodist-')));
    const res = await empty.inject({ url: '/' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build/);
    assert.equal((await empty.inject({ url: '/api/v1/nope' })).statusCode, 404);
    await empty.close();
  });
});
