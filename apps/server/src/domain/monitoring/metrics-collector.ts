import type { NodeSample, ReplicaMetric, ReplicaSample } from '@gureum/contract';
import type { Logger } from '../../logger.js';
import type { MetricsRepository, ReplicaRow } from '../../store/metrics.repository.js';
import type { Store } from '../../store/store.js';
import type { NodeCounters, ReplicaCounters, Runtime } from '../core/runtime.js';

/** How long each tier keeps its rows. */
export interface Retention {
  rawSeconds: number;
  minuteSeconds: number;
  hourSeconds: number;
}

export interface CollectorOptions {
  runtime: Runtime;
  store: Store;
  repo: MetricsRepository;
  log: Logger;
  intervalMs: number;
  retention: Retention;
  /** Directories whose filesystems make up the node's disk figures (the data dir). */
  diskPaths: string[];
  /** Called with each collection's duration and the replicas it sampled (for /metrics). */
  onCollected?: (ms: number, replicas: number) => void;
}

const ROLL_UP_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

interface Slot {
  project: string;
  instance: string;
  component: string;
  replica: number;
  node: string;
  restarts: number;
}

/** Per-second rates between two readings of the same replica; null on the first or after a counter reset. */
function ratesBetween(prev: ReplicaCounters | undefined, cur: ReplicaCounters) {
  if (!prev || cur.time <= prev.time || cur.cpuSeconds < prev.cpuSeconds) return null;
  const seconds = (cur.time - prev.time) / 1000;
  const rate = (a: number, b: number) => Math.max(0, (b - a) / seconds);
  return {
    cpu: rate(prev.cpuSeconds, cur.cpuSeconds),
    rx: rate(prev.netRxBytes, cur.netRxBytes),
    tx: rate(prev.netTxBytes, cur.netTxBytes),
    read: rate(prev.blkReadBytes, cur.blkReadBytes),
    write: rate(prev.blkWriteBytes, cur.blkWriteBytes),
  };
}

/**
 * Samples every running replica and the node on an interval, turns cumulative counters into
 * rates and writes one batch per interval; rolls up every minute and prunes in the background.
 */
export class MetricsCollector {
  /** The latest sample of each replica and node that has a rate yet (for latest queries and /metrics). */
  latestReplicas: ReplicaSample[] = [];
  latestNodes: NodeSample[] = [];
  private readonly previous = new Map<string, ReplicaCounters>();
  private previousNode: NodeCounters | undefined;
  private timer: NodeJS.Timeout | undefined;
  private collecting: Promise<void> | undefined;
  private pruning: Promise<void> | undefined;
  private lastRollUp = 0;
  private lastPrune = 0;

  constructor(private readonly o: CollectorOptions) {}

  start(): void {
    if (this.o.intervalMs <= 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.collecting;
    await this.pruning;
  }

  /** One collection at a time: a tick that finds the last one still running is skipped. */
  private tick(): void {
    if (this.collecting) return;
    this.collecting = this.collect()
      .catch((err: unknown) => this.o.log.error({ err }, 'metrics collection failed'))
      .finally(() => (this.collecting = undefined));
  }

  async collect(): Promise<void> {
    const started = performance.now();
    const slots = new Map<string, Slot>();
    for (const instance of await this.o.store.instances.list()) {
      for (const r of instance.replicas) {
        if (r.containerId && r.state === 'running') {
          slots.set(r.containerId, { project: instance.project, instance: instance.name, component: r.component, replica: r.index, node: r.node ?? '', restarts: r.restartCount });
        }
      }
    }
    const [counters, node] = await Promise.all([this.o.runtime.sampleReplicas([...slots.keys()]), this.o.runtime.sampleNode(this.o.diskPaths).catch(() => null)]);
    const now = Date.now();
    const t = Math.floor(now / 1000);
    const rows: ReplicaRow[] = [];
    const latest: ReplicaSample[] = [];
    const seen = new Set<string>();
    for (const cur of counters) {
      const slot = slots.get(cur.id);
      if (!slot) continue;
      seen.add(cur.id);
      const rates = ratesBetween(this.previous.get(cur.id), cur);
      this.previous.set(cur.id, cur);
      const values: Record<ReplicaMetric, number | null> = {
        cpu_cores: rates?.cpu ?? null,
        memory_bytes: cur.memoryBytes,
        memory_limit_bytes: cur.memoryLimitBytes,
        net_rx_bps: rates?.rx ?? null,
        net_tx_bps: rates?.tx ?? null,
        blk_read_bps: rates?.read ?? null,
        blk_write_bps: rates?.write ?? null,
        restarts: slot.restarts,
      };
      rows.push({ project: slot.project, instance: slot.instance, component: slot.component, replica: slot.replica, values });
      if (rates) {
        latest.push({
          project: slot.project,
          instance: slot.instance,
          component: slot.component,
          replica: slot.replica,
          node: slot.node,
          time: new Date(cur.time).toISOString(),
          cpuCores: rates.cpu,
          cpuLimitCores: cur.cpuLimitCores,
          memoryBytes: cur.memoryBytes,
          memoryLimitBytes: cur.memoryLimitBytes,
          netRxBps: rates.rx,
          netTxBps: rates.tx,
          blkReadBps: rates.read,
          blkWriteBps: rates.write,
          restarts: slot.restarts,
        });
      }
    }
    for (const id of this.previous.keys()) if (!seen.has(id)) this.previous.delete(id);
    const nodeRows = node ? [this.nodeRow(node)] : [];
    await this.o.repo.write(t, rows, nodeRows.flatMap((n) => n.row));
    this.latestReplicas = latest;
    this.latestNodes = nodeRows.flatMap((n) => (n.sample ? [n.sample] : []));
    this.o.onCollected?.(performance.now() - started, rows.length);
    await this.maintain(now);
  }

  private nodeRow(cur: NodeCounters) {
    const prev = this.previousNode;
    this.previousNode = cur;
    const ticks = prev ? cur.cpuTotalTicks - prev.cpuTotalTicks : 0;
    const cpu = prev && ticks > 0 ? ((cur.cpuBusyTicks - prev.cpuBusyTicks) / ticks) * cur.cpus : null;
    const row = {
      node: cur.node,
      values: {
        node_cpu_cores: cpu,
        node_cpus: cur.cpus,
        node_memory_bytes: cur.memoryBytes,
        node_memory_total_bytes: cur.memoryTotalBytes,
        node_load1: cur.load1,
        node_disk_used_bytes: cur.diskUsedBytes,
        node_disk_total_bytes: cur.diskTotalBytes,
      },
    };
    const sample: NodeSample | null =
      cpu === null
        ? null
        : { node: cur.node, time: new Date(cur.time).toISOString(), cpuCores: cpu, cpus: cur.cpus, memoryBytes: cur.memoryBytes, memoryTotalBytes: cur.memoryTotalBytes, load1: cur.load1, diskUsedBytes: cur.diskUsedBytes, diskTotalBytes: cur.diskTotalBytes };
    return { row: [row], sample };
  }

  /** Roll-ups each minute (waited for: small), pruning every few minutes in the background. */
  private async maintain(now: number): Promise<void> {
    if (now - this.lastRollUp >= ROLL_UP_EVERY_MS) {
      this.lastRollUp = now;
      // Grace for late samples: a minute is rolled once two intervals have passed after it.
      await this.o.repo.rollUp(Math.floor(now / 1000), Math.ceil((2 * this.o.intervalMs) / 1000) + 1);
    }
    if (now - this.lastPrune >= PRUNE_EVERY_MS && !this.pruning) {
      this.lastPrune = now;
      const s = Math.floor(now / 1000);
      const { rawSeconds, minuteSeconds, hourSeconds } = this.o.retention;
      this.pruning = this.o.repo
        .prune({ raw: s - rawSeconds, '1m': s - minuteSeconds, '1h': s - hourSeconds }, () => new Promise((resolve) => setImmediate(resolve)))
        .then((deleted) => this.o.log.debug({ deleted }, 'metrics pruned'))
        .catch((err: unknown) => this.o.log.error({ err }, 'metrics pruning failed'))
        .finally(() => (this.pruning = undefined));
    }
  }
}
