import type { Kysely, Selectable } from 'kysely';
import type { SecretRecord } from '../domain/core/records.js';
import type { Database, SecretsTable } from './tables.js';

function toRecord(r: Selectable<SecretsTable>): SecretRecord {
  return { project: r.project, name: r.name, ciphertext: r.ciphertext, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Project secrets, sealed (the repository never sees a value in clear). */
export class SecretRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(project: string): Promise<SecretRecord[]> {
    return (await this.db.selectFrom('secrets').selectAll().where('project', '=', project).orderBy('name').execute()).map(toRecord);
  }

  async get(project: string, name: string): Promise<SecretRecord | undefined> {
    const row = await this.db.selectFrom('secrets').selectAll().where('project', '=', project).where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async upsert(s: SecretRecord): Promise<void> {
    await this.db
      .insertInto('secrets')
      .values({ project: s.project, name: s.name, ciphertext: s.ciphertext, version: s.version, created_at: s.createdAt, updated_at: s.updatedAt })
      .onConflict((oc) => oc.columns(['project', 'name']).doUpdateSet({ ciphertext: s.ciphertext, version: s.version, updated_at: s.updatedAt }))
      .execute();
  }

  async delete(project: string, name: string): Promise<void> {
    await this.db.deleteFrom('secrets').where('project', '=', project).where('name', '=', name).execute();
  }
}
