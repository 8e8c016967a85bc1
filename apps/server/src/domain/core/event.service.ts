import type { EventType } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import type { Scope } from '../identity/access.js';
import type { EventRecord } from './records.js';

export interface NewEvent {
  project?: string | null;
  instance?: string | null;
  message: string;
  data?: Record<string, unknown>;
  /** The id of the user this event belongs to when only that user (and admins) may see it: its tokens. */
  privateTo?: string;
}

/** `privateTo`: as recorded (see NewEvent); a subscriber decides with it who may see the event. */
type Listener = (event: EventRecord, privateTo: string | null) => void;

/** Stores every lifecycle event and fans it out to live subscribers (SSE). */
export class EventService {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly store: Store) {}

  async record(type: EventType, e: NewEvent): Promise<EventRecord> {
    const event = await this.store.events.insert({
      time: new Date().toISOString(),
      type,
      project: e.project ?? null,
      instance: e.instance ?? null,
      message: e.message,
      data: e.data ?? {},
    }, e.privateTo ?? null);
    for (const listener of this.listeners) listener(event, e.privateTo ?? null);
    return event;
  }

  async list(filter: { project?: string | undefined; instance?: string | undefined; type?: string | undefined; since?: string | undefined; limit: number }, scope?: Scope): Promise<EventRecord[]> {
    const since = filter.since;
    const afterId = since !== undefined && /^\d+$/.test(since) ? Number(since) : undefined;
    const sinceTime = since !== undefined && afterId === undefined ? new Date(since) : undefined;
    return this.store.events.list({
      ...(filter.project !== undefined && { project: filter.project }),
      ...(filter.instance !== undefined && { instance: filter.instance }),
      ...(filter.type !== undefined && { type: filter.type }),
      ...(afterId !== undefined && { afterId }),
      ...(sinceTime !== undefined && !Number.isNaN(sinceTime.getTime()) && { sinceTime: sinceTime.toISOString() }),
      ...(scope !== undefined && !scope.all && { projects: [...scope.projects], ...(scope.userId !== null && { privateTo: scope.userId }) }),
      limit: filter.limit,
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
