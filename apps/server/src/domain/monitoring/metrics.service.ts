import {
  DNS_LABEL,
  NodeMetric,
  ReplicaMetric,
  type MetricAgg,
  type MetricGroup,
  type MetricName,
  type MetricsBundle,
  type MetricsQuery,
  type MetricsResult,
  type NodeSample,
  type Point,
  type ReplicaSample,
  type Series,
} from '@gureum/contract';
import type { MetricsRepository, ReplicaSeries } from '../../store/metrics.repository.js';
import type { Store } from '../../store/store.js';
import { canSee, roleIn, scopeOf, type Principal } from '../identity/access.js';
import { DomainError } from '../core/errors.js';
import type { MetricsCollector, Retention } from './metrics-collector.js';
import { addBucket, fillSteps, parseStep, parseTime, planQuery, pointsOf, segmentsOf, type QueryPlan, type SeriesBuckets, type TierSpec } from './metrics-query.js';
import type { MetricsReader, NodeFigure, ReplicaFigure, ReplicaSelector } from './metrics-reader.js';
import type { Runtime } from '../core/runtime.js';

/** MetricsReader over the time-series store's raw samples. */
export class StoreMetricsReader implements MetricsReader {
  constructor(
    private readonly repo: MetricsRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async recent(selector: ReplicaSelector, metric: ReplicaMetric, windowMs: number): Promise<ReplicaFigure[]> {
    const since = Math.floor((this.now() - windowMs) / 1000);
    const rows = await this.repo.recent(selector, metric, since);
    return rows.map((r) => ({ project: r.project, instance: r.instance, component: r.component, replica: r.replica, value: r.value, samples: r.samples }));
  }

  recentNodes(metric: NodeMetric, windowMs: number, node?: string): Promise<NodeFigure[]> {
    return this.repo.recentNodes(metric, Math.floor((this.now() - windowMs) / 1000), node);
  }
}

export interface MetricsServiceOptions {
  repo: MetricsRepository;
  store: Store;
  runtime: Runtime;
  collector: MetricsCollector;
  intervalSeconds: number;
  retention: Retention;
}

type Unit = MetricsResult['unit'];
const UNITS: Record<MetricName, Unit> = {
  cpu_cores: 'cores',
  memory_bytes: 'bytes',
  memory_limit_bytes: 'bytes',
  net_rx_bps: 'bytes/s',
  net_tx_bps: 'bytes/s',
  blk_read_bps: 'bytes/s',
  blk_write_bps: 'bytes/s',
  restarts: 'count',
  node_cpu_cores: 'cores',
  node_cpus: 'count',
  node_memory_bytes: 'bytes',
  node_memory_total_bytes: 'bytes',
  node_load1: 'load',
  node_disk_used_bytes: 'bytes',
  node_disk_total_bytes: 'bytes',
};

/** What the id of each scope names: `project`, `project/instance`, ... */
const ID_PARTS = { project: 1, instance: 2, component: 3, replica: 4 } as const;
const ID_FORMAT = { project: 'project', instance: 'project/instance', component: 'project/instance/component', replica: 'project/instance/component/index' } as const;

interface Target {
  kind: 'replica' | 'node';
  labels: Record<string, string>;
  /** The series and how each is grouped. */
  series: { id: number; labels: Record<string, string> }[];
}

const invalid = (message: string) => new DomainError('METRIC_QUERY_INVALID', message);

/** Samples, queries and the latest figures of replicas and nodes. */
export class MetricsService {
  readonly reader: MetricsReader;
  private readonly tiers: TierSpec[];

  constructor(private readonly o: MetricsServiceOptions) {
    this.reader = new StoreMetricsReader(o.repo);
    this.tiers = [
      { tier: 'raw', resolution: Math.max(1, Math.round(o.intervalSeconds)), keep: o.retention.rawSeconds },
      { tier: '1m', resolution: 60, keep: o.retention.minuteSeconds },
      { tier: '1h', resolution: 3600, keep: o.retention.hourSeconds },
    ];
  }

  async query(q: MetricsQuery, principal: Principal): Promise<MetricsResult> {
    const node = q.scope === 'node';
    if (node !== NodeMetric.safeParse(q.metric).success) {
      throw invalid(node ? `metric ${q.metric} is a replica metric; the node scope has ${NodeMetric.options.join(', ')}` : `metric ${q.metric} is a node metric; use scope=node`);
    }
    if (node && q.group !== 'none') throw invalid('a node query cannot be grouped');
    const target = node ? await this.nodeTarget(q.id) : await this.replicaTarget(q.scope as keyof typeof ID_PARTS, q.id, principal, q.group);
    const plan = this.plan(q);
    const ids = target.series.map((s) => s.id);
    if (q.group === 'none') {
      const points = await this.readCombined(target.kind, q.metric, ids, plan, q.agg);
      return { metric: q.metric, unit: UNITS[q.metric], scope: q.scope, id: q.id, agg: q.agg, from: plan.from * 1000, to: plan.to * 1000, step: plan.step, resolution: plan.tier, series: [{ key: 'all', labels: target.labels, points }] };
    }
    const buckets = await this.read(target.kind, q.metric, ids, plan);
    const groups = new Map<string, { labels: Record<string, string>; members: number[] }>();
    for (const s of target.series) {
      const key = groupKey(s.labels, q.group);
      const group = groups.get(key) ?? { labels: { ...target.labels, ...pick(s.labels, q.group) }, members: [] };
      group.members.push(s.id);
      groups.set(key, group);
    }
    const series: Series[] = [...groups].map(([key, g]) => ({ key, labels: g.labels, points: pointsOf(plan, buckets, g.members, q.agg) }));
    return { metric: q.metric, unit: UNITS[q.metric], scope: q.scope, id: q.id, agg: q.agg, from: plan.from * 1000, to: plan.to * 1000, step: plan.step, resolution: plan.tier, series };
  }

  /** Every metric of an instance (replicas summed) over one range. */
  async instance(project: string, instance: string, q: { from?: string; to?: string; step?: string; metrics?: string }): Promise<MetricsBundle> {
    await this.requireInstance(project, instance);
    const ids = (await this.o.repo.replicaSeries({ project, instance })).map((s) => s.id);
    return this.bundle('replica', ReplicaMetric.options, ids, q);
  }

  async node(name: string, q: { from?: string; to?: string; step?: string; metrics?: string }): Promise<MetricsBundle> {
    const target = await this.nodeTarget(name);
    return this.bundle('node', NodeMetric.options, target.series.map((s) => s.id), q);
  }

  /** The latest sample of each running replica the principal may see. */
  async latest(q: { project?: string; instance?: string }, principal: Principal): Promise<ReplicaSample[]> {
    if (q.instance !== undefined && q.project === undefined) throw invalid('instance needs project');
    if (q.project !== undefined) {
      await this.requireProject(q.project, principal);
      if (q.instance !== undefined) await this.requireInstance(q.project, q.instance);
    }
    const scope = scopeOf(principal);
    return this.o.collector.latestReplicas.filter((r) => canSee(scope, r.project) && (q.project === undefined || r.project === q.project) && (q.instance === undefined || r.instance === q.instance));
  }

  latestNodes(): NodeSample[] {
    return this.o.collector.latestNodes;
  }

  private async bundle(kind: 'replica' | 'node', all: readonly MetricName[], ids: number[], q: { from?: string; to?: string; step?: string; metrics?: string }): Promise<MetricsBundle> {
    const names = q.metrics === undefined ? all : q.metrics.split(',').map((m) => m.trim()).filter(Boolean);
    for (const name of names) if (!all.includes(name as MetricName)) throw invalid(`metrics: ${JSON.stringify(name)} is not one of ${all.join(', ')}`);
    const plan = this.plan(q);
    const metrics: MetricsBundle['metrics'] = {};
    for (const name of names as MetricName[]) {
      metrics[name] = { unit: UNITS[name], points: await this.readCombined(kind, name, ids, plan, kind === 'replica' ? 'sum' : 'avg') };
    }
    return { from: plan.from * 1000, to: plan.to * 1000, step: plan.step, resolution: plan.tier, metrics };
  }

  private plan(q: { from?: string; to?: string; step?: string }): QueryPlan {
    const now = Date.now();
    const range = { from: parseTime(q.from, now, now - 3_600_000, 'from'), to: parseTime(q.to, now, now, 'to') };
    return planQuery(q.step === undefined ? range : { ...range, step: parseStep(q.step) }, now, this.tiers);
  }

  /** Segments of the plan's range by tier, as far as each tier has been rolled up. */
  private async segments(kind: 'replica' | 'node', plan: QueryPlan) {
    return segmentsOf(plan, { '1m': await this.o.repo.rolledUntil(kind, '1m'), '1h': await this.o.repo.rolledUntil(kind, '1h') });
  }

  /** Series combined in the database: one row per step. */
  private async readCombined(kind: 'replica' | 'node', metric: MetricName, ids: number[], plan: QueryPlan, agg: MetricAgg): Promise<Point[]> {
    const rows = await this.o.repo.readCombined(kind, metric, ids, await this.segments(kind, plan), plan.step, agg);
    return fillSteps(plan, new Map(rows.map((r) => [r.bucket, r.value])));
  }

  private async read(kind: 'replica' | 'node', metric: MetricName, ids: number[], plan: QueryPlan): Promise<SeriesBuckets> {
    const buckets: SeriesBuckets = new Map();
    for (const segment of await this.segments(kind, plan)) {
      for (const row of await this.o.repo.readBuckets(kind, metric, ids, segment.tier, segment.from, segment.to, plan.step)) addBucket(buckets, row.series, row.bucket, row.sum, row.n);
    }
    return buckets;
  }

  private async replicaTarget(scope: keyof typeof ID_PARTS, id: string, principal: Principal, group: MetricGroup): Promise<Target> {
    const parts = id.split('/');
    const [project = '', instance, component, index] = parts;
    const wellFormed = parts.length === ID_PARTS[scope] && parts.every((p, i) => (i === 3 ? /^\d{1,6}$/.test(p) : DNS_LABEL.test(p)));
    if (!wellFormed) throw invalid(`id ${JSON.stringify(id)}: the ${scope} scope names ${ID_FORMAT[scope]}`);
    await this.requireProject(project, principal);
    if (instance !== undefined) {
      const record = await this.requireInstance(project, instance);
      if (component !== undefined && !record.components.some((c) => c.name === component)) {
        throw new DomainError('COMPONENT_NOT_FOUND', `instance ${instance} of project ${project} has no component ${component}`);
      }
    }
    if (group !== 'none' && ID_PARTS[group] <= ID_PARTS[scope] && group !== scope) throw invalid(`a ${scope} query cannot be grouped by ${group}`);
    const selector = { project, instance, component, replica: index === undefined ? undefined : Number(index) };
    const series = await this.o.repo.replicaSeries(selector);
    const labels: Record<string, string> = { project, ...(instance && { instance }), ...(component && { component }), ...(index !== undefined && { replica: index }) };
    return { kind: 'replica', labels, series: series.map((s) => ({ id: s.id, labels: labelsOf(s) })) };
  }

  private async nodeTarget(name: string): Promise<Target> {
    const known = await this.o.repo.nodeSeries(name);
    if (known.length === 0) {
      const nodes = await this.o.runtime.nodes().catch(() => []);
      if (!nodes.some((n) => n.name === name)) throw new DomainError('NODE_NOT_FOUND', `no node ${name}`);
    }
    return { kind: 'node', labels: { node: name }, series: known.map((s) => ({ id: s.id, labels: { node: s.node } })) };
  }

  /** A project the principal cannot view is reported as not existing, like everywhere else. */
  private async requireProject(project: string, principal: Principal): Promise<void> {
    if (roleIn(principal, project) === null || !(await this.o.store.projects.get(project))) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} does not exist`);
  }

  private async requireInstance(project: string, instance: string) {
    const record = await this.o.store.instances.get(project, instance);
    if (!record) throw new DomainError('INSTANCE_NOT_FOUND', `instance ${instance} does not exist in project ${project}`);
    return record;
  }
}

function labelsOf(s: ReplicaSeries): Record<string, string> {
  return { project: s.project, instance: s.instance, component: s.component, replica: String(s.replica) };
}

function pick(labels: Record<string, string>, group: MetricGroup): Record<string, string> {
  const keep = group === 'instance' ? ['instance'] : group === 'component' ? ['instance', 'component'] : ['instance', 'component', 'replica'];
  return Object.fromEntries(keep.map((k) => [k, labels[k] ?? '']));
}

function groupKey(labels: Record<string, string>, group: MetricGroup): string {
  return Object.values(pick(labels, group)).join('/');
}
