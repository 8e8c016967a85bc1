import type { AuditEntry } from '@gureum/contract';
import type { Kysely } from 'kysely';
import { ofProject, projectIdOf } from './project-key.js';
import type { Database } from './tables.js';

/** Which entries of the audit log to read, and in which order (by id, the order they were written). */
export interface AuditFilter {
  project?: string;
  afterId?: number;
  sinceTime?: string;
  beforeId?: number;
  beforeTime?: string;
  actor?: string;
  order: 'asc' | 'desc';
  limit: number;
}

/** The append-only audit log (the table refuses UPDATE and DELETE by trigger). */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.db
      .insertInto('audit')
      .values({ ...e, project_id: projectIdOf(e.project) })
      .execute();
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit').select(['id', 'time', 'actor', 'token', 'address', 'action', 'method', 'path', 'project', 'status', 'outcome', 'code']);
    if (filter.project !== undefined) {
      const project = filter.project;
      q = q.where(ofProject(project));
    }
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    if (filter.sinceTime !== undefined) q = q.where('time', '>=', filter.sinceTime);
    if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
    if (filter.beforeTime !== undefined) q = q.where('time', '<', filter.beforeTime);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    const rows = await q.orderBy('id', filter.order).limit(filter.limit).execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}
