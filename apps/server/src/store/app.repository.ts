import type { Kysely, Selectable } from 'kysely';
import type { AppRecord } from '../domain/core/records.js';
import type { AppsTable, Database } from './tables.js';

function toRecord(row: Selectable<AppsTable>): AppRecord {
  return {
    name: row.name,
    project: row.project,
    title: row.title,
    description: row.description,
    parameters: JSON.parse(row.parameters) as AppRecord['parameters'],
    components: JSON.parse(row.components) as AppRecord['components'],
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(app: AppRecord): Selectable<AppsTable> {
  return {
    name: app.name,
    project: app.project,
    title: app.title,
    description: app.description,
    parameters: JSON.stringify(app.parameters),
    components: JSON.stringify(app.components),
    version: app.version,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
  };
}

export class AppRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<AppRecord[]> {
    return (await this.db.selectFrom('apps').selectAll().orderBy('name').execute()).map(toRecord);
  }

  async get(name: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(app: AppRecord): Promise<void> {
    await this.db.insertInto('apps').values(toRow(app)).execute();
  }

  async update(app: AppRecord): Promise<void> {
    const { name, created_at: _created, ...rest } = toRow(app);
    await this.db.updateTable('apps').set(rest).where('name', '=', name).execute();
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('apps').where('name', '=', name).execute();
  }
}
