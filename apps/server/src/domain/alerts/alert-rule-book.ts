import type { AlertState, Delivery } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { SecretBox } from '../core/secret-box.js';
import { worstState } from './alert-evaluation.js';
import type { AlertRuleRecord, AlertSeriesRecord, DeliveryRecord } from './alert-records.js';
import { instanceOf } from './alert-values.js';
import { generateWebhookSecret, webhookSecretContext } from './webhook-sender.js';

const DELIVERIES_SHOWN = 100;

/** What a create or update sets on a rule (project and node rules alike). */
export type RuleFields = Omit<AlertRuleRecord, 'project' | 'name' | 'webhookUrl' | 'webhookSecretSealed' | 'evaluatedAt' | 'createdAt' | 'updatedAt'> & {
  webhook: { url: string; secret?: string | undefined } | null;
};

/** The answer fields every rule view shares; the sealed secret is taken out here, so no answer can carry it. */
export function commonView(r: AlertRuleRecord, series: readonly AlertSeriesRecord[]) {
  return {
    name: r.name,
    comparison: r.comparison,
    threshold: r.threshold,
    windowSeconds: r.windowSeconds,
    forSeconds: r.forSeconds,
    webhook: r.webhookUrl === null ? null : { url: r.webhookUrl },
    enabled: r.enabled,
    state: worstState(series) satisfies AlertState,
    series: series.map((s) => ({ key: s.key, state: s.state, value: s.value, since: s.since })),
    evaluatedAt: r.evaluatedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toDeliveryView(d: DeliveryRecord): Delivery {
  const { project: _p, body: _b, ...view } = d;
  return view;
}

/**
 * The rules of one owner — a project, or null for the admin's node rules — stored, replaced
 * and deleted the same way. The webhook secret is sealed at rest and answered only in the reply
 * to the request that set it. `check` runs inside the transaction (owner and target exist).
 */
export class AlertRuleBook {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly events: EventService,
  ) {}

  async create(owner: string | null, name: string, fields: RuleFields, check: (trx: Store) => Promise<void>): Promise<{ record: AlertRuleRecord; secret: string | null }> {
    const secret = fields.webhook ? (fields.webhook.secret ?? generateWebhookSecret()) : null;
    const record = await this.store.transaction(async (trx) => {
      await check(trx);
      if (await trx.alerts.get(owner, name)) throw new DomainError('ALERT_EXISTS', `alert rule ${name} already exists${where(owner)}`);
      const now = new Date().toISOString();
      const record = this.recordOf(owner, name, fields, secret, { createdAt: now, updatedAt: now });
      await trx.alerts.insert(record);
      return record;
    });
    return { record, secret };
  }

  /**
   * Replaces a rule. Its series keep their state and meet the new condition at the next
   * evaluation (a firing series the new condition no longer matches resolves then). A webhook
   * given without a secret keeps the rule's secret, or gets a new one answered here once.
   */
  async update(owner: string | null, name: string, fields: RuleFields, check: (trx: Store) => Promise<void>): Promise<{ record: AlertRuleRecord; answered: string | null; series: AlertSeriesRecord[] }> {
    const { record, answered } = await this.store.transaction(async (trx) => {
      await check(trx);
      const current = await this.require(trx, owner, name);
      let secret: string | null = null;
      let answered: string | null = null;
      if (fields.webhook) {
        if (fields.webhook.secret !== undefined) secret = answered = fields.webhook.secret;
        else if (current.webhookSecretSealed !== null) secret = this.box.open(current.webhookSecretSealed, webhookSecretContext(owner, name));
        else secret = answered = generateWebhookSecret();
      }
      const record = this.recordOf(owner, name, fields, secret, { createdAt: current.createdAt, updatedAt: new Date().toISOString() });
      await trx.alerts.update(record);
      return { record, answered };
    });
    return { record, answered, series: await this.store.alerts.series(owner, name) };
  }

  /** Deletes the rule with its series and deliveries; a series that was firing is recorded as resolved. */
  async delete(owner: string | null, name: string, check: (trx: Store) => Promise<void>): Promise<void> {
    const { rule, firing } = await this.store.transaction(async (trx) => {
      await check(trx);
      const rule = await this.require(trx, owner, name);
      const firing = (await trx.alerts.series(owner, name)).filter((s) => s.state === 'firing');
      await trx.alerts.delete(owner, name);
      return { rule, firing };
    });
    for (const s of firing) {
      await this.events.record('alert.resolved', {
        project: owner,
        instance: instanceOf(rule),
        message: `alert ${name} resolved for ${s.key}: the rule was deleted`,
        data: { rule: name, key: s.key, metric: rule.metric, agg: rule.agg, comparison: rule.comparison, threshold: rule.threshold, value: s.value, since: s.since, reason: 'rule deleted' },
      });
    }
  }

  async deliveries(owner: string | null, name: string): Promise<Delivery[]> {
    await this.require(this.store, owner, name);
    return (await this.store.alerts.deliveries(owner, name, DELIVERIES_SHOWN)).map(toDeliveryView);
  }

  async require(store: Store, owner: string | null, name: string): Promise<AlertRuleRecord> {
    const rule = await store.alerts.get(owner, name);
    if (!rule) throw new DomainError('ALERT_NOT_FOUND', `alert rule ${name} does not exist${where(owner)}`);
    return rule;
  }

  private recordOf(owner: string | null, name: string, fields: RuleFields, secret: string | null, times: { createdAt: string; updatedAt: string }): AlertRuleRecord {
    const { webhook, ...rest } = fields;
    return {
      ...rest,
      project: owner,
      name,
      webhookUrl: webhook?.url ?? null,
      webhookSecretSealed: secret === null ? null : this.box.seal(secret, webhookSecretContext(owner, name)),
      evaluatedAt: null,
      ...times,
    };
  }
}

const where = (owner: string | null): string => (owner === null ? ' among the node rules' : ` in project ${owner}`);
