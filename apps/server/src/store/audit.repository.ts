import type { AuditEntry } from '@gureum/contract';
import type { Kysely } from 'kysely';
import type { Database } from './tables.js';

/** The append-only audit log (the table refuses UPDATE and DELETE by trigger). */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.db.insertInto('audit').values(e).execute();
  }

  async list(filter: { project?: string; afterId?: number; sinceTime?: string; actor?: string; limit: number }): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit').selectAll();
    if (filter.project !== undefined) q = q.where('project', '=', filter.project);
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    if (filter.sinceTime !== undefined) q = q.where('time', '>=', filter.sinceTime);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    const rows = await q.orderBy('id').limit(filter.limit).execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}
