import type Docker from 'dockerode';
import type { ReplicaCounters } from '../../domain/core/runtime.js';
import { HOST_ROOTS, locateCgroup, readCgroup, stillHolds, type CgroupPlace, type HostRoots } from './cgroup-reader.js';
import type { DockerEngine } from './docker-engine.js';
import { mapBounded } from './docker-replicas.js';

/** Where a replica's counters come from: its cgroup files, or the engine with the limits its inspect gave. */
type Source = { kind: 'cgroup'; place: CgroupPlace } | { kind: 'engine'; cpuLimitCores: number | null; memoryLimitBytes: number | null };

/** What Gureum reads of the engine's stats answer (v1 and v2 hosts name the inactive cache differently). */
export interface EngineStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
}

/** Stats calls in flight at once when the files cannot be read. */
const ENGINE_CONCURRENCY = 8;
/** Containers read between two yields to the event loop: file reads are synchronous. */
const READS_PER_TURN = 40;

export function countersFromEngine(stats: EngineStats): Omit<ReplicaCounters, 'id' | 'time' | 'source' | 'cpuLimitCores' | 'memoryLimitBytes'> {
  const memory = stats.memory_stats ?? {};
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(stats.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  let read = 0;
  let write = 0;
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    if (entry.op.toLowerCase() === 'read') read += entry.value;
    else if (entry.op.toLowerCase() === 'write') write += entry.value;
  }
  return {
    cpuSeconds: (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9,
    memoryBytes: Math.max(0, (memory.usage ?? 0) - inactive),
    netRxBytes: rx,
    netTxBytes: tx,
    blkReadBytes: read,
    blkWriteBytes: write,
  };
}

function limitsOf(info: Docker.ContainerInspectInfo): { cpuLimitCores: number | null; memoryLimitBytes: number | null } {
  const host = info.HostConfig as { NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number; Memory?: number };
  const cpu = host.NanoCpus ? host.NanoCpus / 1e9 : host.CpuQuota && host.CpuQuota > 0 ? host.CpuQuota / (host.CpuPeriod || 100_000) : null;
  return { cpuLimitCores: cpu, memoryLimitBytes: host.Memory ? host.Memory : null };
}

/**
 * Samples containers' counters: from the kernel's cgroup files when the engine is on this
 * host (a few small reads, no engine call once a container is located), else from the
 * engine's stats API (one call per container per sample).
 */
export class DockerSampler {
  private readonly sources = new Map<string, Source>();

  constructor(
    private readonly engine: DockerEngine,
    private readonly mode: 'cgroup' | 'engine',
    private readonly roots: HostRoots = HOST_ROOTS,
  ) {}

  async sample(ids: readonly string[]): Promise<ReplicaCounters[]> {
    const wanted = new Set(ids);
    for (const id of this.sources.keys()) if (!wanted.has(id)) this.sources.delete(id);
    const out: ReplicaCounters[] = [];
    const viaEngine: string[] = [];
    let read = 0;
    for (const id of ids) {
      let source: Source | null | undefined = this.sources.get(id);
      if (source === undefined || (source.kind === 'cgroup' && !stillHolds(source.place, this.roots))) source = await this.locate(id);
      if (source === null) continue;
      if (source.kind === 'engine') {
        viaEngine.push(id);
        continue;
      }
      try {
        out.push({ id, time: Date.now(), ...readCgroup(source.place, this.roots), source: 'cgroup' });
      } catch {
        this.sources.delete(id); // stopped or restarted between the check and the read: located afresh next time
      }
      if (++read % READS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const fromEngine = await mapBounded(viaEngine, ENGINE_CONCURRENCY, (id) => this.readEngine(id));
    for (const counters of fromEngine) if (counters) out.push(counters);
    return out;
  }

  /** Inspects a container to find its counters; null when it is gone, not running or cannot be inspected. */
  private async locate(id: string): Promise<Source | null> {
    this.sources.delete(id);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.engine.withDeadline((signal) => this.engine.docker.getContainer(id).inspect({ abortSignal: signal }));
    } catch {
      return null; // gone, or the engine does not answer: left out of this sample
    }
    if (!info.State.Running) return null;
    const place = this.mode === 'cgroup' ? locateCgroup(info.Id, info.State.Pid, info.HostConfig.NetworkMode === 'host', this.roots) : null;
    const source: Source = place ? { kind: 'cgroup', place } : { kind: 'engine', ...limitsOf(info) };
    this.sources.set(id, source);
    return source;
  }

  private async readEngine(id: string): Promise<ReplicaCounters | null> {
    const source = this.sources.get(id);
    if (source?.kind !== 'engine') return null;
    try {
      // one-shot: the engine answers at once instead of waiting a second for a second reading.
      const stats = await this.engine.withDeadline<EngineStats>((signal) =>
        (this.engine.docker.getContainer(id) as unknown as { stats(o: object): Promise<EngineStats> }).stats({ stream: false, 'one-shot': true, abortSignal: signal }),
      );
      return { id, time: Date.now(), ...countersFromEngine(stats), cpuLimitCores: source.cpuLimitCores, memoryLimitBytes: source.memoryLimitBytes, source: 'engine' };
    } catch {
      this.sources.delete(id);
      return null;
    }
  }
}
