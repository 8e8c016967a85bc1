import fs from 'node:fs';
import path from 'node:path';
import { GureumClient } from '@gureum/contract';
import { pino } from 'pino';
import { loadConfig } from '../../apps/server/src/config.js';
import type { Runtime } from '../../apps/server/src/domain/core/runtime.js';
import { createGureum, createRuntime } from '../../apps/server/src/gureum.js';
import { DockerDriver } from '../../apps/server/src/drivers/docker/docker.driver.js';
import { tempDir, uniqueName, type TestGureum } from '../../apps/server/test/support/harness.js';

/** One Runtime call made by Gureum: which, when (performance.now() ms) and for how long. */
export interface Span {
  method: string;
  start: number;
  end: number;
  failed: boolean;
}

/**
 * Records every call Gureum makes through its Runtime, so a benchmark can tell where the time
 * of a deploy or a recovery goes (engine calls vs Gureum's own work between them).
 */
export class EngineTrace {
  readonly spans: Span[] = [];

  wrap(runtime: Runtime): Runtime {
    const spans = this.spans;
    return new Proxy(runtime, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function' || key === 'watchEvents' || typeof key === 'symbol') return value;
        const fn = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const start = performance.now();
          const result = fn.apply(target, args);
          if (!(result instanceof Promise)) return result;
          // Recorded when the call begins, so calls still in flight show too (end NaN until settled).
          const span: Span = { method: key, start, end: Number.NaN, failed: false };
          spans.push(span);
          return result.then(
            (v: unknown) => {
              span.end = performance.now();
              return v;
            },
            (err: unknown) => {
              span.end = performance.now();
              span.failed = true;
              throw err;
            },
          );
        };
      },
    });
  }

  /** Spans that started inside [from, to]. */
  between(from: number, to: number): Span[] {
    return this.spans.filter((s) => s.start >= from && s.start <= to).sort((a, b) => a.start - b.start);
  }

  /** Forgets spans older than `before` (long runs). */
  prune(before: number): void {
    let keep = 0;
    for (const s of this.spans) if (s.start >= before) this.spans[keep++] = s;
    this.spans.length = keep;
  }
}

/** Per method: calls and summed duration (ms) of the settled ones, over a set of spans. */
export function spanTotals(spans: readonly Span[]): Record<string, { calls: number; ms: number }> {
  const totals: Record<string, { calls: number; ms: number }> = {};
  for (const s of spans) {
    const t = (totals[s.method] ??= { calls: 0, ms: 0 });
    t.calls++;
    if (!Number.isNaN(s.end)) t.ms = Math.round((t.ms + s.end - s.start) * 10) / 10;
  }
  return totals;
}

export type TracedGureum = TestGureum & { trace: EngineTrace };

/**
 * startGureum() of the harness, with the Runtime wrapped in an EngineTrace. The resync period
 * defaults to Gureum's own default (10 s), not the harness's 2 s: a benchmark measures what a
 * user runs.
 */
export async function startTracedGureum(env: Record<string, string> = {}, dataDir = tempDir('gureum-bench-')): Promise<TracedGureum> {
  const installation = env.GUREUM_INSTALLATION ?? uniqueName('bench');
  const config = loadConfig({ GUREUM_DATA_DIR: dataDir, GUREUM_PORT: '0', GUREUM_HOST: '127.0.0.1', GUREUM_RESYNC_SECONDS: '10', GUREUM_LOG_LEVEL: 'warn', GUREUM_INSTALLATION: installation, ...env });
  const trace = new EngineTrace();
  const gureum = await createGureum(config, pino({ level: process.env.GUREUM_TEST_LOG ?? 'silent' }), trace.wrap(createRuntime(config)));
  await gureum.http.listen({ port: 0, host: '127.0.0.1' });
  const address = gureum.http.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const token = fs.readFileSync(path.join(dataDir, 'admin.token'), 'utf8').trim();
  return { gureum, installation, driver: new DockerDriver({ installation }), url, token, dataDir, trace, client: new GureumClient({ baseUrl: url, token }), stop: () => gureum.stop() };
}
