/** Upper bounds (seconds) of the duration histograms: 1 ms to 10 s. */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A Prometheus-style histogram per label set: counts per upper bound, sum and count. */
export class Histogram {
  readonly series = new Map<string, { labels: Record<string, string>; counts: number[]; sum: number; count: number }>();

  constructor(readonly bounds: readonly number[] = DURATION_BUCKETS) {}

  observe(value: number, labels: Record<string, string> = {}): void {
    const key = JSON.stringify(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, counts: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 }));
    // Counted in its own bucket only; exposition makes them cumulative.
    const i = this.bounds.findIndex((b) => value <= b);
    if (i >= 0) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
}

/** The control plane's own figures, for /metrics: what it serves, reconciles and collects. */
export class Telemetry {
  readonly httpRequests = new Histogram();
  readonly reconciles = new Histogram();
  readonly collections = new Histogram();
  collectedReplicas = 0;
  /** Keys waiting or being worked in the reconciler's queue, read at scrape time. */
  queueDepth: () => number = () => 0;

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.observe(seconds, { method, route, status: String(status) });
  }

  observeReconcile(ms: number): void {
    this.reconciles.observe(ms / 1000);
  }

  observeCollection(ms: number, replicas: number): void {
    this.collections.observe(ms / 1000);
    this.collectedReplicas = replicas;
  }
}
