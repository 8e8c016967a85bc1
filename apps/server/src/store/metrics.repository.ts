import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { NodeMetric, ReplicaMetric } from '@gureum/contract';
import { columnOf, NODE_FAMILY, REPLICA_FAMILY, tableOf, TIER_SECONDS, type MetricFamily, type Tier } from './metrics-columns.js';
import type { Database } from './tables.js';

/** Which replica a series belongs to. */
export interface ReplicaKey {
  project: string;
  instance: string;
  component: string;
  replica: number;
}

export interface ReplicaSeries extends ReplicaKey {
  id: number;
}

export interface ReplicaRow extends ReplicaKey {
  values: Record<ReplicaMetric, number | null>;
}

export interface NodeRow {
  node: string;
  values: Record<NodeMetric, number | null>;
}

/** A step's partial figure of one series: values summed (weighted by samples) and their count. */
export interface BucketRow {
  series: number;
  bucket: number;
  sum: number;
  n: number;
}

export interface ReplicaAverage extends ReplicaKey {
  value: number;
  samples: number;
}

type Family = MetricFamily<string>;
type Db = Kysely<Database> | Transaction<Database>;

/** Rows per INSERT statement: well under SQLite's parameter limit with 10 columns. */
const INSERT_CHUNK = 200;
/** Series whose old rows are deleted between two yields to the event loop while pruning. */
const PRUNE_SERIES_PER_TURN = 25;

async function run<R>(db: Db, text: string, params: readonly unknown[] = []): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
}

function scaled(value: number | null, scale: number): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * scale);
}

const keyOf = (k: ReplicaKey) => `${k.project}/${k.instance}/${k.component}/${k.replica}`;

/**
 * The embedded time-series store: raw samples, 1-minute and 1-hour roll-ups per series, in
 * the state database. Writes come in one transaction per collection; roll-ups and pruning
 * work in small statements so the API never waits long for the database.
 */
export class MetricsRepository {
  private readonly replicaIds = new Map<string, number>();
  private readonly nodeIds = new Map<string, number>();
  /** Per table: the time (unix s) up to which it has been rolled up, exclusive. */
  private readonly rolled = new Map<string, number | null>();

  constructor(private readonly db: Kysely<Database>) {}

  /** One collection: every replica's and node's values at time `t` (unix s), in one transaction. */
  async write(t: number, replicas: readonly ReplicaRow[], nodes: readonly NodeRow[]): Promise<void> {
    const fresh = new Map<string, number>();
    await this.db.transaction().execute(async (trx) => {
      const replicaRows: (number | null)[][] = [];
      for (const r of replicas) {
        const key = keyOf(r);
        const id = this.replicaIds.get(key) ?? fresh.get(key) ?? (await this.ensureReplicaSeries(trx, r));
        fresh.set(key, id);
        replicaRows.push([id, t, ...REPLICA_FAMILY.columns.map((c) => scaled(r.values[c.metric], c.scale))]);
      }
      const nodeRows: (number | null)[][] = [];
      for (const n of nodes) {
        const key = `node:${n.node}`;
        const id = this.nodeIds.get(n.node) ?? fresh.get(key) ?? (await this.ensureNodeSeries(trx, n.node));
        fresh.set(key, id);
        nodeRows.push([id, t, ...NODE_FAMILY.columns.map((c) => scaled(n.values[c.metric], c.scale))]);
      }
      await insertRows(trx, REPLICA_FAMILY, replicaRows);
      await insertRows(trx, NODE_FAMILY, nodeRows);
    });
    for (const [key, id] of fresh) {
      if (key.startsWith('node:')) this.nodeIds.set(key.slice(5), id);
      else this.replicaIds.set(key, id);
    }
  }

  /**
   * Removes every series of a deleted project with its samples: a project re-created under the
   * name starts with no history (and its replicas get series of their own).
   */
  async removeProject(project: string): Promise<void> {
    const series = 'SELECT id FROM metrics_replica_series WHERE project = ?';
    await this.db.transaction().execute(async (trx) => {
      for (const table of [REPLICA_FAMILY.raw, REPLICA_FAMILY.minute, REPLICA_FAMILY.hour]) await run(trx, `DELETE FROM ${table} WHERE series IN (${series})`, [project]);
      await run(trx, 'DELETE FROM metrics_replica_series WHERE project = ?', [project]);
    });
    for (const key of [...this.replicaIds.keys()]) if (key.startsWith(`${project}/`)) this.replicaIds.delete(key);
  }

  private async ensureReplicaSeries(db: Db, k: ReplicaKey): Promise<number> {
    await run(db, 'INSERT OR IGNORE INTO metrics_replica_series (project, instance, component, replica) VALUES (?, ?, ?, ?)', [k.project, k.instance, k.component, k.replica]);
    const [row] = await run<{ id: number }>(db, 'SELECT id FROM metrics_replica_series WHERE project = ? AND instance = ? AND component = ? AND replica = ?', [k.project, k.instance, k.component, k.replica]);
    return row!.id;
  }

  private async ensureNodeSeries(db: Db, node: string): Promise<number> {
    await run(db, 'INSERT OR IGNORE INTO metrics_node_series (node) VALUES (?)', [node]);
    const [row] = await run<{ id: number }>(db, 'SELECT id FROM metrics_node_series WHERE node = ?', [node]);
    return row!.id;
  }

  /** The series of a project, narrowed to an instance, component or replica. */
  async replicaSeries(selector: Partial<ReplicaKey> & { project: string }): Promise<ReplicaSeries[]> {
    const where = ['project = ?'];
    const params: unknown[] = [selector.project];
    for (const field of ['instance', 'component', 'replica'] as const) {
      if (selector[field] === undefined) continue;
      where.push(`${field} = ?`);
      params.push(selector[field]);
    }
    return run<ReplicaSeries>(this.db, `SELECT id, project, instance, component, replica FROM metrics_replica_series WHERE ${where.join(' AND ')} ORDER BY instance, component, replica`, params);
  }

  async nodeSeries(node?: string): Promise<{ id: number; node: string }[]> {
    return node === undefined
      ? run(this.db, 'SELECT id, node FROM metrics_node_series ORDER BY node')
      : run(this.db, 'SELECT id, node FROM metrics_node_series WHERE node = ?', [node]);
  }

  /**
   * Per series and step: the sum and count of a metric's samples in [from, to) of one tier
   * (roll-ups weigh each row by its sample count), in the metric's own units.
   */
  async readBuckets(kind: 'replica' | 'node', metric: string, ids: readonly number[], tier: Tier, from: number, to: number, step: number): Promise<BucketRow[]> {
    if (ids.length === 0 || from >= to) return [];
    // Inlined: a bound number may arrive as REAL, and (t / 60.0) does not truncate.
    step = Math.max(1, Math.trunc(step));
    const family = familyOf(kind);
    const { column, scale } = columnOf(family, metric);
    const [sum, count] = tier === 'raw' ? [`sum(${column})`, `count(${column})`] : [`sum(${column}_avg * n)`, `sum(CASE WHEN ${column}_avg IS NULL THEN 0 ELSE n END)`];
    // ids are integers from the series tables: inlined, so any number of series fits one statement.
    const rows = await run<{ series: number; bucket: number; s: number | null; n: number }>(
      this.db,
      `SELECT series, (t / ${step}) * ${step} AS bucket, ${sum} AS s, ${count} AS n FROM ${tableOf(family, tier)}
       WHERE series IN (${ids.map((id) => Math.trunc(id)).join(',')}) AND t >= ? AND t < ? GROUP BY series, bucket`,
      [from, to],
    );
    return rows.filter((r) => r.n > 0 && r.s !== null).map((r) => ({ series: r.series, bucket: r.bucket, sum: r.s! / scale, n: r.n }));
  }

  /**
   * One figure per step for many series at once, computed in the database: each series'
   * average within the step (over every segment, each from its own tier), then `agg` across
   * the series. Answers far fewer rows than readBuckets when many series are combined.
   */
  async readCombined(kind: 'replica' | 'node', metric: string, ids: readonly number[], segments: readonly { tier: Tier; from: number; to: number }[], step: number, agg: 'avg' | 'max' | 'min' | 'sum'): Promise<{ bucket: number; value: number }[]> {
    if (ids.length === 0 || segments.length === 0) return [];
    const family = familyOf(kind);
    const { column, scale } = columnOf(family, metric);
    step = Math.max(1, Math.trunc(step));
    const inList = ids.map((id) => Math.trunc(id)).join(',');
    const parts = segments.map((seg) =>
      seg.tier === 'raw'
        ? `SELECT series, (t / ${step}) * ${step} AS bucket, ${column} AS s, CASE WHEN ${column} IS NULL THEN 0 ELSE 1 END AS n FROM ${family.raw} WHERE series IN (${inList}) AND t >= ? AND t < ?`
        : `SELECT series, (t / ${step}) * ${step} AS bucket, ${column}_avg * n AS s, CASE WHEN ${column}_avg IS NULL THEN 0 ELSE n END AS n FROM ${tableOf(family, seg.tier)} WHERE series IN (${inList}) AND t >= ? AND t < ?`,
    );
    const rows = await run<{ bucket: number; value: number | null }>(
      this.db,
      `SELECT bucket, ${agg}(v) AS value FROM (
         SELECT series, bucket, sum(s) * 1.0 / sum(n) AS v FROM (${parts.join(' UNION ALL ')}) GROUP BY series, bucket HAVING sum(n) > 0
       ) GROUP BY bucket ORDER BY bucket`,
      segments.flatMap((seg) => [seg.from, seg.to]),
    );
    return rows.filter((r) => r.value !== null).map((r) => ({ bucket: r.bucket, value: r.value! / scale }));
  }

  /** Per-replica averages (for `restarts`: the latest value) since `since` (unix s), from raw samples. */
  async recent(selector: Partial<ReplicaKey> & { project: string }, metric: ReplicaMetric, since: number): Promise<ReplicaAverage[]> {
    const { column, scale } = columnOf(REPLICA_FAMILY, metric);
    const where = ['s.project = ?'];
    const params: unknown[] = [since, selector.project];
    for (const field of ['instance', 'component'] as const) {
      if (selector[field] === undefined) continue;
      where.push(`s.${field} = ?`);
      params.push(selector[field]);
    }
    // SQLite answers the bare column of the row holding max(t): the latest restart count.
    const value = metric === 'restarts' ? `r.${column} AS value, max(r.t) AS latest` : `avg(r.${column}) AS value`;
    const rows = await run<ReplicaAverage>(
      this.db,
      `SELECT s.project, s.instance, s.component, s.replica, ${value}, count(r.${column}) AS samples
       FROM metrics_replica_series s JOIN metrics_replica_raw r ON r.series = s.id AND r.t >= ?
       WHERE ${where.join(' AND ')} GROUP BY s.id HAVING count(r.${column}) > 0 ORDER BY s.instance, s.component, s.replica`,
      params,
    );
    return rows.map((r) => ({ project: r.project, instance: r.instance, component: r.component, replica: r.replica, value: r.value / scale, samples: r.samples }));
  }

  /** Per-node averages since `since` (unix s), from raw samples: every node, or the one named. */
  async recentNodes(metric: NodeMetric, since: number, node?: string): Promise<{ node: string; value: number; samples: number }[]> {
    const { column, scale } = columnOf(NODE_FAMILY, metric);
    const rows = await run<{ node: string; value: number; samples: number }>(
      this.db,
      `SELECT s.node, avg(r.${column}) AS value, count(r.${column}) AS samples
       FROM metrics_node_series s JOIN metrics_node_raw r ON r.series = s.id AND r.t >= ?
       ${node === undefined ? '' : 'WHERE s.node = ?'} GROUP BY s.id HAVING count(r.${column}) > 0 ORDER BY s.node`,
      node === undefined ? [since] : [since, node],
    );
    return rows.map((r) => ({ node: r.node, value: r.value / scale, samples: r.samples }));
  }

  /** Where a tier's roll-up has reached (exclusive, unix s); null before its first roll-up. */
  async rolledUntil(kind: 'replica' | 'node', tier: Exclude<Tier, 'raw'>): Promise<number | null> {
    const table = tableOf(familyOf(kind), tier);
    if (!this.rolled.has(table)) {
      const [row] = await run<{ t: number | null }>(this.db, `SELECT max(t) AS t FROM ${table}`);
      this.rolled.set(table, row?.t == null ? null : row.t + TIER_SECONDS[tier]);
    }
    return this.rolled.get(table) ?? null;
  }

  /**
   * Rolls complete minutes of raw samples (older than `now - graceSeconds`, so late samples of
   * a minute are still in) into the 1-minute tier, and complete hours of that into the hourly.
   */
  async rollUp(now: number, graceSeconds: number): Promise<void> {
    for (const family of [REPLICA_FAMILY, NODE_FAMILY] as Family[]) {
      const minuteEnd = Math.floor((now - graceSeconds) / 60) * 60;
      await this.rollTier(family, '1m', minuteEnd);
      const minuteReached = await this.rolledUntil(family.kind, '1m');
      if (minuteReached !== null) await this.rollTier(family, '1h', Math.floor(minuteReached / 3600) * 3600);
    }
  }

  private async rollTier(family: Family, tier: Exclude<Tier, 'raw'>, end: number): Promise<void> {
    const table = tableOf(family, tier);
    const source = tier === '1m' ? family.raw : family.minute;
    const res = TIER_SECONDS[tier];
    let start = await this.rolledUntil(family.kind, tier);
    if (start === null) {
      const [row] = await run<{ t: number | null }>(this.db, `SELECT min(t) AS t FROM ${source}`);
      start = row?.t == null ? end : Math.floor(row.t / res) * res;
    }
    if (start < end) {
      const columns = family.columns.flatMap((c) => [`${c.column}_avg`, `${c.column}_min`, `${c.column}_max`]);
      const figures =
        tier === '1m'
          ? family.columns.flatMap((c) => [`avg(${c.column})`, `min(${c.column})`, `max(${c.column})`])
          : family.columns.flatMap((c) => [`sum(${c.column}_avg * n) / nullif(sum(CASE WHEN ${c.column}_avg IS NULL THEN 0 ELSE n END), 0)`, `min(${c.column}_min)`, `max(${c.column}_max)`]);
      const count = tier === '1m' ? 'count(*)' : 'sum(n)';
      await run(
        this.db,
        `INSERT OR REPLACE INTO ${table} (series, t, n, ${columns.join(', ')})
         SELECT series, (t / ${res}) * ${res} AS b, ${count}, ${figures.join(', ')} FROM ${source} WHERE t >= ? AND t < ? GROUP BY series, b`,
        [start, end],
      );
    }
    this.rolled.set(table, Math.max(start, end));
  }

  /**
   * Deletes rows older than each tier's cutoff (unix s), one series at a time, yielding between
   * turns so requests interleave; never deletes raw or minute rows not yet rolled up; deletes a
   * series left with no rows. Answers the number of sample rows deleted.
   */
  async prune(cutoff: Record<Tier, number>, yieldTurn: () => Promise<void>): Promise<number> {
    let deleted = 0;
    for (const family of [REPLICA_FAMILY, NODE_FAMILY] as Family[]) {
      const seriesTable = family.kind === 'replica' ? 'metrics_replica_series' : 'metrics_node_series';
      const ids = (await run<{ id: number }>(this.db, `SELECT id FROM ${seriesTable}`)).map((r) => r.id);
      const limits: [string, number][] = [
        [family.raw, Math.min(cutoff.raw, (await this.rolledUntil(family.kind, '1m')) ?? 0)],
        [family.minute, Math.min(cutoff['1m'], (await this.rolledUntil(family.kind, '1h')) ?? 0)],
        [family.hour, cutoff['1h']],
      ];
      for (let i = 0; i < ids.length; i += PRUNE_SERIES_PER_TURN) {
        for (const id of ids.slice(i, i + PRUNE_SERIES_PER_TURN)) {
          for (const [table, before] of limits) {
            const result = await this.db.executeQuery(CompiledQuery.raw(`DELETE FROM ${table} WHERE series = ? AND t < ?`, [id, before]));
            deleted += Number(result.numAffectedRows ?? 0);
          }
          // A series with nothing left in any tier (a replica gone for longer than the
          // retention) goes too; it is made again if the replica comes back. Its cached id is
          // forgotten first: a write in between finds the series again (or makes it anew).
          const empty = [family.raw, family.minute, family.hour].map((table) => `NOT EXISTS (SELECT 1 FROM ${table} WHERE series = ?)`).join(' AND ');
          const [check] = await run<{ empty: number }>(this.db, `SELECT ${empty} AS empty`, [id, id, id]);
          if (!check?.empty) continue;
          const cache = family.kind === 'replica' ? this.replicaIds : this.nodeIds;
          for (const [key, cached] of cache) if (cached === id) cache.delete(key);
          await run(this.db, `DELETE FROM ${seriesTable} WHERE id = ? AND ${empty}`, [id, id, id, id]);
        }
        await yieldTurn();
      }
    }
    return deleted;
  }

  /** Bytes each metrics table (with its indexes) takes in the database file (for benchmarks). */
  async tableSizes(): Promise<Record<string, number>> {
    const rows = await run<{ name: string; bytes: number }>(this.db, `SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'metrics_%' OR name LIKE 'sqlite_autoindex_metrics_%' GROUP BY name`);
    return Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
  }
}

function familyOf(kind: 'replica' | 'node'): Family {
  return kind === 'replica' ? REPLICA_FAMILY : NODE_FAMILY;
}

async function insertRows(db: Db, family: Family, rows: readonly (number | null)[][]): Promise<void> {
  const width = family.columns.length + 2;
  const placeholders = `(${new Array<string>(width).fill('?').join(', ')})`;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await run(db, `INSERT OR REPLACE INTO ${family.raw} (series, t, ${family.columns.map((c) => c.column).join(', ')}) VALUES ${chunk.map(() => placeholders).join(', ')}`, chunk.flat());
  }
}
