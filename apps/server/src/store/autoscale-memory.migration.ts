/**
 * Migration 5: autoscaling on memory as well as CPU. A policy may now target memory alone, so
 * the CPU target becomes nullable; SQLite cannot drop a NOT NULL in place, so the table is
 * rebuilt with the new columns (nothing references it) and its policies copied over.
 */
export const autoscaleMemoryMigration = {
  id: 5,
  name: 'autoscale-memory',
  statements: [
    `CREATE TABLE autoscale_policies_v5 (
      instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE, component TEXT NOT NULL,
      project TEXT NOT NULL, instance TEXT NOT NULL,
      min_replicas INTEGER NOT NULL, max_replicas INTEGER NOT NULL,
      target_cpu_percent REAL, target_memory_percent REAL,
      up_window_seconds INTEGER NOT NULL, down_window_seconds INTEGER NOT NULL,
      last_cpu_percent REAL, last_memory_percent REAL, last_decision TEXT, last_decision_at TEXT, recommendations TEXT NOT NULL,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (instance_id, component),
      CHECK (target_cpu_percent IS NOT NULL OR target_memory_percent IS NOT NULL)
    ) STRICT`,
    `INSERT INTO autoscale_policies_v5 (instance_id, component, project, instance, min_replicas, max_replicas, target_cpu_percent,
      up_window_seconds, down_window_seconds, last_cpu_percent, last_decision, last_decision_at, recommendations, created_at, updated_at)
     SELECT instance_id, component, project, instance, min_replicas, max_replicas, target_cpu_percent,
      up_window_seconds, down_window_seconds, last_cpu_percent, last_decision, last_decision_at, recommendations, created_at, updated_at
     FROM autoscale_policies`,
    `DROP TABLE autoscale_policies`,
    `ALTER TABLE autoscale_policies_v5 RENAME TO autoscale_policies`,
  ],
};
