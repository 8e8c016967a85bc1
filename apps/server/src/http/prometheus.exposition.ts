import type { NodeSample, ReplicaSample } from '@gureum/contract';
import type { FastifyInstance } from 'fastify';
import type { Histogram, Telemetry } from '../domain/core/telemetry.js';
import type { Services } from './context.js';

/** Prometheus text format 0.0.4. */
export const EXPOSITION_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
}

class Writer {
  readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter' | 'histogram', help: string): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }

  sample(name: string, labels: Record<string, string>, value: number): void {
    this.lines.push(`${name}${labelText(labels)} ${num(value)}`);
  }

  histogram(name: string, help: string, h: Histogram): void {
    this.family(name, 'histogram', help);
    for (const s of h.series.values()) {
      let cumulative = 0;
      h.bounds.forEach((bound, i) => {
        cumulative += s.counts[i] ?? 0;
        this.sample(`${name}_bucket`, { ...s.labels, le: String(bound) }, cumulative);
      });
      this.sample(`${name}_bucket`, { ...s.labels, le: '+Inf' }, s.count);
      this.sample(`${name}_sum`, s.labels, s.sum);
      this.sample(`${name}_count`, s.labels, s.count);
    }
  }
}

type Gauge<T> = [name: string, help: string, value: (s: T) => number | null];

const REPLICA_GAUGES: Gauge<ReplicaSample>[] = [
  ['gureum_replica_cpu_cores', 'CPU used by the replica, in cores (1 = one core busy)', (s) => s.cpuCores],
  ['gureum_replica_cpu_limit_cores', 'CPU limit of the replica, in cores', (s) => s.cpuLimitCores],
  ['gureum_replica_memory_bytes', 'Working set of the replica (usage less inactive file cache)', (s) => s.memoryBytes],
  ['gureum_replica_memory_limit_bytes', 'Memory limit of the replica', (s) => s.memoryLimitBytes],
  ['gureum_replica_network_receive_bytes_per_second', 'Bytes received per second', (s) => s.netRxBps],
  ['gureum_replica_network_transmit_bytes_per_second', 'Bytes sent per second', (s) => s.netTxBps],
  ['gureum_replica_block_read_bytes_per_second', 'Block device bytes read per second', (s) => s.blkReadBps],
  ['gureum_replica_block_write_bytes_per_second', 'Block device bytes written per second', (s) => s.blkWriteBps],
  ['gureum_replica_restarts', 'Restarts of the replica slot by Gureum', (s) => s.restarts],
];

const NODE_GAUGES: Gauge<NodeSample>[] = [
  ['gureum_node_cpu_cores', 'CPU used on the node, in cores', (s) => s.cpuCores],
  ['gureum_node_cpus', 'CPUs of the node', (s) => s.cpus],
  ['gureum_node_memory_bytes', 'Memory in use on the node (total less available)', (s) => s.memoryBytes],
  ['gureum_node_memory_total_bytes', 'Memory of the node', (s) => s.memoryTotalBytes],
  ['gureum_node_load1', 'One-minute load average of the node', (s) => s.load1],
  ['gureum_node_disk_used_bytes', 'Bytes used on the filesystems of the data directory and the engine', (s) => s.diskUsedBytes],
  ['gureum_node_disk_total_bytes', 'Size of the filesystems of the data directory and the engine', (s) => s.diskTotalBytes],
];

/** The whole exposition: the control plane's own metrics, then the latest replica and node samples. */
export function renderExposition(t: Telemetry, replicas: readonly ReplicaSample[], nodes: readonly NodeSample[]): string {
  const w = new Writer();
  w.histogram('gureum_http_request_duration_seconds', 'HTTP requests served, by method, route and status', t.httpRequests);
  w.histogram('gureum_reconcile_duration_seconds', 'Reconciles of an instance or project', t.reconciles);
  w.family('gureum_work_queue_depth', 'gauge', 'Keys waiting or being worked in the reconcile queue');
  w.sample('gureum_work_queue_depth', {}, t.queueDepth());
  w.histogram('gureum_metrics_collection_duration_seconds', 'Metric collections (all replicas and the node)', t.collections);
  w.family('gureum_metrics_collected_replicas', 'gauge', 'Replicas sampled by the last collection');
  w.sample('gureum_metrics_collected_replicas', {}, t.collectedReplicas);
  for (const [name, help, value] of REPLICA_GAUGES) {
    w.family(name, 'gauge', help);
    for (const s of replicas) {
      const v = value(s);
      if (v !== null) w.sample(name, { project: s.project, instance: s.instance, component: s.component, replica: String(s.replica), node: s.node }, v);
    }
  }
  for (const [name, help, value] of NODE_GAUGES) {
    w.family(name, 'gauge', help);
    for (const s of nodes) {
      const v = value(s);
      if (v !== null) w.sample(name, { node: s.node }, v);
    }
  }
  return `${w.lines.join('\n')}\n`;
}

/**
 * GET /metrics for Prometheus, with a user's bearer token (a scrape config's `authorization`):
 * replica gauges of the projects that user may see (every project for an administrator), node
 * gauges and the control plane's own metrics for anyone with a token. Also counts every
 * HTTP request for those.
 */
export function registerPrometheus(app: FastifyInstance, s: Services): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    s.telemetry.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (request, reply) => {
    const bearer = request.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const principal = await s.auth.authenticate({ bearer, session: undefined });
    void reply.type(EXPOSITION_TYPE);
    return renderExposition(s.telemetry, await s.metrics.latest({}, principal), s.metrics.latestNodes());
  });
}
