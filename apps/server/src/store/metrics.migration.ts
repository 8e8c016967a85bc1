/**
 * Migration 3: the embedded time-series store. Series are numbered once (integer keys keep
 * every sample row small); samples are one row per series per time with a column per metric,
 * WITHOUT ROWID so the (series, t) key is the table itself. Raw values are integers in scaled
 * units (see metrics-columns.ts): an integral value takes 0-6 bytes on disk, a REAL always 8.
 * Roll-ups keep the count and avg/min/max of each metric per minute and per hour.
 */
const replicaRollup = (name: string) => `CREATE TABLE ${name} (
  series INTEGER NOT NULL, t INTEGER NOT NULL, n INTEGER NOT NULL,
  cpu_avg REAL, cpu_min REAL, cpu_max REAL, mem_avg REAL, mem_min REAL, mem_max REAL,
  mem_limit_avg REAL, mem_limit_min REAL, mem_limit_max REAL, rx_avg REAL, rx_min REAL, rx_max REAL,
  tx_avg REAL, tx_min REAL, tx_max REAL, rd_avg REAL, rd_min REAL, rd_max REAL,
  wr_avg REAL, wr_min REAL, wr_max REAL, restarts_avg REAL, restarts_min REAL, restarts_max REAL,
  PRIMARY KEY (series, t)
) STRICT, WITHOUT ROWID`;

const nodeRollup = (name: string) => `CREATE TABLE ${name} (
  series INTEGER NOT NULL, t INTEGER NOT NULL, n INTEGER NOT NULL,
  cpu_avg REAL, cpu_min REAL, cpu_max REAL, cpus_avg REAL, cpus_min REAL, cpus_max REAL,
  mem_avg REAL, mem_min REAL, mem_max REAL, mem_total_avg REAL, mem_total_min REAL, mem_total_max REAL,
  load1_avg REAL, load1_min REAL, load1_max REAL, disk_used_avg REAL, disk_used_min REAL, disk_used_max REAL,
  disk_total_avg REAL, disk_total_min REAL, disk_total_max REAL,
  PRIMARY KEY (series, t)
) STRICT, WITHOUT ROWID`;

export const metricsMigration = {
  id: 3,
  name: 'metrics',
  statements: [
    `CREATE TABLE metrics_replica_series (
      id INTEGER PRIMARY KEY, project TEXT NOT NULL, instance TEXT NOT NULL, component TEXT NOT NULL, replica INTEGER NOT NULL,
      UNIQUE (project, instance, component, replica)
    ) STRICT`,
    `CREATE TABLE metrics_node_series (id INTEGER PRIMARY KEY, node TEXT NOT NULL UNIQUE) STRICT`,
    `CREATE TABLE metrics_replica_raw (
      series INTEGER NOT NULL, t INTEGER NOT NULL,
      cpu INTEGER, mem INTEGER, mem_limit INTEGER, rx INTEGER, tx INTEGER, rd INTEGER, wr INTEGER, restarts INTEGER,
      PRIMARY KEY (series, t)
    ) STRICT, WITHOUT ROWID`,
    replicaRollup('metrics_replica_1m'),
    replicaRollup('metrics_replica_1h'),
    `CREATE TABLE metrics_node_raw (
      series INTEGER NOT NULL, t INTEGER NOT NULL,
      cpu INTEGER, cpus INTEGER, mem INTEGER, mem_total INTEGER, load1 INTEGER, disk_used INTEGER, disk_total INTEGER,
      PRIMARY KEY (series, t)
    ) STRICT, WITHOUT ROWID`,
    nodeRollup('metrics_node_1m'),
    nodeRollup('metrics_node_1h'),
  ],
};
