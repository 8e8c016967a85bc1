import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ProjectRecord } from '../domain/core/records.js';
import type { Database, ProjectsTable } from './tables.js';

function toRecord(row: Selectable<ProjectsTable>): ProjectRecord {
  return {
    name: row.name,
    description: row.description,
    deleting: row.deleting === 1,
    createdAt: row.created_at,
    quota: JSON.parse(row.quota) as ProjectRecord['quota'],
    policy: JSON.parse(row.policy) as ProjectRecord['policy'],
  };
}

export class ProjectRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ProjectRecord[]> {
    return (await this.db.selectFrom('projects').selectAll().orderBy('name').execute()).map(toRecord);
  }

  async get(name: string): Promise<ProjectRecord | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(project: ProjectRecord): Promise<void> {
    await this.db
      .insertInto('projects')
      .values({
        name: project.name,
        id: randomUUID(),
        description: project.description,
        deleting: project.deleting ? 1 : 0,
        created_at: project.createdAt,
        quota: JSON.stringify(project.quota),
        policy: JSON.stringify(project.policy),
      })
      .execute();
  }

  async setQuota(name: string, quota: ProjectRecord['quota']): Promise<void> {
    await this.db.updateTable('projects').set({ quota: JSON.stringify(quota) }).where('name', '=', name).execute();
  }

  async setPolicy(name: string, policy: ProjectRecord['policy']): Promise<void> {
    await this.db.updateTable('projects').set({ policy: JSON.stringify(policy) }).where('name', '=', name).execute();
  }

  async markDeleting(name: string): Promise<void> {
    await this.db.updateTable('projects').set({ deleting: 1 }).where('name', '=', name).execute();
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('projects').where('name', '=', name).execute();
  }

  /** Instance and volume counts of every project, in two queries. */
  async counts(): Promise<Map<string, { instances: number; volumes: number }>> {
    const result = new Map<string, { instances: number; volumes: number }>();
    const entry = (p: string) => result.get(p) ?? result.set(p, { instances: 0, volumes: 0 }).get(p)!;
    const instances = await this.db.selectFrom('instances').select(['project', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('project').execute();
    for (const row of instances) entry(row.project).instances = Number(row.n);
    const volumes = await this.db.selectFrom('volumes').select(['project', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('project').execute();
    for (const row of volumes) entry(row.project).volumes = Number(row.n);
    return result;
  }
}
