import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import type { EventService } from '../core/event.service.js';
import type { Runtime } from '../core/runtime.js';

export interface VolumeUsageOptions {
  /** How often every volume is measured (and over-size volumes reported). */
  periodMs: number;
  /** An answer (GET) measures again when the last measurement is older than this. */
  freshMs: number;
  log?: Pick<Logger, 'warn'>;
  now?: () => number;
}

const key = (project: string, volume: string) => `${project}/${volume}`;

/**
 * What volumes really hold on disk. A volume's sizeBytes is a reservation counted against the
 * project quota; the engine's local driver does not cap a volume at it. So usage is measured
 * (periodically, and on an answer when the last figures are stale) and a volume that grows past
 * its declared size is reported once per crossing with a `volume.over_size` event.
 */
export class VolumeUsage {
  private used = new Map<string, number | null>();
  /** Volumes reported over their size, so each crossing is reported once. */
  private readonly over = new Set<string>();
  private measuredAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly runtime: Pick<Runtime, 'volumeUsage'>,
    private readonly events: EventService,
    private readonly o: VolumeUsageOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    const tick = () => void this.measure().catch((err: unknown) => this.o.log?.warn({ err }, 'could not measure volume usage'));
    this.timer = setInterval(tick, this.o.periodMs);
    this.timer.unref();
    tick();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Measures every volume now; callers at the same time share one measurement. */
  measure(): Promise<void> {
    this.inFlight ??= this.measureOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Measures if the figures are stale; an engine that does not answer leaves the last ones. */
  async refresh(): Promise<void> {
    if (this.now() - this.measuredAt < this.o.freshMs) return;
    await this.measure().catch((err: unknown) => this.o.log?.warn({ err }, 'could not measure volume usage'));
  }

  /** A deleted volume's figures go with it (a volume re-created under its name starts empty). */
  forget(project: string, volume: string): void {
    this.used.delete(key(project, volume));
    this.over.delete(key(project, volume));
  }

  /** Bytes on disk at the last measurement; null when never measured (not mounted yet, or the engine could not tell). */
  usedBytes(project: string, volume: string): number | null {
    return this.used.get(key(project, volume)) ?? null;
  }

  private async measureOnce(): Promise<void> {
    const measured = await this.runtime.volumeUsage();
    this.used = new Map(measured.map((m) => [key(m.project, m.volume), m.usedBytes]));
    this.measuredAt = this.now();
    const seen = new Set<string>();
    for (const v of await this.store.volumes.list()) {
      const k = key(v.project, v.name);
      seen.add(k);
      const used = this.used.get(k) ?? null;
      const isOver = v.sizeBytes !== null && used !== null && used > v.sizeBytes;
      if (!isOver) {
        this.over.delete(k);
        continue;
      }
      if (this.over.has(k)) continue;
      this.over.add(k);
      await this.events.record('volume.over_size', {
        project: v.project,
        message: `volume ${v.name} holds ${used} bytes, more than its declared size of ${v.sizeBytes} bytes (the local driver does not cap it)`,
        data: { volume: v.name, sizeBytes: v.sizeBytes, usedBytes: used },
      });
    }
    for (const k of this.over) if (!seen.has(k)) this.over.delete(k); // deleted volumes
  }
}
