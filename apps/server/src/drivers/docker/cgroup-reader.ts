import fs from 'node:fs';
import path from 'node:path';
import type { ReplicaCounters } from '../../domain/core/runtime.js';
import {
  cgroupVersionOf,
  parseBlkioV1,
  parseCfsQuota,
  parseCpuMax,
  parseIoStatV2,
  parseKeyedFile,
  parseMemoryLimit,
  parseNetDev,
  parseNumber,
  parseProcCgroup,
  workingSet,
  type IoBytes,
} from './cgroup-stats.js';

export interface HostRoots {
  /** Where the cgroup hierarchies are mounted (`/sys/fs/cgroup`). */
  cgroup: string;
  proc: string;
}

export const HOST_ROOTS: HostRoots = { cgroup: '/sys/fs/cgroup', proc: '/proc' };

/** Where one container's counters are on this host. */
export interface CgroupPlace {
  version: 1 | 2;
  pid: number;
  /** The container id, which its cgroup path contains (a reused pid's does not). */
  id: string;
  cpu: string;
  cpuQuota: string;
  memory: string;
  blkio: string;
  /** On the host network /proc/<pid>/net/dev shows the host's traffic: not the replica's. */
  hostNetwork: boolean;
  /**
   * Limits, read once: Gureum changes a replica's limits only by replacing it (a new
   * container), so re-reading them every sample would cost two to three reads for nothing.
   */
  limits?: { cpuCores: number | null; memoryBytes: number | null };
  /** The block I/O files this kernel has (v1: in the order `docker stats` reads them; v2: io.stat). */
  blkioFiles?: string[];
}

/** What the cgroup files give for one replica: its counters, without the reading's own facts. */
export type CgroupCounters = Omit<ReplicaCounters, 'id' | 'time' | 'source'>;

const read = (file: string) => fs.readFileSync(file, 'utf8');

/** A container's cgroup directories from its main process, or null when they cannot be found here. */
export function locateCgroup(id: string, pid: number, hostNetwork: boolean, roots: HostRoots = HOST_ROOTS): CgroupPlace | null {
  if (!(pid > 0)) return null;
  let cgroups;
  try {
    cgroups = parseProcCgroup(read(path.join(roots.proc, String(pid), 'cgroup')));
  } catch {
    return null;
  }
  const version = cgroupVersionOf(cgroups);
  let place: CgroupPlace | null = null;
  if (version === 1) {
    const at = (controller: string) => path.join(roots.cgroup, controller, cgroups.v1.get(controller) ?? '/');
    place = { version, pid, id, cpu: at('cpuacct'), cpuQuota: at('cpu'), memory: at('memory'), blkio: at('blkio'), hostNetwork };
  } else if (version === 2 && cgroups.v2 !== null) {
    const dir = path.join(roots.cgroup, cgroups.v2);
    place = { version, pid, id, cpu: dir, cpuQuota: dir, memory: dir, blkio: dir, hostNetwork };
  }
  // Inside a cgroup namespace the paths are relative to it: the files are then not where they say.
  return place && place.memory.includes(id) && fs.existsSync(place.memory) ? place : null;
}

/** Whether the place still belongs to the container (its pid may have ended and been reused). */
export function stillHolds(place: CgroupPlace, roots: HostRoots = HOST_ROOTS): boolean {
  try {
    return read(path.join(roots.proc, String(place.pid), 'cgroup')).includes(place.id);
  } catch {
    return false;
  }
}

/** Reads a container's cumulative counters from the kernel's files; throws when they are gone. */
export function readCgroup(place: CgroupPlace, roots: HostRoots = HOST_ROOTS): CgroupCounters {
  const file = (dir: string, name: string) => read(path.join(dir, name));
  let cpuSeconds: number;
  let usage: number;
  let io: IoBytes;
  if (place.version === 1) {
    cpuSeconds = parseNumber(file(place.cpu, 'cpuacct.usage')) / 1e9;
    place.limits ??= {
      cpuCores: parseCfsQuota(file(place.cpuQuota, 'cpu.cfs_quota_us'), file(place.cpuQuota, 'cpu.cfs_period_us')),
      memoryBytes: parseMemoryLimit(file(place.memory, 'memory.limit_in_bytes')),
    };
    usage = parseNumber(file(place.memory, 'memory.usage_in_bytes'));
    io = readBlkioV1(place);
  } else {
    cpuSeconds = (parseKeyedFile(file(place.cpu, 'cpu.stat')).get('usage_usec') ?? 0) / 1e6;
    place.limits ??= {
      cpuCores: fs.existsSync(path.join(place.cpuQuota, 'cpu.max')) ? parseCpuMax(file(place.cpuQuota, 'cpu.max')) : null,
      memoryBytes: parseMemoryLimit(file(place.memory, 'memory.max')),
    };
    usage = parseNumber(file(place.memory, 'memory.current'));
    place.blkioFiles ??= fs.existsSync(path.join(place.blkio, 'io.stat')) ? ['io.stat'] : [];
    io = place.blkioFiles.length > 0 ? parseIoStatV2(file(place.blkio, 'io.stat')) : { read: 0, write: 0 };
  }
  const { cpuCores: cpuLimitCores, memoryBytes: limit } = place.limits;
  const memoryBytes = workingSet(usage, parseKeyedFile(file(place.memory, 'memory.stat')));
  const net = place.hostNetwork ? { rx: 0, tx: 0 } : parseNetDev(read(path.join(roots.proc, String(place.pid), 'net', 'dev')));
  return { cpuSeconds, cpuLimitCores, memoryBytes, memoryLimitBytes: limit, netRxBytes: net.rx, netTxBytes: net.tx, blkReadBytes: io.read, blkWriteBytes: io.write };
}

/**
 * v1 counts block I/O in the CFQ/BFQ file on some kernels and only in the throttle file on
 * others (the one `docker stats` falls back to): the first with device lines wins.
 */
function readBlkioV1(place: CgroupPlace): IoBytes {
  place.blkioFiles ??= ['blkio.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes_recursive'].filter((name) => fs.existsSync(path.join(place.blkio, name)));
  for (const name of place.blkioFiles) {
    const text = read(path.join(place.blkio, name));
    if (/^\d+:\d+ /m.test(text)) return parseBlkioV1(text);
  }
  return { read: 0, write: 0 };
}
