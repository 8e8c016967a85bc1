import assert from 'node:assert/strict';
import type { Instance } from '@gureum/contract';
import { waitFor, type TestGureum } from '../support/harness.js';

export interface JsonAnswer {
  status: number;
  contentType: string;
  json: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
}

/** One request with the admin token (or `token`), answered as status + parsed JSON. */
export async function requestJson(g: TestGureum, method: string, path: string, init: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}): Promise<JsonAnswer> {
  const token = init.token === undefined ? g.token : init.token;
  const res = await fetch(g.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let json: JsonAnswer['json'];
  try {
    json = JSON.parse(text) as JsonAnswer['json'];
  } catch {
    assert.fail(`${method} ${path} answered ${res.status} with non-JSON: ${text.slice(0, 300)}`);
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', json };
}

/** Waits until every desired replica of the instance runs. */
export async function waitRunning(g: TestGureum, project: string, instance: string, timeoutMs = 40_000): Promise<Instance> {
  return waitFor(
    async () => {
      const i = await g.client.call('getInstance', { params: { project, instance } });
      const desired = i.components.reduce((n, c) => n + c.desiredReplicas, 0);
      return i.phase === 'running' && i.replicas.filter((r) => r.state === 'running' && r.containerId).length === desired && i;
    },
    { timeoutMs, what: `${project}/${instance} to run` },
  );
}

/**
 * Open connections of this process to the engine socket (and any other unix socket): each
 * followed engine log or exec holds one, so a stream the server forgot to release shows here.
 */
export function openPipes(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'PipeWrap').length;
}

/** The fewest pipes seen over a few samples: one-off engine calls of the reconciler come and go. */
export async function settledPipes(samples = 20): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < samples; i++) {
    min = Math.min(min, openPipes());
    await new Promise((r) => setTimeout(r, 50));
  }
  return min;
}

/** Reads a text stream line by line until `until` says stop (or the stream ends); answers the lines. */
export async function readLinesUntil(body: ReadableStream<Uint8Array>, until: (lines: string[]) => boolean): Promise<{ lines: string[]; ended: boolean }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (pending) lines.push(pending);
        return { lines, ended: true };
      }
      pending += decoder.decode(value, { stream: true });
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      if (until(lines)) return { lines, ended: false };
    }
  } finally {
    reader.releaseLock();
  }
}
