import fs from 'node:fs';
import { parseLoadavg, parseMeminfo, parseProcStat } from './cgroup-stats.js';
import type { HostRoots } from './cgroup-reader.js';
import type { NodeCounters } from '../../domain/core/runtime.js';

/** Used and total bytes of the distinct filesystems holding `paths` (those that exist). */
export function diskUse(paths: readonly string[]): { usedBytes: number; totalBytes: number } {
  const seen = new Set<number>();
  let used = 0;
  let total = 0;
  for (const p of paths) {
    let dev: number;
    let fsStats: fs.StatsFs;
    try {
      dev = fs.statSync(p).dev;
      fsStats = fs.statfsSync(p);
    } catch {
      continue; // absent or not readable: not part of this node's figures
    }
    if (seen.has(dev)) continue;
    seen.add(dev);
    used += (fsStats.blocks - fsStats.bfree) * fsStats.bsize;
    total += fsStats.blocks * fsStats.bsize;
  }
  return { usedBytes: used, totalBytes: total };
}

/** This host's counters from /proc and statfs. */
export function readHost(node: string, diskPaths: readonly string[], roots: HostRoots): NodeCounters {
  const cpu = parseProcStat(fs.readFileSync(`${roots.proc}/stat`, 'utf8'));
  const memory = parseMeminfo(fs.readFileSync(`${roots.proc}/meminfo`, 'utf8'));
  const disk = diskUse(diskPaths);
  return {
    node,
    time: Date.now(),
    cpuBusyTicks: cpu.busy,
    cpuTotalTicks: cpu.total,
    cpus: cpu.cpus,
    memoryBytes: memory.usedBytes,
    memoryTotalBytes: memory.totalBytes,
    load1: parseLoadavg(fs.readFileSync(`${roots.proc}/loadavg`, 'utf8')),
    diskUsedBytes: disk.usedBytes,
    diskTotalBytes: disk.totalBytes,
  };
}
