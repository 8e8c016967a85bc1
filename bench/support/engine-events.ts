import type { Readable } from 'node:stream';
import type Docker from 'dockerode';

/** A container event as the engine stamped it (epoch ms from timeNano). */
export interface EngineEvent {
  action: string;
  id: string;
  attributes: Record<string, string>;
  time: number;
}

interface Waiter {
  match: (e: EngineEvent) => boolean;
  resolve: (e: EngineEvent) => void;
  reject: (err: Error) => void;
}

const KEEP = 5000;

/**
 * Follows the engine's own container event stream (`docker events`), independently of Gureum:
 * the benchmark's witness of when a container really died and started again.
 */
export class EngineEvents {
  private readonly seen: EngineEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  /** Set when the engine's stream ended: the engine restarted or went away (another test stopping dockerd?). */
  lostAt: number | undefined;
  private closed = false;

  private constructor(private readonly stream: Readable) {}

  static async open(docker: Docker): Promise<EngineEvents> {
    const stream = (await docker.getEvents({ filters: { type: ['container'], event: ['start', 'die', 'destroy'] } })) as Readable;
    const events = new EngineEvents(stream);
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        const raw = JSON.parse(line) as { Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; timeNano?: number; time?: number };
        events.deliver({
          action: raw.Action ?? '',
          id: raw.Actor?.ID ?? '',
          attributes: raw.Actor?.Attributes ?? {},
          time: raw.timeNano ? raw.timeNano / 1e6 : (raw.time ?? 0) * 1000,
        });
      }
    });
    const lose = () => {
      if (events.closed || events.lostAt !== undefined) return;
      events.lostAt = Date.now();
      for (const w of events.waiters) w.reject(events.lostError());
      events.waiters.clear();
    };
    stream.on('error', lose);
    stream.on('end', lose);
    stream.on('close', lose);
    return events;
  }

  /** The first event matching, already seen or still to come; bounded. */
  async waitFor(match: (e: EngineEvent) => boolean, timeoutMs: number, what: string): Promise<EngineEvent> {
    const found = this.seen.find(match);
    if (found) return found;
    if (this.lostAt !== undefined) throw this.lostError();
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    try {
      return await new Promise<EngineEvent>((resolve, reject) => {
        waiter = { match, resolve, reject };
        this.waiters.add(waiter);
        timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter) this.waiters.delete(waiter);
    }
  }

  /** Every event seen so far (the last few thousand) that matches. */
  all(match: (e: EngineEvent) => boolean): EngineEvent[] {
    return this.seen.filter(match);
  }

  /** The latest event matching, if any. */
  last(match: (e: EngineEvent) => boolean): EngineEvent | undefined {
    for (let i = this.seen.length - 1; i >= 0; i--) if (match(this.seen[i]!)) return this.seen[i];
    return undefined;
  }

  /** Throws when the engine restarted since this follower opened: figures measured across a restart mean nothing. */
  assertEngineStayedUp(): void {
    if (this.lostAt !== undefined) throw this.lostError();
  }

  private lostError(): Error {
    return new Error(`the engine's event stream ended at ${new Date(this.lostAt ?? Date.now()).toISOString()} (dockerd restarted or stopped, perhaps by a test): run the benchmark again`);
  }

  close(): void {
    this.closed = true;
    this.stream.destroy();
  }

  private deliver(e: EngineEvent): void {
    this.seen.push(e);
    if (this.seen.length > KEEP) this.seen.splice(0, this.seen.length - KEEP);
    for (const w of this.waiters) {
      if (w.match(e)) {
        this.waiters.delete(w);
        w.resolve(e);
      }
    }
  }
}
