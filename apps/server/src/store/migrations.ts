import { sql, type Kysely } from 'kysely';
import { autoscaleMemoryMigration } from './autoscale-memory.migration.js';
import { metricsMigration } from './metrics.migration.js';
import type { Database } from './tables.js';

/** Numbered migrations, each applied once inside its own transaction. Append; never edit one that shipped. */
export const migrations: { id: number; name: string; statements: string[] }[] = [
  {
    id: 1,
    name: 'core',
    statements: [
      `CREATE TABLE users (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
      ) STRICT`,
      `CREATE TABLE tokens (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT, last_used_at TEXT
      ) STRICT`,
      `CREATE TABLE projects (
        name TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '', deleting INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
      ) STRICT`,
      `CREATE TABLE apps (
        name TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, parameters TEXT NOT NULL,
        components TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
      ) STRICT`,
      `CREATE TABLE instances (
        id TEXT PRIMARY KEY, project TEXT NOT NULL REFERENCES projects(name), name TEXT NOT NULL,
        app TEXT NOT NULL REFERENCES apps(name), app_version INTEGER NOT NULL, parameters TEXT NOT NULL,
        replicas_override TEXT, env TEXT NOT NULL, components TEXT NOT NULL,
        desired_state TEXT NOT NULL CHECK (desired_state IN ('running', 'stopped')),
        deleting INTEGER NOT NULL DEFAULT 0, generation INTEGER NOT NULL, restart_nonce INTEGER NOT NULL DEFAULT 0,
        phase TEXT NOT NULL, reason TEXT, observed TEXT NOT NULL, observed_at TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (project, name)
      ) STRICT`,
      `CREATE TABLE volumes (
        project TEXT NOT NULL REFERENCES projects(name), name TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (project, name)
      ) STRICT`,
      `CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, type TEXT NOT NULL, project TEXT, instance TEXT,
        message TEXT NOT NULL, data TEXT NOT NULL
      ) STRICT`,
      `CREATE INDEX events_project_instance ON events (project, instance, id)`,
    ],
  },
  {
    id: 2,
    name: 'identity',
    statements: [
      `ALTER TABLE tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE tokens ADD COLUMN projects TEXT`,
      `CREATE TABLE memberships (
        project TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'owner')),
        added_at TEXT NOT NULL,
        PRIMARY KEY (project, user_id)
      ) STRICT`,
      `CREATE INDEX memberships_user ON memberships (user_id)`,
      `CREATE TABLE sessions (
        hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL
      ) STRICT`,
      `CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, actor TEXT, token TEXT, address TEXT NOT NULL,
        action TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, project TEXT, status INTEGER NOT NULL,
        outcome TEXT NOT NULL, code TEXT
      ) STRICT`,
      `CREATE INDEX audit_project ON audit (project, id)`,
      `CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
      `CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
      `ALTER TABLE projects ADD COLUMN quota TEXT NOT NULL DEFAULT '{}'`,
      `ALTER TABLE projects ADD COLUMN policy TEXT NOT NULL DEFAULT '{}'`,
      `ALTER TABLE apps ADD COLUMN project TEXT REFERENCES projects(name) ON DELETE CASCADE`,
      `ALTER TABLE volumes ADD COLUMN size_bytes INTEGER`,
      `CREATE TABLE secrets (
        project TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE, name TEXT NOT NULL,
        ciphertext TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (project, name)
      ) STRICT`,
    ],
  },
  metricsMigration,
  {
    id: 4,
    name: 'alerts-autoscaling',
    statements: [
      `CREATE TABLE alert_rules (
        project TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE, name TEXT NOT NULL,
        metric TEXT NOT NULL, agg TEXT NOT NULL, scope TEXT NOT NULL, target TEXT,
        comparison TEXT NOT NULL, threshold REAL NOT NULL, window_seconds INTEGER NOT NULL, for_seconds INTEGER NOT NULL,
        webhook_url TEXT, webhook_secret TEXT, enabled INTEGER NOT NULL, evaluated_at TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (project, name)
      ) STRICT`,
      `CREATE TABLE alert_series (
        project TEXT NOT NULL, rule TEXT NOT NULL, key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('inactive', 'pending', 'firing')), value REAL, since TEXT,
        PRIMARY KEY (project, rule, key),
        FOREIGN KEY (project, rule) REFERENCES alert_rules(project, name) ON DELETE CASCADE
      ) STRICT`,
      `CREATE TABLE alert_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, rule TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('firing', 'resolved')), key TEXT NOT NULL, body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')), attempts INTEGER NOT NULL,
        last_status_code INTEGER, last_error TEXT, created_at TEXT NOT NULL, next_attempt_at TEXT, delivered_at TEXT,
        FOREIGN KEY (project, rule) REFERENCES alert_rules(project, name) ON DELETE CASCADE
      ) STRICT`,
      `CREATE INDEX alert_deliveries_rule ON alert_deliveries (project, rule, id)`,
      `CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at)`,
      `CREATE TABLE autoscale_policies (
        instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE, component TEXT NOT NULL,
        project TEXT NOT NULL, instance TEXT NOT NULL,
        min_replicas INTEGER NOT NULL, max_replicas INTEGER NOT NULL, target_cpu_percent REAL NOT NULL,
        up_window_seconds INTEGER NOT NULL, down_window_seconds INTEGER NOT NULL,
        last_cpu_percent REAL, last_decision TEXT, last_decision_at TEXT, recommendations TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (instance_id, component)
      ) STRICT`,
    ],
  },
  autoscaleMemoryMigration,
  {
    id: 6,
    name: 'private-events',
    statements: [
      // The user an event of no project belongs to (its tokens): only that user and admins see it.
      `ALTER TABLE events ADD COLUMN private_to TEXT`,
    ],
  },
  {
    id: 7,
    name: 'node-alerts',
    // Node rules share the alert tables with project rules, under project '' (no project name
    // can be empty), so they share the evaluation, series and deliveries. alert_rules loses its
    // foreign key to projects (a trigger deletes a deleted project's rules instead); the tables
    // are rebuilt in one go (copy, drop children first, rename), which keeps every row and id.
    statements: [
      `CREATE TABLE alert_rules_new (
        project TEXT NOT NULL, name TEXT NOT NULL,
        metric TEXT NOT NULL, agg TEXT NOT NULL, scope TEXT NOT NULL, target TEXT,
        comparison TEXT NOT NULL, threshold REAL NOT NULL, window_seconds INTEGER NOT NULL, for_seconds INTEGER NOT NULL,
        webhook_url TEXT, webhook_secret TEXT, enabled INTEGER NOT NULL, evaluated_at TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (project, name)
      ) STRICT`,
      `CREATE TABLE alert_series_new (
        project TEXT NOT NULL, rule TEXT NOT NULL, key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('inactive', 'pending', 'firing')), value REAL, since TEXT,
        PRIMARY KEY (project, rule, key),
        FOREIGN KEY (project, rule) REFERENCES alert_rules_new(project, name) ON DELETE CASCADE
      ) STRICT`,
      `CREATE TABLE alert_deliveries_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, rule TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('firing', 'resolved')), key TEXT NOT NULL, body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')), attempts INTEGER NOT NULL,
        last_status_code INTEGER, last_error TEXT, created_at TEXT NOT NULL, next_attempt_at TEXT, delivered_at TEXT,
        FOREIGN KEY (project, rule) REFERENCES alert_rules_new(project, name) ON DELETE CASCADE
      ) STRICT`,
      `INSERT INTO alert_rules_new SELECT * FROM alert_rules`,
      `INSERT INTO alert_series_new SELECT * FROM alert_series`,
      `INSERT INTO alert_deliveries_new SELECT * FROM alert_deliveries`,
      `DROP TABLE alert_deliveries`,
      `DROP TABLE alert_series`,
      `DROP TABLE alert_rules`,
      `ALTER TABLE alert_rules_new RENAME TO alert_rules`,
      `ALTER TABLE alert_series_new RENAME TO alert_series`,
      `ALTER TABLE alert_deliveries_new RENAME TO alert_deliveries`,
      `CREATE INDEX alert_deliveries_rule ON alert_deliveries (project, rule, id)`,
      `CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at)`,
      `CREATE TRIGGER alert_rules_of_deleted_project AFTER DELETE ON projects BEGIN DELETE FROM alert_rules WHERE project = OLD.name; END`,
    ],
  },
  {
    id: 8,
    name: 'observed-generation',
    // The generation of the definition the stored status was observed for: a status older than
    // the definition (a change just made) no longer passes for its outcome.
    statements: [`ALTER TABLE instances ADD COLUMN observed_generation INTEGER NOT NULL DEFAULT 0`],
  },
  {
    id: 9,
    name: 'settings',
    // The admin's settings of the installation; a setting never written has its default.
    statements: [`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT`],
  },
  {
    id: 10,
    name: 'project-ids',
    // A project re-created under a deleted one's name is another project: events and audit
    // entries are keyed by an id it gets once (entries written before this migration are
    // given the id of the project that has the name now).
    statements: [
      `ALTER TABLE projects ADD COLUMN id TEXT`,
      `UPDATE projects SET id = lower(hex(randomblob(16)))`,
      `CREATE UNIQUE INDEX projects_id ON projects (id)`,
      `ALTER TABLE events ADD COLUMN project_id TEXT`,
      `UPDATE events SET project_id = (SELECT id FROM projects WHERE projects.name = events.project) WHERE project IS NOT NULL`,
      `CREATE INDEX events_project_id ON events (project_id, id)`,
      `ALTER TABLE audit ADD COLUMN project_id TEXT`,
      `DROP TRIGGER audit_append_only_update`,
      `UPDATE audit SET project_id = (SELECT id FROM projects WHERE projects.name = audit.project) WHERE project IS NOT NULL`,
      `CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
      `CREATE INDEX audit_project_id ON audit (project_id, id)`,
    ],
  },
  {
    id: 11,
    name: 'pending-memberships',
    // A member added by name before an account of that name exists (a non-admin is never told
    // which names exist): it becomes a membership when the account is made.
    statements: [
      `CREATE TABLE pending_memberships (
        project TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE, user_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'owner')), added_at TEXT NOT NULL,
        PRIMARY KEY (project, user_name)
      ) STRICT`,
      `CREATE INDEX pending_memberships_user ON pending_memberships (user_name)`,
    ],
  },
];

/** The table that records which migrations a database has had. */
export async function ensureMigrationTable(db: Kysely<Database>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`.execute(db);
}

/** Runs one migration's statements and records it (inside the caller's transaction, if any). */
export async function applyMigration(db: Kysely<Database>, migration: (typeof migrations)[number], appliedAt = new Date().toISOString()): Promise<void> {
  for (const statement of migration.statements) await sql.raw(statement).execute(db);
  await db.insertInto('schema_migrations').values({ id: migration.id, name: migration.name, applied_at: appliedAt }).execute();
}

export async function migrate(db: Kysely<Database>): Promise<void> {
  await ensureMigrationTable(db);
  const applied = new Set((await db.selectFrom('schema_migrations').select('id').execute()).map((r) => r.id));
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    await db.transaction().execute((trx) => applyMigration(trx, migration));
  }
}
