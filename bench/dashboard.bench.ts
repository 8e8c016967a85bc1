/**
 * Dashboard budgets, in a real headless Chromium against a real Gureum (in this process, real
 * SQLite, real engine) serving the built dashboard:
 *   1. initial JavaScript: the entry chunk of index.html and its static imports, gzipped
 *      (from the Vite manifest). Goal: <= 250 KB.
 *   2. first meaningful paint of the instance list of a project of N instances on loopback:
 *      a fresh browser context each time (empty cache, session cookie set), from navigation
 *      start to the page's `gureum:instances-rendered` mark (set after the frame that paints the
 *      first rows).
 *      Baseline in the same run: the list request alone (fetch from the same page). Goal: <= 1 s.
 *   3. frames per second while the N-instance list updates live: instances are changed through
 *      the API (PATCH env, one `instance.updated` event each) at BENCH_UPDATES_PER_S; the page
 *      counts requestAnimationFrame callbacks per second. Baseline: the same page with no
 *      updates. Goal: no 1-second window below 30 fps.
 *
 * The N instances are created through the API with replicas 0 (no containers).
 *
 *   npm run build && node --import tsx bench/dashboard.bench.ts   # BENCH_INSTANCES=500
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../apps/dashboard/test/e2e/browser.js';
import { busyboxApp, removeProjects, REPO_ROOT, startGureum, uniqueName, type TestGureum } from '../apps/server/test/support/harness.js';
import { machineInfo, report, round, say, sleep, statsOf } from './support/bench-kit.js';

const INSTANCES = Math.min(2000, Number(process.env.BENCH_INSTANCES ?? 500));
const LOADS = Math.min(50, Number(process.env.BENCH_LOADS ?? 20));
const UPDATES_PER_S = Math.min(200, Number(process.env.BENCH_UPDATES_PER_S ?? 20));
const WINDOW_S = Math.min(120, Number(process.env.BENCH_SECONDS ?? 10));
const CREATE_CONCURRENCY = 8;
const ADMIN_PASSWORD = 'bench-admin-password';
const GOALS = { initialJsKB: 250, fmpMs: 1000, minFps: 30 };
const DIST = path.join(REPO_ROOT, 'apps/dashboard/dist');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The JS a first visit must download before anything renders: the entry and its static imports. */
function initialJs(): { files: string[]; bytes: number; gzipBytes: number } {
  const manifestPath = path.join(DIST, '.vite/manifest.json');
  if (!fs.existsSync(manifestPath)) throw new Error('apps/dashboard/dist is missing: run `npm run build` first');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('no entry in the Vite manifest');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const i of manifest[key]?.imports ?? []) visit(i);
  };
  visit(entry);
  const files = [...seen].map((k) => manifest[k]!.file);
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const body = fs.readFileSync(path.join(DIST, f));
    bytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files, bytes, gzipBytes };
}

async function sessionCookie(g: TestGureum): Promise<string> {
  const res = await fetch(`${g.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: ADMIN_PASSWORD }) });
  const cookie = res.headers.get('set-cookie')?.match(/gureum_session=([^;]+)/)?.[1];
  if (!res.ok || !cookie) throw new Error(`login answered ${res.status}`);
  return decodeURIComponent(cookie);
}

async function openList(browser: Browser, g: TestGureum, cookie: string, project: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'gureum_session', value: cookie, url: g.url }]);
  const page = await context.newPage();
  await page.goto(`${g.url}/projects/${project}/instances`);
  await page.waitForFunction(() => performance.getEntriesByName('gureum:instances-rendered').length > 0, undefined, { timeout: 30_000 });
  return { page, close: () => context.close() };
}

/** Frames counted per second in the page over `seconds`, while `drive` runs alongside. */
async function countFrames(page: Page, seconds: number, drive: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx would wrap the page's inner functions in a helper the page lacks.
  const counting = page.evaluate<number[]>(`new Promise((resolve) => {
    const perSecond = [];
    let start = performance.now();
    let frames = 0;
    const tick = (now) => {
      frames++;
      if (now - start >= 1000) {
        perSecond.push((frames * 1000) / (now - start));
        frames = 0;
        start = now;
      }
      if (perSecond.length < ${seconds}) requestAnimationFrame(tick);
      else resolve(perSecond);
    };
    requestAnimationFrame(tick);
  })`);
  await drive();
  return counting;
}

const docker = new Docker();
const machine = await machineInfo(docker);
const js = initialJs();
say(`initial JS: ${js.files.length} files, ${round(js.gzipBytes / 1024)} KB gzipped`);

const project = uniqueName('bdash');
const app = uniqueName('bench-dash');
// Gureum's default resync period (the harness's 2 s would keep the server busy with 500 instances).
const g = await startGureum({ GUREUM_ADMIN_PASSWORD: ADMIN_PASSWORD, GUREUM_RESYNC_SECONDS: '10' });
let browser: Browser | undefined;
let summary: Record<string, unknown> = {};
let human = '';
try {
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app) });
  say(`creating ${INSTANCES} instances (replicas 0)`);
  const names = Array.from({ length: INSTANCES }, (_, i) => `i${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += CREATE_CONCURRENCY) {
    await Promise.all(names.slice(i, i + CREATE_CONCURRENCY).map((name) => g.client.call('createInstance', { params: { project }, body: { name, app, replicas: 0 } })));
  }
  const cookie = await sessionCookie(g);
  browser = await launchChromium();

  say(`first meaningful paint, ${LOADS} cold loads`);
  // One untimed load first: the server's first answers warm its caches and the JIT.
  await (await openList(browser, g, cookie, project)).close();
  const fmp: number[] = [];
  const fcp: number[] = [];
  const apiMs: number[] = [];
  const bootMs: number[] = [];
  const scriptMs: number[] = [];
  const renderMs: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const { page, close } = await openList(browser, g, cookie, project);
    const t = await page.evaluate(async (listPath) => {
      const mark = performance.getEntriesByName('gureum:instances-rendered')[0]!.startTime;
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      const boot = performance.getEntriesByName('gureum:boot')[0]?.startTime ?? NaN;
      const render = performance.getEntriesByName('gureum:render')[0]?.startTime ?? NaN;
      // The entry and the first screen's chunk (see vite.config.ts): when the last of them arrived.
      const scripts = performance.getEntriesByType('resource').filter((e) => /\/assets\/(index|first)-[^/]*\.js$/.test(e.name)) as PerformanceResourceTiming[];
      const t0 = performance.now();
      await (await fetch(listPath)).arrayBuffer();
      return { mark, paint, boot, render, scriptLoaded: scripts.length > 0 ? Math.max(...scripts.map((e) => e.responseEnd)) : NaN, api: performance.now() - t0 };
    }, `/api/v1/projects/${project}/instances`);
    fmp.push(t.mark);
    fcp.push(t.paint);
    apiMs.push(t.api);
    bootMs.push(t.boot);
    scriptMs.push(t.scriptLoaded);
    renderMs.push(t.render);
    await close();
  }

  say(`frames per second over ${WINDOW_S} s: idle, then ${UPDATES_PER_S} updates/s`);
  const { page, close } = await openList(browser, g, cookie, project);
  // Let the rest of the rows (rendered progressively after the first screen) and the sparklines settle.
  await sleep(3000);
  const idle = await countFrames(page, WINDOW_S, () => Promise.resolve());
  const listRequests = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/instances') && !e.name.includes('/metrics')).length);
  const before = await listRequests();
  let updates = 0;
  const live = await countFrames(page, WINDOW_S, async () => {
    const end = Date.now() + WINDOW_S * 1000;
    while (Date.now() < end) {
      const t0 = Date.now();
      const name = names[updates % names.length]!;
      await g.client.call('updateInstance', { params: { project, instance: name }, body: { env: { BENCH: String(updates) } } });
      updates++;
      await sleep(Math.max(0, 1000 / UPDATES_PER_S - (Date.now() - t0)));
    }
  });
  const reloads = (await listRequests()) - before;
  const shownChanged = await page.getByRole('row').count();
  await close();

  const fmpStats = statsOf(fmp);
  const apiStats = statsOf(apiMs);
  const liveMin = round(Math.min(...live));
  summary = {
    machine,
    instances: INSTANCES,
    initialJs: { files: js.files, bytes: js.bytes, gzipKB: round(js.gzipBytes / 1024), goalKB: GOALS.initialJsKB, met: js.gzipBytes / 1024 <= GOALS.initialJsKB },
    firstMeaningfulPaint: { ms: fmpStats, firstContentfulPaintMs: statsOf(fcp.filter(Number.isFinite)), entryScriptLoadedMs: statsOf(scriptMs.filter(Number.isFinite)), scriptsEvaluatedMs: statsOf(bootMs.filter(Number.isFinite)), firstRenderMs: statsOf(renderMs.filter(Number.isFinite)), listRequestMs: apiStats, ratioP50: round(fmpStats.p50 / apiStats.p50, 2), goalMs: GOALS.fmpMs, met: fmpStats.p95 <= GOALS.fmpMs, samples: fmp },
    liveFps: { idle: statsOf(idle), updating: statsOf(live), minWindow: liveMin, updatesSent: updates, listReloadsSeen: reloads, rowsShown: shownChanged - 1, goalMinFps: GOALS.minFps, met: liveMin >= GOALS.minFps, samples: { idle, live } },
  };
  human =
    `dashboard: initial JS ${round(js.gzipBytes / 1024)} KB gz (goal ≤ ${GOALS.initialJsKB}); ` +
    `list of ${INSTANCES} painted p50 ${fmpStats.p50} ms, p95 ${fmpStats.p95} ms (list request p50 ${apiStats.p50} ms; goal ≤ ${GOALS.fmpMs}); ` +
    `live: min ${liveMin} fps, p50 ${statsOf(live).p50} fps over ${WINDOW_S} s with ${updates} updates and ${reloads} list reloads (idle p50 ${statsOf(idle).p50}; goal ≥ ${GOALS.minFps})`;
} finally {
  await browser?.close();
  await g.stop();
  await removeProjects(project);
}
report('dashboard', summary, human);
