import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { applyMigration, ensureMigrationTable, migrations } from './migrations.js';
import type { Database } from './tables.js';

/**
 * For migration tests: a real in-memory SQLite database as a Gureum left it before migration
 * `id` (the earlier ones applied and recorded), with foreign keys on as Gureum runs it.
 */
export async function databaseBefore(id: number, appliedAt: string): Promise<Kysely<Database>> {
  const sqlite = new SqliteDatabase(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await ensureMigrationTable(db);
  for (const m of migrations.filter((x) => x.id < id)) await applyMigration(db, m, appliedAt);
  return db;
}
