import type { GureumClient } from '@gureum/contract';

declare global {
  interface Window {
    /** Set by index.html's inline script: requests made before any module loaded, by path and query. */
    gureumEarly?: Record<string, Promise<Response>>;
  }
}

/**
 * fetch that answers a GET index.html's inline script already made with that response (once
 * each), and asks the network for everything else.
 */
export function earlyFetch(early: Record<string, Promise<Response>> = window.gureumEarly ?? {}, fallback: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    // Only path and query matter: this page asks its own origin only.
    const url = new URL(input instanceof Request ? input.url : input, 'http://origin.invalid');
    const key = url.pathname + url.search;
    const response = early[key];
    if (response === undefined || (init?.method ?? 'GET') !== 'GET') return fallback(input, init);
    // A body is read once: the next ask goes to the network.
    delete early[key];
    return response;
  };
}

/**
 * Requests started while the page boots, before React has rendered anything: the page that
 * needs one takes it (once) instead of asking again, so the first screen waits for one round
 * trip in parallel with rendering rather than several in a row. An answer that has arrived
 * before the first render is read synchronously (`takeBootValue`), so that render already
 * shows it: no "Loading" pass, no second commit.
 */
interface Boot {
  promise: Promise<unknown>;
  /** Set once the answer arrived (not on an error: the page asks again and shows it). */
  value?: { of: unknown };
}
const started = new Map<string, Boot>();

export function bootRequest<T>(key: string, request: () => Promise<T>): void {
  const boot: Boot = { promise: request() };
  boot.promise.then(
    (of) => (boot.value = { of }),
    () => undefined, // whoever takes it sees the error
  );
  started.set(key, boot);
}

/** The boot request of `key`, once; undefined when there was none or it was taken. */
export function takeBoot<T>(key: string): Promise<T> | undefined {
  const boot = started.get(key);
  started.delete(key);
  return boot?.promise as Promise<T> | undefined;
}

/** The answer of the boot request of `key` if it has arrived (taken, once), else undefined. */
export function takeBootValue<T>(key: string): T | undefined {
  const boot = started.get(key);
  if (!boot?.value) return undefined;
  started.delete(key);
  return boot.value.of as T;
}

/**
 * Waits until every boot request has settled, or `ms` have passed: the first render then
 * shows the answers instead of a "Loading" pass followed by a second render.
 */
export async function bootSettled(ms: number, extra: readonly Promise<unknown>[] = []): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const all = Promise.allSettled([...[...started.values()].map((b) => b.promise), ...extra]);
  await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** What the first screen at `path` will ask for, asked now. */
export function startBootRequests(client: GureumClient, path: string): void {
  bootRequest('whoami', () => client.call('whoami', {}));
  const project = /^\/projects\/([^/]+)\/instances\/?$/.exec(path)?.[1];
  if (project) {
    const name = decodeURIComponent(project);
    bootRequest(`instances:${name}`, () => client.call('listInstances', { params: { project: name } }));
  }
}

/** Forgets every boot request (after a login: they were made without the session). */
export function clearBoot(): void {
  started.clear();
}
