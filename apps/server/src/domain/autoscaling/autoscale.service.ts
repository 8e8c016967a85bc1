import type { Autoscale, AutoscalePut } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import type { AutoscalePolicyRecord } from './autoscale-records.js';
import { DomainError, isDomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { InstanceService } from '../instances/instance.service.js';
import type { InstanceRecord, RenderedComponent } from '../core/records.js';

const roundPercent = (p: number | null) => (p === null ? null : Math.round(p * 10) / 10);

function toView(p: AutoscalePolicyRecord, currentReplicas: number): Autoscale {
  return {
    project: p.project,
    instance: p.instance,
    component: p.component,
    min: p.min,
    max: p.max,
    targetCpuPercent: p.targetCpuPercent,
    targetMemoryPercent: p.targetMemoryPercent,
    scaleUpStabilizationSeconds: p.scaleUpStabilizationSeconds,
    scaleDownStabilizationSeconds: p.scaleDownStabilizationSeconds,
    currentReplicas,
    lastCpuPercent: roundPercent(p.lastCpuPercent),
    lastMemoryPercent: roundPercent(p.lastMemoryPercent),
    lastDecisionAt: p.lastDecisionAt,
    lastDecision: p.lastDecision,
  };
}

/**
 * What made the autoscaler change a count, for the event and the policy's last decision: the
 * figures of the metrics the policy targets (the others are absent).
 */
export interface ScaleFigures {
  reason: string;
  avgCpuPercent?: number | null;
  targetCpuPercent?: number;
  avgMemoryPercent?: number | null;
  targetMemoryPercent?: number;
  recommendation?: number;
  replicasReporting?: number;
}

/** The targets of a policy as ScaleFigures without measurements (a change made by the policy's bounds). */
function unmeasured(p: { targetCpuPercent: number | null; targetMemoryPercent: number | null }): Omit<ScaleFigures, 'reason'> {
  return {
    ...(p.targetCpuPercent !== null && { avgCpuPercent: null, targetCpuPercent: p.targetCpuPercent }),
    ...(p.targetMemoryPercent !== null && { avgMemoryPercent: null, targetMemoryPercent: p.targetMemoryPercent }),
  };
}

/** "average CPU 80% of limit, target 50%" for each measured metric, the one the reason names first. */
function describeFigures(f: ScaleFigures): string {
  const parts: string[] = [];
  const add = (what: string, avg: number | null | undefined, target: number | undefined) => {
    if (avg !== null && avg !== undefined) parts.push(`average ${what} ${Math.round(avg)}% of limit, target ${target}%`);
  };
  add('CPU', f.avgCpuPercent, f.targetCpuPercent);
  add('memory', f.avgMemoryPercent, f.targetMemoryPercent);
  if (f.reason.startsWith('memory')) parts.reverse();
  return parts.join('; ');
}

/**
 * Autoscaling policies (one per component of an instance) and the one way they change a
 * replica count: the same instance update a `PATCH replicas` makes, so quotas and the
 * reconciler apply unchanged. While a policy exists it owns the count: a manual change is
 * brought back into [min, max] and then follows the metrics at the next evaluation.
 */
export class AutoscaleService {
  constructor(
    private readonly store: Store,
    private readonly instances: InstanceService,
    private readonly events: EventService,
  ) {}

  async get(project: string, instance: string, component: string): Promise<Autoscale> {
    const { record, comp } = await this.requireComponent(project, instance, component);
    const policy = await this.store.autoscale.get(record.id, component);
    if (!policy) throw new DomainError('AUTOSCALE_NOT_FOUND', `component ${component} of instance ${instance} has no autoscaling policy`);
    return toView(policy, comp.replicas);
  }

  /** Creates or replaces the policy; a count outside [min, max] is brought inside at once. */
  async put(project: string, instance: string, component: string, input: AutoscalePut): Promise<Autoscale> {
    const { record, comp } = await this.requireComponent(project, instance, component);
    if (input.targetCpuPercent !== undefined && comp.cpus === undefined) throw new DomainError('AUTOSCALE_NEEDS_CPU_LIMIT', `component ${component} has no CPU limit (resources.cpus): its use cannot be measured against one`);
    if (input.targetMemoryPercent !== undefined && comp.memoryBytes === undefined) {
      throw new DomainError('AUTOSCALE_NEEDS_MEMORY_LIMIT', `component ${component} has no memory limit (resources.memoryBytes): its use cannot be measured against one`);
    }
    const targets = { targetCpuPercent: input.targetCpuPercent ?? null, targetMemoryPercent: input.targetMemoryPercent ?? null };
    const existing = await this.store.autoscale.get(record.id, component);
    const clamped = Math.min(input.max, Math.max(input.min, comp.replicas));
    let decision: Pick<AutoscalePolicyRecord, 'lastDecision' | 'lastDecisionAt'> = { lastDecision: existing?.lastDecision ?? null, lastDecisionAt: existing?.lastDecisionAt ?? null };
    if (clamped !== comp.replicas) {
      // First, so that a quota refusing the new count refuses the whole request.
      decision = await this.scale(record, component, comp.replicas, clamped, { reason: 'policy bounds', ...unmeasured(targets) }, false);
    }
    const now = new Date().toISOString();
    const policy: AutoscalePolicyRecord = {
      instanceId: record.id,
      project,
      instance,
      component,
      min: input.min,
      max: input.max,
      ...targets,
      scaleUpStabilizationSeconds: input.scaleUpStabilizationSeconds,
      scaleDownStabilizationSeconds: input.scaleDownStabilizationSeconds,
      // A figure of a metric no longer targeted would be stale.
      lastCpuPercent: targets.targetCpuPercent === null ? null : (existing?.lastCpuPercent ?? null),
      lastMemoryPercent: targets.targetMemoryPercent === null ? null : (existing?.lastMemoryPercent ?? null),
      ...decision,
      // Old recommendations were made against another target.
      recommendations: [],
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.store.autoscale.put(policy);
    return toView(policy, clamped);
  }

  /** The replica count stays where it is. */
  async delete(project: string, instance: string, component: string): Promise<void> {
    const { record } = await this.requireComponent(project, instance, component);
    if (!(await this.store.autoscale.get(record.id, component))) throw new DomainError('AUTOSCALE_NOT_FOUND', `component ${component} of instance ${instance} has no autoscaling policy`);
    await this.store.autoscale.delete(record.id, component);
  }

  /**
   * Sets the component's count to `to` through the instance update and records
   * `instance.autoscaled`. When the quota refuses `to` on the way up, the largest count it
   * allows is taken instead (possibly none: the decision then says so and nothing changes),
   * unless `capToQuota` is false: then the refusal is the caller's.
   */
  async scale(instance: InstanceRecord, component: string, from: number, to: number, figures: ScaleFigures, capToQuota = true): Promise<Pick<AutoscalePolicyRecord, 'lastDecision' | 'lastDecisionAt'>> {
    let target = to;
    let capped: string | null = null;
    for (;;) {
      try {
        await this.instances.update(instance.project, instance.name, { replicas: { [component]: target } });
        break;
      } catch (err) {
        if (!capToQuota || !isDomainError(err) || err.code !== 'QUOTA_EXCEEDED' || target <= from) throw err;
        capped = err.message;
        target -= 1;
        if (target === from) break;
      }
    }
    const measured = describeFigures(figures);
    const quota = capped === null ? '' : ` (capped by the quota: ${capped})`;
    const said = measured === '' ? '' : `: ${measured}`;
    const lastDecision = target === from ? `${from} → ${from}: wanted ${to}${said}${quota}` : `${from} → ${target}: ${figures.reason}${said}${quota}`;
    if (target !== from) {
      const round = (p: number | null | undefined) => (p === undefined ? undefined : roundPercent(p));
      await this.events.record('instance.autoscaled', {
        project: instance.project,
        instance: instance.name,
        message: `instance ${instance.name}: component ${component} autoscaled ${from} → ${target} (${figures.reason}${measured === '' ? '' : `, ${measured}`})${quota}`,
        data: { component, from, to: target, wanted: to, ...figures, avgCpuPercent: round(figures.avgCpuPercent), avgMemoryPercent: round(figures.avgMemoryPercent), capped: capped === null ? null : 'quota' },
      });
    }
    return { lastDecision, lastDecisionAt: new Date().toISOString() };
  }

  private async requireComponent(project: string, instance: string, component: string): Promise<{ record: InstanceRecord; comp: RenderedComponent }> {
    const record = await this.instances.require(project, instance);
    if (record.deleting) throw new DomainError('INSTANCE_NOT_FOUND', `instance ${instance} is being deleted`);
    const comp = record.components.find((c) => c.name === component);
    if (!comp) throw new DomainError('COMPONENT_NOT_FOUND', `instance ${instance} has no component ${component}`, { components: record.components.map((c) => c.name) });
    return { record, comp };
  }
}
