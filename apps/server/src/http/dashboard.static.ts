import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** apps/dashboard/dist, from apps/server/src/http (tsx) or apps/server/dist/http (built). */
export const DASHBOARD_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dashboard/dist');

/** Paths the dashboard never answers, even when nothing else does: they belong to the API. */
const NOT_OURS = /^\/(api|healthz|readyz|metrics)(\/|$)/;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer | null;
  /** Hashed file names never change content: cache them for a year. */
  immutable: boolean;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Gureum</title>
<h1>Gureum's dashboard is not built</h1>
<p>Run <code>npm run build</code> (or <code>npm run up</code>) in the Gureum checkout, then reload this page.
The API works without it: see <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>`;

function readAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.vite') walk(rel);
        continue;
      }
      const ext = path.extname(entry.name);
      const body = fs.readFileSync(path.join(dir, rel));
      assets.set('/' + rel, { type: TYPES[ext] ?? 'application/octet-stream', body, gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : null, immutable: rel.startsWith('assets/') });
    }
  };
  walk('');
  return assets;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  void reply.header('content-type', asset.type).header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache').header('x-content-type-options', 'nosniff');
  if (asset.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(asset.gzip);
  }
  return reply.send(asset.body);
}

/**
 * Serves the built dashboard at / (read into memory once: the files are few and small), with
 * index.html for every other GET that is not the API's, so deep links of the single-page app
 * work. Answers whether a GET was handled; without a build, pages say how to make one.
 */
export function dashboardHandler(dir = DASHBOARD_DIST): (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null {
  const assets = fs.existsSync(path.join(dir, 'index.html')) ? readAssets(dir) : null;
  return (request, reply) => {
    const urlPath = request.url.split('?')[0] ?? '/';
    if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_OURS.test(urlPath)) return null;
    if (!assets) return reply.code(503).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    const asset = assets.get(urlPath);
    if (asset) return send(request, reply, asset);
    // A missing hashed asset is a real 404 (an old page asking for a chunk of a past build).
    if (urlPath.startsWith('/assets/')) return null;
    return send(request, reply, assets.get('/index.html')!);
  };
}

/** Registers the dashboard's routes: "/" explicitly, everything else through the not-found fallback. */
export function registerDashboard(app: FastifyInstance, handle: ReturnType<typeof dashboardHandler>): void {
  app.get('/', (request, reply) => handle(request, reply) ?? reply.code(404).send());
}
