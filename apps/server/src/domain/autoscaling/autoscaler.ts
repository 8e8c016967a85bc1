import type { ReplicaMetric } from '@gureum/contract';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import { Ticker } from '../alerts/alert-ticker.js';
import { decide, type MetricLoad } from './autoscale-decision.js';
import type { AutoscalePolicyRecord } from './autoscale-records.js';
import type { AutoscaleService } from './autoscale.service.js';
import type { InstanceRecord, RenderedComponent } from '../core/records.js';
import type { MetricsReader } from '../monitoring/metrics-reader.js';

export interface AutoscalerOptions {
  intervalMs: number;
  /** The CPU and memory averages each decision reads. */
  windowMs: number;
}

/**
 * Evaluates every autoscaling policy on an interval: the component's replicas' average CPU
 * and/or working set over the window, in % of their limits, against the targets (see
 * autoscale-decision.ts), and acts through AutoscaleService.scale. Stopped, deleted or
 * deleting instances are left alone.
 */
export class Autoscaler {
  private readonly ticker: Ticker;

  constructor(
    private readonly store: Store,
    private readonly reader: MetricsReader,
    private readonly service: Pick<AutoscaleService, 'scale'>,
    private readonly log: Logger,
    private readonly options: AutoscalerOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.ticker = new Ticker(options.intervalMs, () => this.evaluateAll(), (err) => this.log.error({ err }, 'autoscaling pass failed'));
  }

  start(): void {
    this.ticker.start();
  }

  stop(): Promise<void> {
    return this.ticker.stop();
  }

  async evaluateAll(): Promise<void> {
    for (const policy of await this.store.autoscale.list()) {
      try {
        await this.evaluate(policy);
      } catch (err) {
        this.log.warn({ err, project: policy.project, instance: policy.instance, component: policy.component }, 'autoscaling policy not evaluated');
      }
    }
  }

  async evaluate(policy: AutoscalePolicyRecord): Promise<void> {
    const instance = await this.store.instances.getById(policy.instanceId);
    if (!instance || instance.deleting || instance.desiredState === 'stopped') return;
    const comp = instance.components.find((c) => c.name === policy.component);
    let why: string | null = null;
    if (!comp) why = 'the instance has no such component any more';
    else if (policy.targetCpuPercent !== null && comp.cpus === undefined) why = 'the component has no CPU limit any more';
    else if (policy.targetMemoryPercent !== null && comp.memoryBytes === undefined) why = 'the component has no memory limit any more';
    if (!comp || why !== null) {
      if (policy.lastDecision !== `not scaling: ${why}`) await this.store.autoscale.recordDecision({ ...policy, lastDecision: `not scaling: ${why}`, lastDecisionAt: new Date(this.now()).toISOString() });
      return;
    }
    const cpu = await this.load(instance, comp, 'cpu_cores', policy.targetCpuPercent, comp.cpus);
    const memory = await this.load(instance, comp, 'memory_bytes', policy.targetMemoryPercent, comp.memoryBytes);
    const nowMs = this.now();
    const d = decide({
      current: comp.replicas,
      min: policy.min,
      max: policy.max,
      ...(cpu && { cpu }),
      ...(memory && { memory }),
      upWindowMs: policy.scaleUpStabilizationSeconds * 1000,
      downWindowMs: policy.scaleDownStabilizationSeconds * 1000,
      history: policy.recommendations,
      nowMs,
    });
    let decision: Pick<AutoscalePolicyRecord, 'lastDecision' | 'lastDecisionAt'> = { lastDecision: policy.lastDecision, lastDecisionAt: policy.lastDecisionAt };
    if (d.to !== comp.replicas) {
      decision = await this.service.scale(instance, comp.name, comp.replicas, d.to, {
        reason: d.reason,
        ...(cpu && { avgCpuPercent: d.avgCpuPercent, targetCpuPercent: cpu.targetPercent }),
        ...(memory && { avgMemoryPercent: d.avgMemoryPercent, targetMemoryPercent: memory.targetPercent }),
        recommendation: d.recommendation,
        replicasReporting: Math.max(cpu?.perReplica.length ?? 0, memory?.perReplica.length ?? 0),
      });
    }
    await this.store.autoscale.recordDecision({ ...policy, lastCpuPercent: d.avgCpuPercent, lastMemoryPercent: d.avgMemoryPercent, ...decision, recommendations: d.history });
  }

  /** The figures of one targeted metric over the window; undefined when the policy does not target it. */
  private async load(instance: InstanceRecord, comp: RenderedComponent, metric: ReplicaMetric, targetPercent: number | null, limit: number | undefined): Promise<MetricLoad | undefined> {
    if (targetPercent === null || limit === undefined) return undefined;
    const figures = await this.reader.recent({ project: instance.project, instance: instance.name, component: comp.name }, metric, this.options.windowMs);
    // Replicas being removed by a scale-down still have samples in the window: they do not count.
    return { targetPercent, limit, perReplica: figures.filter((f) => f.replica < comp.replicas).map((f) => f.value) };
  }
}
