import type { ReplicaStatus } from '@gureum/contract';
import type { Kysely, Selectable } from 'kysely';
import type { InstancePhase, InstanceRecord } from '../domain/core/records.js';
import type { Database, InstancesTable } from './tables.js';

function toRecord(row: Selectable<InstancesTable>): InstanceRecord {
  return {
    id: row.id,
    project: row.project,
    name: row.name,
    app: row.app,
    appVersion: row.app_version,
    parameters: JSON.parse(row.parameters) as InstanceRecord['parameters'],
    replicasOverride: row.replicas_override === null ? null : (JSON.parse(row.replicas_override) as Record<string, number>),
    env: JSON.parse(row.env) as Record<string, string>,
    components: JSON.parse(row.components) as InstanceRecord['components'],
    desiredState: row.desired_state,
    deleting: row.deleting === 1,
    generation: row.generation,
    restartNonce: row.restart_nonce,
    phase: row.phase as InstancePhase,
    reason: row.reason,
    replicas: JSON.parse(row.observed) as ReplicaStatus[],
    observedAt: row.observed_at,
    observedGeneration: row.observed_generation,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(i: InstanceRecord): Selectable<InstancesTable> {
  return {
    id: i.id,
    project: i.project,
    name: i.name,
    app: i.app,
    app_version: i.appVersion,
    parameters: JSON.stringify(i.parameters),
    replicas_override: i.replicasOverride === null ? null : JSON.stringify(i.replicasOverride),
    env: JSON.stringify(i.env),
    components: JSON.stringify(i.components),
    desired_state: i.desiredState,
    deleting: i.deleting ? 1 : 0,
    generation: i.generation,
    restart_nonce: i.restartNonce,
    phase: i.phase,
    reason: i.reason,
    observed: JSON.stringify(i.replicas),
    observed_at: i.observedAt,
    observed_generation: i.observedGeneration,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

export class InstanceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(filter: { project?: string } = {}): Promise<InstanceRecord[]> {
    let query = this.db.selectFrom('instances').selectAll();
    if (filter.project !== undefined) query = query.where('project', '=', filter.project);
    return (await query.orderBy('project').orderBy('name').execute()).map(toRecord);
  }

  async ids(): Promise<string[]> {
    return (await this.db.selectFrom('instances').select('id').execute()).map((r) => r.id);
  }

  async get(project: string, name: string): Promise<InstanceRecord | undefined> {
    const row = await this.db.selectFrom('instances').selectAll().where('project', '=', project).where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async getById(id: string): Promise<InstanceRecord | undefined> {
    const row = await this.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async countByApp(app: string): Promise<number> {
    const row = await this.db.selectFrom('instances').select((eb) => eb.fn.countAll<number>().as('n')).where('app', '=', app).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(instance: InstanceRecord): Promise<void> {
    await this.db.insertInto('instances').values(toRow(instance)).execute();
  }

  /** Writes the desired-state fields (what users change). */
  async updateDesired(i: InstanceRecord): Promise<void> {
    const row = toRow(i);
    await this.db
      .updateTable('instances')
      .set({
        app_version: row.app_version,
        parameters: row.parameters,
        replicas_override: row.replicas_override,
        env: row.env,
        components: row.components,
        desired_state: row.desired_state,
        deleting: row.deleting,
        generation: row.generation,
        restart_nonce: row.restart_nonce,
        phase: row.phase,
        reason: row.reason,
        updated_at: row.updated_at,
      })
      .where('id', '=', i.id)
      .execute();
  }

  /**
   * Stores the image ids the reconciler pinned, unless the instance changed since it was read
   * (its generation moved on): the next reconcile pins the new definition. Answers whether it was stored.
   */
  async pinImages(id: string, generation: number, components: InstanceRecord['components']): Promise<boolean> {
    const result = await this.db.updateTable('instances').set({ components: JSON.stringify(components) }).where('id', '=', id).where('generation', '=', generation).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Writes what the reconciler observed; never touches desired fields. */
  async updateObserved(id: string, observed: { phase: InstancePhase; reason: string | null; replicas: ReplicaStatus[]; observedAt: string; observedGeneration: number }): Promise<void> {
    await this.db
      .updateTable('instances')
      .set({ phase: observed.phase, reason: observed.reason, observed: JSON.stringify(observed.replicas), observed_at: observed.observedAt, observed_generation: observed.observedGeneration })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('instances').where('id', '=', id).execute();
  }
}
