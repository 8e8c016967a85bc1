import type { Event } from '@gureum/contract';

/** An event as received, with the local time (performance.now() ms) it arrived. */
export interface Received {
  event: Event;
  at: number;
  seq: number;
}

interface Waiter {
  match: (e: Event) => boolean;
  after: number;
  resolve: (r: Received) => void;
}

const KEEP = 5000;

/**
 * Follows GET /api/v1/events/stream (SSE), as a dashboard would, and lets a benchmark wait for
 * the first event matching a predicate after a mark. Events received before the wait began but
 * after the mark count, so there is no race between an action and its wait.
 */
export class EventFollower {
  private readonly received: Received[] = [];
  private readonly waiters = new Set<Waiter>();
  private seq = 0;
  private failure: Error | undefined;

  private constructor(private readonly abort: AbortController) {}

  static async open(baseUrl: string, token: string): Promise<EventFollower> {
    const abort = new AbortController();
    const res = await fetch(`${baseUrl}/api/v1/events/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
    const follower = new EventFollower(abort);
    void follower.read(res.body);
    return follower;
  }

  /** A mark: wait for events that arrive after this point. */
  mark(): number {
    return this.seq;
  }

  async waitFor(match: (e: Event) => boolean, opts: { after: number; timeoutMs: number; what: string }): Promise<Received> {
    const found = this.received.find((r) => r.seq > opts.after && match(r.event));
    if (found) return found;
    if (this.failure) throw this.failure;
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    try {
      return await new Promise<Received>((resolve, reject) => {
        waiter = { match, after: opts.after, resolve };
        this.waiters.add(waiter);
        timer = setTimeout(() => reject(new Error(`no ${opts.what} within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter) this.waiters.delete(waiter);
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        const at = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data !== '') this.deliver(JSON.parse(data) as Event, at);
        }
      }
    } catch (err) {
      if (!this.abort.signal.aborted) this.failure = err as Error;
    }
  }

  private deliver(event: Event, at: number): void {
    const r: Received = { event, at, seq: ++this.seq };
    this.received.push(r);
    if (this.received.length > KEEP) this.received.splice(0, this.received.length - KEEP);
    for (const w of this.waiters) {
      if (r.seq > w.after && w.match(event)) {
        this.waiters.delete(w);
        w.resolve(r);
      }
    }
  }
}
