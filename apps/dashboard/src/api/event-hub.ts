import { ApiError, type Event, type GureumClient } from '@gureum/contract';

export type HubState = 'connecting' | 'live' | 'down';
type Listener = (event: Event) => void;

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15_000;

/**
 * One Server-Sent Events connection for the whole page, shared by every list that wants to
 * stay live. It reconnects by itself and resumes after the last event it saw (the server
 * replays what came in between), so nothing is missed across a blip.
 */
export class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(s: HubState) => void>();
  private controller: AbortController | null = null;
  private lastId: number | undefined;
  private _state: HubState = 'connecting';

  constructor(
    private readonly client: GureumClient,
    private readonly onUnauthenticated: () => void = () => undefined,
  ) {}

  get state(): HubState {
    return this._state;
  }

  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (s: HubState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Hands an event to every listener (also used by tests and benches to drive a page). */
  emit(event: Event): void {
    for (const listener of this.listeners) listener(event);
  }

  private setState(state: HubState): void {
    if (state === this._state) return;
    this._state = state;
    for (const l of this.stateListeners) l(state);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (!signal.aborted) {
      this.setState('connecting');
      try {
        const stream = this.client.events({}, { signal, ...(this.lastId !== undefined && { lastEventId: this.lastId }) });
        this.setState('live');
        for await (const event of stream) {
          delay = RETRY_MIN_MS;
          this.lastId = event.id;
          this.emit(event);
        }
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          this.setState('down');
          this.onUnauthenticated();
          return;
        }
      }
      if (signal.aborted) return;
      this.setState('down');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }
}
