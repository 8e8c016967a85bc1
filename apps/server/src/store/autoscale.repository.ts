import type { Kysely, Selectable } from 'kysely';
import type { AutoscalePolicyRecord, Recommendation } from '../domain/autoscaling/autoscale-records.js';
import type { AutoscalePoliciesTable, Database } from './tables.js';

function toRecord(r: Selectable<AutoscalePoliciesTable>): AutoscalePolicyRecord {
  return {
    instanceId: r.instance_id,
    project: r.project,
    instance: r.instance,
    component: r.component,
    min: r.min_replicas,
    max: r.max_replicas,
    targetCpuPercent: r.target_cpu_percent,
    targetMemoryPercent: r.target_memory_percent,
    scaleUpStabilizationSeconds: r.up_window_seconds,
    scaleDownStabilizationSeconds: r.down_window_seconds,
    lastCpuPercent: r.last_cpu_percent,
    lastMemoryPercent: r.last_memory_percent,
    lastDecision: r.last_decision,
    lastDecisionAt: r.last_decision_at,
    recommendations: JSON.parse(r.recommendations) as Recommendation[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(p: AutoscalePolicyRecord): Selectable<AutoscalePoliciesTable> {
  return {
    instance_id: p.instanceId,
    component: p.component,
    project: p.project,
    instance: p.instance,
    min_replicas: p.min,
    max_replicas: p.max,
    target_cpu_percent: p.targetCpuPercent,
    target_memory_percent: p.targetMemoryPercent,
    up_window_seconds: p.scaleUpStabilizationSeconds,
    down_window_seconds: p.scaleDownStabilizationSeconds,
    last_cpu_percent: p.lastCpuPercent,
    last_memory_percent: p.lastMemoryPercent,
    last_decision: p.lastDecision,
    last_decision_at: p.lastDecisionAt,
    recommendations: JSON.stringify(p.recommendations),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

/** Autoscaling policies, one per component of an instance; they go with their instance. */
export class AutoscaleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<AutoscalePolicyRecord[]> {
    return (await this.db.selectFrom('autoscale_policies').selectAll().orderBy('project').orderBy('instance').orderBy('component').execute()).map(toRecord);
  }

  async listFor(instanceId: string): Promise<AutoscalePolicyRecord[]> {
    return (await this.db.selectFrom('autoscale_policies').selectAll().where('instance_id', '=', instanceId).orderBy('component').execute()).map(toRecord);
  }

  async get(instanceId: string, component: string): Promise<AutoscalePolicyRecord | undefined> {
    const row = await this.db.selectFrom('autoscale_policies').selectAll().where('instance_id', '=', instanceId).where('component', '=', component).executeTakeFirst();
    return row && toRecord(row);
  }

  async put(p: AutoscalePolicyRecord): Promise<void> {
    const row = toRow(p);
    const { instance_id: _i, component: _c, created_at: _ca, ...set } = row;
    await this.db
      .insertInto('autoscale_policies')
      .values(row)
      .onConflict((oc) => oc.columns(['instance_id', 'component']).doUpdateSet(set))
      .execute();
  }

  /** Writes the autoscaler's figures onto a policy that still exists (never re-creates a deleted one). */
  async recordDecision(p: AutoscalePolicyRecord): Promise<void> {
    await this.db
      .updateTable('autoscale_policies')
      .set({ last_cpu_percent: p.lastCpuPercent, last_memory_percent: p.lastMemoryPercent, last_decision: p.lastDecision, last_decision_at: p.lastDecisionAt, recommendations: JSON.stringify(p.recommendations) })
      .where('instance_id', '=', p.instanceId)
      .where('component', '=', p.component)
      .execute();
  }

  async delete(instanceId: string, component: string): Promise<void> {
    await this.db.deleteFrom('autoscale_policies').where('instance_id', '=', instanceId).where('component', '=', component).execute();
  }
}
