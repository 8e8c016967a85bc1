import type { Point } from '@gureum/contract';
import { useApi } from '../api/hooks.js';
import { seriesByInstance } from './chart-data.js';

const EVERY_MS = 15_000;

export interface Sparklines {
  cpu: Map<string, readonly Point[]>;
  memory: Map<string, readonly Point[]>;
}

/**
 * The last 15 minutes of CPU and memory of every instance of a project: two queries for the
 * whole list (grouped by instance), refreshed every 15 s. Undefined while unknown or unavailable.
 */
export function useSparklines(project: string): { data: Sparklines | undefined; error: unknown } {
  const loaded = useApi(
    async (c) => {
      const query = { scope: 'project', id: project, from: '-15m', step: '30s', agg: 'sum', group: 'instance' } as const;
      const [cpu, memory] = await Promise.all([c.call('queryMetrics', { query: { ...query, metric: 'cpu_cores' } }), c.call('queryMetrics', { query: { ...query, metric: 'memory_bytes' } })]);
      return { cpu: seriesByInstance(cpu), memory: seriesByInstance(memory) };
    },
    [project],
    { everyMs: EVERY_MS },
  );
  return { data: loaded.data, error: loaded.error };
}
