/**
 * Pure parsers of the kernel's accounting files: cgroup v1 and v2, /proc/<pid>/net/dev and
 * the host's /proc files. No I/O here: cgroup-reader.ts reads, these understand.
 */

/** Where a process's cgroups are: per v1 controller, and the v2 (unified) path. */
export interface ProcCgroups {
  v1: Map<string, string>;
  v2: string | null;
}

/** /proc/<pid>/cgroup: `hierarchy:controllers:path` per line (`0::path` is the v2 one). */
export function parseProcCgroup(text: string): ProcCgroups {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1).trim();
    if (line.slice(0, first) === '0' && controllers === '') v2 = path;
    else for (const c of controllers.split(',')) if (c) v1.set(c, path);
  }
  return { v1, v2 };
}

/**
 * Which hierarchy holds a process's counters: v1 when its memory and cpuacct controllers are
 * v1 (hybrid hosts also list an empty v2 line), else v2.
 */
export function cgroupVersionOf(cgroups: ProcCgroups): 1 | 2 | null {
  if (cgroups.v1.has('memory') && cgroups.v1.has('cpuacct')) return 1;
  return cgroups.v2 !== null ? 2 : null;
}

/** `key value` lines (memory.stat, cpu.stat, cpuacct.stat). */
export function parseKeyedFile(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

/** A single number (memory.usage_in_bytes, cpuacct.usage, memory.current). */
export function parseNumber(text: string): number {
  const value = Number(text.trim());
  if (!Number.isFinite(value)) throw new Error(`not a number: ${JSON.stringify(text.slice(0, 40))}`);
  return value;
}

/** v1 reports "no limit" as a page-rounded 2^63-1; v2 as "max". */
const UNLIMITED = 2 ** 62;

export function parseMemoryLimit(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === 'max' || trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value < UNLIMITED ? value : null;
}

/** v2 cpu.max (`max 100000` or `50000 100000`) in cores, null when unlimited. */
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (!quota || quota === 'max' || !period) return null;
  const cores = Number(quota) / Number(period);
  return Number.isFinite(cores) && cores > 0 ? cores : null;
}

/** v1 cfs_quota_us / cfs_period_us in cores, null when unlimited (-1). */
export function parseCfsQuota(quotaText: string, periodText: string): number | null {
  const quota = Number(quotaText.trim());
  const period = Number(periodText.trim());
  return quota > 0 && period > 0 ? quota / period : null;
}

/**
 * Working set as the kubelet and `docker stats` report it: usage less the inactive file
 * cache (which the kernel reclaims first). v1 names it total_inactive_file, v2 inactive_file.
 */
export function workingSet(usage: number, memoryStat: Map<string, number>): number {
  const inactive = memoryStat.get('total_inactive_file') ?? memoryStat.get('inactive_file') ?? 0;
  return Math.max(0, usage - inactive);
}

export interface IoBytes {
  read: number;
  write: number;
}

/** v1 blkio.*io_service_bytes*: `major:minor Read|Write|... bytes` lines, summed over devices. */
export function parseBlkioV1(text: string): IoBytes {
  const out = { read: 0, write: 0 };
  for (const line of text.split('\n')) {
    const [device, op, value] = line.trim().split(/\s+/);
    if (!device?.includes(':') || value === undefined) continue;
    if (op === 'Read') out.read += Number(value) || 0;
    else if (op === 'Write') out.write += Number(value) || 0;
  }
  return out;
}

/** v2 io.stat: `major:minor rbytes=.. wbytes=.. rios=..` lines, summed over devices. */
export function parseIoStatV2(text: string): IoBytes {
  const out = { read: 0, write: 0 };
  for (const line of text.split('\n')) {
    for (const field of line.trim().split(/\s+/).slice(1)) {
      const [key, value] = field.split('=');
      if (key === 'rbytes') out.read += Number(value) || 0;
      else if (key === 'wbytes') out.write += Number(value) || 0;
    }
  }
  return out;
}

export interface NetBytes {
  rx: number;
  tx: number;
}

/** /proc/<pid>/net/dev: bytes received and sent on every interface but loopback. */
export function parseNetDev(text: string): NetBytes {
  const out = { rx: 0, tx: 0 };
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo' || name.startsWith('Inter') || name.startsWith('face')) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    out.rx += fields[0] ?? 0;
    out.tx += fields[8] ?? 0;
  }
  return out;
}

export interface HostCpu {
  /** Cumulative ticks spent busy (everything but idle and iowait) and in total, over all CPUs. */
  busy: number;
  total: number;
  cpus: number;
}

/** /proc/stat: the aggregate `cpu` line, and the number of `cpuN` lines. */
export function parseProcStat(text: string): HostCpu {
  let busy = 0;
  let total = 0;
  let cpus = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) {
      // user nice system idle iowait irq softirq steal (guest time is already inside user)
      const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.slice(4).trim().split(/\s+/).map(Number);
      busy = user + nice + system + irq + softirq + steal;
      total = busy + idle + iowait;
    } else if (/^cpu\d+ /.test(line)) cpus++;
  }
  return { busy, total, cpus };
}

/** /proc/meminfo: total and in-use memory (total less what is available without swapping). */
export function parseMeminfo(text: string): { totalBytes: number; usedBytes: number } {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match) kb.set(match[1]!, Number(match[2]));
  }
  const total = kb.get('MemTotal') ?? 0;
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return { totalBytes: total * 1024, usedBytes: Math.max(0, total - available) * 1024 };
}

/** /proc/loadavg: the 1-minute load. */
export function parseLoadavg(text: string): number {
  return Number(text.trim().split(/\s+/)[0]) || 0;
}
