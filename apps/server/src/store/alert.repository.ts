import type { Comparison, MetricAgg } from '@gureum/contract';
import type { Kysely, Selectable } from 'kysely';
import type { AlertRuleRecord, AlertScope, AlertSeriesRecord, DeliveryRecord } from '../domain/alerts/alert-records.js';
import type { AlertDeliveriesTable, AlertRulesTable, AlertSeriesTable, Database } from './tables.js';

// Node rules have no project: they are stored under '' (no project is named so), see migration 7.
const NO_PROJECT = '';
const own = (project: string | null): string => project ?? NO_PROJECT;
const ownerOf = (stored: string): string | null => (stored === NO_PROJECT ? null : stored);

function toRule(r: Selectable<AlertRulesTable>): AlertRuleRecord {
  return {
    project: ownerOf(r.project),
    name: r.name,
    metric: r.metric as AlertRuleRecord['metric'],
    agg: r.agg as MetricAgg,
    scope: r.scope as AlertScope,
    target: r.target,
    comparison: r.comparison as Comparison,
    threshold: r.threshold,
    windowSeconds: r.window_seconds,
    forSeconds: r.for_seconds,
    webhookUrl: r.webhook_url,
    webhookSecretSealed: r.webhook_secret,
    enabled: r.enabled === 1,
    evaluatedAt: r.evaluated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRuleRow(r: AlertRuleRecord): Selectable<AlertRulesTable> {
  return {
    project: own(r.project),
    name: r.name,
    metric: r.metric,
    agg: r.agg,
    scope: r.scope,
    target: r.target,
    comparison: r.comparison,
    threshold: r.threshold,
    window_seconds: r.windowSeconds,
    for_seconds: r.forSeconds,
    webhook_url: r.webhookUrl,
    webhook_secret: r.webhookSecretSealed,
    enabled: r.enabled ? 1 : 0,
    evaluated_at: r.evaluatedAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function toDelivery(r: Selectable<AlertDeliveriesTable>): DeliveryRecord {
  return {
    id: Number(r.id),
    project: ownerOf(r.project),
    rule: r.rule,
    event: r.event,
    key: r.key,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
  };
}

function toSeries(r: Selectable<AlertSeriesTable>): AlertSeriesRecord {
  return { ...r, project: ownerOf(r.project) };
}

/** Alert rules, the state of their series, and their webhook deliveries. */
export class AlertRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every rule, or those of one project (null: the node rules). */
  async list(project?: string | null): Promise<AlertRuleRecord[]> {
    let query = this.db.selectFrom('alert_rules').selectAll();
    if (project !== undefined) query = query.where('project', '=', own(project));
    return (await query.orderBy('project').orderBy('name').execute()).map(toRule);
  }

  async get(project: string | null, name: string): Promise<AlertRuleRecord | undefined> {
    const row = await this.db.selectFrom('alert_rules').selectAll().where('project', '=', own(project)).where('name', '=', name).executeTakeFirst();
    return row && toRule(row);
  }

  async insert(rule: AlertRuleRecord): Promise<void> {
    await this.db.insertInto('alert_rules').values(toRuleRow(rule)).execute();
  }

  async update(rule: AlertRuleRecord): Promise<void> {
    const { project: _p, name: _n, created_at: _c, ...set } = toRuleRow(rule);
    await this.db.updateTable('alert_rules').set(set).where('project', '=', own(rule.project)).where('name', '=', rule.name).execute();
  }

  async setEvaluated(project: string | null, name: string, at: string): Promise<void> {
    await this.db.updateTable('alert_rules').set({ evaluated_at: at }).where('project', '=', own(project)).where('name', '=', name).execute();
  }

  /** Series and deliveries go with the rule. */
  async delete(project: string | null, name: string): Promise<void> {
    await this.db.deleteFrom('alert_rules').where('project', '=', own(project)).where('name', '=', name).execute();
  }

  async series(project: string | null, rule?: string): Promise<AlertSeriesRecord[]> {
    let query = this.db.selectFrom('alert_series').selectAll().where('project', '=', own(project));
    if (rule !== undefined) query = query.where('rule', '=', rule);
    return (await query.orderBy('rule').orderBy('key').execute()).map(toSeries);
  }

  async firing(): Promise<AlertSeriesRecord[]> {
    const rows = await this.db.selectFrom('alert_series').selectAll().where('state', '=', 'firing').orderBy('project').orderBy('rule').orderBy('key').execute();
    return rows.map(toSeries);
  }

  /** Writes a series' state; an inactive series is removed (nothing to remember). */
  async putSeries(s: AlertSeriesRecord): Promise<void> {
    if (s.state === 'inactive') {
      await this.db.deleteFrom('alert_series').where('project', '=', own(s.project)).where('rule', '=', s.rule).where('key', '=', s.key).execute();
      return;
    }
    await this.db
      .insertInto('alert_series')
      .values({ ...s, project: own(s.project) })
      .onConflict((oc) => oc.columns(['project', 'rule', 'key']).doUpdateSet({ state: s.state, value: s.value, since: s.since }))
      .execute();
  }

  async insertDelivery(d: Omit<DeliveryRecord, 'id'>): Promise<number> {
    const row = await this.db
      .insertInto('alert_deliveries')
      .values({
        project: own(d.project),
        rule: d.rule,
        event: d.event,
        key: d.key,
        body: d.body,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.lastStatusCode,
        last_error: d.lastError,
        created_at: d.createdAt,
        next_attempt_at: d.nextAttemptAt,
        delivered_at: d.deliveredAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async deliveries(project: string | null, rule: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db.selectFrom('alert_deliveries').selectAll().where('project', '=', own(project)).where('rule', '=', rule).orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toDelivery);
  }

  /** Pending deliveries whose next attempt is due, oldest first. */
  async dueDeliveries(now: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db.selectFrom('alert_deliveries').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('id').limit(limit).execute();
    return rows.map(toDelivery);
  }

  /** The earliest next attempt of a pending delivery, if any. */
  async nextDue(): Promise<string | undefined> {
    const row = await this.db.selectFrom('alert_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('next')).where('status', '=', 'pending').executeTakeFirst();
    return row?.next ?? undefined;
  }

  async updateDelivery(d: DeliveryRecord): Promise<void> {
    await this.db
      .updateTable('alert_deliveries')
      .set({ status: d.status, attempts: d.attempts, last_status_code: d.lastStatusCode, last_error: d.lastError, next_attempt_at: d.nextAttemptAt, delivered_at: d.deliveredAt })
      .where('id', '=', d.id)
      .execute();
  }
}
