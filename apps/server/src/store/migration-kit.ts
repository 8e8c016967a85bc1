import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrations } from './migrations.js';
import type { Database } from './tables.js';

/**
 * For migration tests: a real in-memory SQLite database as a Gureum left it before migration
 * `id` (the earlier ones applied and recorded), with foreign keys on as Gureum runs it.
 */
export async function databaseBefore(id: number, appliedAt: string): Promise<Kysely<Database>> {
  const sqlite = new SqliteDatabase(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await sql`CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`.execute(db);
  for (const m of migrations.filter((x) => x.id < id)) {
    for (const statement of m.statements) await sql.raw(statement).execute(db);
    await db.insertInto('schema_migrations').values({ id: m.id, name: m.name, applied_at: appliedAt }).execute();
  }
  return db;
}
