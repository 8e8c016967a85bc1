import type { Kysely } from 'kysely';
import type { VolumeRecord } from '../domain/core/records.js';
import type { Database } from './tables.js';

export class VolumeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(project?: string): Promise<VolumeRecord[]> {
    let query = this.db.selectFrom('volumes').selectAll();
    if (project !== undefined) query = query.where('project', '=', project);
    const rows = await query.orderBy('project').orderBy('name').execute();
    return rows.map((r) => ({ project: r.project, name: r.name, createdAt: r.created_at, sizeBytes: r.size_bytes }));
  }

  async get(project: string, name: string): Promise<VolumeRecord | undefined> {
    const r = await this.db.selectFrom('volumes').selectAll().where('project', '=', project).where('name', '=', name).executeTakeFirst();
    return r && { project: r.project, name: r.name, createdAt: r.created_at, sizeBytes: r.size_bytes };
  }

  async insert(v: VolumeRecord): Promise<void> {
    await this.db.insertInto('volumes').values({ project: v.project, name: v.name, created_at: v.createdAt, size_bytes: v.sizeBytes }).execute();
  }

  async delete(project: string, name: string): Promise<void> {
    await this.db.deleteFrom('volumes').where('project', '=', project).where('name', '=', name).execute();
  }
}
