import { useCallback, useEffect, useRef, useState } from 'react';
import type { Event, GureumClient } from '@gureum/contract';
import { useSession } from '../app/session.js';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Fetch again now (keeps showing the old data meanwhile). */
  reload: () => void;
}

export interface LoadOptions<T = unknown> {
  /** Reload when an event matching this arrives on the live stream. */
  liveOn?: (event: Event) => boolean;
  /** Also reload every this many milliseconds (for values that change without events, like metrics). */
  everyMs?: number;
  /**
   * Data already at hand for the first render (an answer that arrived while the page booted):
   * shown at once, and not asked for again on mount.
   */
  initial?: () => T | undefined;
}

/** Shortest gap between two live reloads: a burst of events costs one request. */
const LIVE_COALESCE_MS = 250;

/**
 * Loads something through the typed client and keeps it current: again when `deps` change,
 * when a matching live event arrives, and every `everyMs`. A failed reload keeps the last data.
 */
export function useApi<T>(load: (client: GureumClient) => Promise<T>, deps: readonly unknown[], options: LoadOptions<T> = {}): Loaded<T> {
  const { client, hub } = useSession();
  const [data, setData] = useState<T | undefined>(options.initial);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(data === undefined);
  /** The first mount already has its data: skip that one load. */
  const hadInitial = useRef(data !== undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const liveOnRef = useRef(options.liveOn);
  liveOnRef.current = options.liveOn;
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    loadRef.current(client).then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setError(err);
        setLoading(false);
      },
    );
  }, [client]);

  useEffect(() => {
    if (hadInitial.current) {
      hadInitial.current = false;
      return;
    }
    setData(undefined);
    reload();
  }, [reload, ...deps]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = hub.subscribe((event) => {
      if (!liveOnRef.current?.(event) || timer) return;
      timer = setTimeout(() => {
        timer = null;
        reload();
      }, LIVE_COALESCE_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [hub, reload]);

  useEffect(() => {
    if (!options.everyMs) return;
    const timer = setInterval(reload, options.everyMs);
    return () => clearInterval(timer);
  }, [options.everyMs, reload]);

  return { data, error, loading, reload };
}

/** Calls `handler` with each live event that `filter` accepts. */
export function useLiveEvents(filter: (event: Event) => boolean, handler: (event: Event) => void): void {
  const { hub } = useSession();
  const ref = useRef({ filter, handler });
  ref.current = { filter, handler };
  useEffect(() => hub.subscribe((e) => ref.current.filter(e) && ref.current.handler(e)), [hub]);
}

export interface Submit<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: unknown;
  clear: () => void;
}

/**
 * A form's submit: remembers the error (to show it where it happened) and never touches the
 * form's values, so nothing typed is lost when the API refuses. Answers whether it succeeded.
 */
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<unknown>): Submit<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const ref = useRef(action);
  ref.current = action;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await ref.current(...args);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clear: () => setError(undefined) };
}
