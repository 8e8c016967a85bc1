import type { ReplicaMetric } from '@gureum/contract';
import type { MetricsRepository } from '../store/metrics.repository.js';
import type { MetricsReader, ReplicaFigure, ReplicaSelector } from './metrics-reader.js';

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
}

/** Samples, queries and the latest figures of replicas and nodes. */
export class MetricsService {
  readonly reader: MetricsReader;

  constructor(private readonly repo: MetricsRepository) {
    this.reader = new StoreMetricsReader(repo);
  }
}
