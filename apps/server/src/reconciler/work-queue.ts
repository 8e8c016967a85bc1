/**
 * A keyed work queue: a key waits at most once, is worked by one worker at a time, and a key
 * enqueued while it is being worked runs again right after.
 */
export class WorkQueue {
  private readonly waiting: string[] = [];
  private readonly waitingSet = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  /** Delayed keys: their timer and when it fires. */
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly worker: (key: string) => Promise<void>,
    private readonly concurrency: number,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  /** Keys waiting or running: the work-queue depth. */
  get depth(): number {
    return this.waitingSet.size + this.running.size;
  }

  /** With a delay, the key runs once the earliest of its pending delays is over. */
  enqueue(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      const at = Date.now() + delayMs;
      const pending = this.timers.get(key);
      if (pending && pending.at <= at) return;
      if (pending) clearTimeout(pending.timer);
      const timer = setTimeout(() => {
        this.timers.delete(key);
        this.enqueue(key);
      }, delayMs);
      timer.unref();
      this.timers.set(key, { timer, at });
      return;
    }
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    if (this.waitingSet.has(key)) return;
    this.waitingSet.add(key);
    this.waiting.push(key);
    this.pump();
  }

  /** Resolves when nothing waits or runs (delayed keys do not count). */
  async idle(): Promise<void> {
    if (this.depth === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    this.waitingSet.clear();
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const key = this.waiting.shift()!;
      this.waitingSet.delete(key);
      this.running.add(key);
      void this.work(key);
    }
    if (this.depth === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async work(key: string): Promise<void> {
    try {
      await this.worker(key);
    } catch (err) {
      this.onError(key, err);
    } finally {
      this.running.delete(key);
      if (this.again.delete(key)) this.enqueue(key);
      this.pump();
    }
  }
}
