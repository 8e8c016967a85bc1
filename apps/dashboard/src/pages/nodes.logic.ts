import type { Node, NodeSample } from '@gureum/contract';
import { formatBytes } from '../ui/format.js';

export interface NodeRow {
  name: string;
  status: Node['status'];
  engine: string;
  platform: string;
  labels: string[];
  cpu: Meter;
  memory: Meter;
  disk: Meter | null;
  load1: number | null;
  /** When the sample was taken; null without metrics. */
  sampledAt: string | null;
}

export interface Meter {
  /** 0..1, null when the use is unknown. */
  fraction: number | null;
  text: string;
}

function meter(used: number | undefined, total: number, fmt: (n: number) => string): Meter {
  if (used === undefined) return { fraction: null, text: `${fmt(total)} total` };
  return { fraction: total > 0 ? Math.min(1, used / total) : null, text: `${fmt(used)} of ${fmt(total)}` };
}

const cores = (n: number) => `${Math.round(n * 100) / 100} cores`;

/** Nodes with their latest sample (when the metrics route answers). */
export function nodeRows(nodes: readonly Node[], samples: readonly NodeSample[] | null): NodeRow[] {
  const byNode = new Map((samples ?? []).map((s) => [s.node, s]));
  return nodes.map((n) => {
    const s = byNode.get(n.name);
    return {
      name: n.name,
      status: n.status,
      engine: `${n.engine} ${n.engineVersion}`,
      platform: `${n.os}/${n.arch}`,
      labels: Object.entries(n.labels).map(([k, v]) => (v === '' ? k : `${k}=${v}`)),
      cpu: meter(s?.cpuCores, s?.cpus ?? n.cpus, cores),
      memory: meter(s?.memoryBytes, s?.memoryTotalBytes ?? n.memoryBytes, formatBytes),
      disk: s ? meter(s.diskUsedBytes, s.diskTotalBytes, formatBytes) : null,
      load1: s?.load1 ?? null,
      sampledAt: s?.time ?? null,
    };
  });
}
