import Docker from 'dockerode';
import type { GureumClient, MetricsResult } from '@gureum/contract';
import type { EngineStats } from '../../src/drivers/docker/docker-stats.js';

export const MiB = 1024 * 1024;

const docker = new Docker();

/** The kernel's own accounting of a container, as the engine reports it (independent of Gureum's reading). */
export async function engineReading(containerId: string): Promise<{ at: number; cpuSeconds: number; workingSet: number; limit: number }> {
  const stats = (await (docker.getContainer(containerId) as unknown as { stats(o: object): Promise<EngineStats & { memory_stats: { limit?: number } }> }).stats({ stream: false, 'one-shot': true }));
  const memory = stats.memory_stats;
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  return { at: Date.now(), cpuSeconds: (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9, workingSet: (memory.usage ?? 0) - inactive, limit: memory.limit ?? 0 };
}

/** The values of the points of the first series (nulls dropped). */
export function valuesOf(result: MetricsResult): number[] {
  return (result.series[0]?.points ?? []).flatMap(([, v]) => (v === null ? [] : [v]));
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The replica's container id once the instance runs. */
export async function containerOf(client: GureumClient, project: string, instance: string): Promise<string | undefined> {
  const i = await client.call('getInstance', { params: { project, instance } });
  const r = i.replicas[0];
  return r?.state === 'running' && r.containerId ? r.containerId : undefined;
}
