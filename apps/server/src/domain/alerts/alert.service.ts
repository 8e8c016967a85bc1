import type { AlertRule, AlertRuleCreate, AlertRuleCreated, AlertRuleUpdate, Delivery, FiringAlert } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { worstState } from './alert-evaluation.js';
import type { AlertRuleRecord, AlertSeriesRecord, DeliveryRecord } from './alert-records.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { ProjectService } from '../identity/project.service.js';
import type { SecretBox } from '../core/secret-box.js';
import { generateWebhookSecret, webhookSecretContext } from './webhook-sender.js';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DELIVERIES_SHOWN = 100;

function toView(r: AlertRuleRecord, series: AlertSeriesRecord[]): AlertRule {
  // The sealed secret is taken out here, so no answer can carry it.
  const { webhookUrl, webhookSecretSealed: _sealed, ...rule } = r;
  return {
    ...rule,
    webhook: webhookUrl === null ? null : { url: webhookUrl },
    state: worstState(series),
    series: series.map((s) => ({ key: s.key, state: s.state, value: s.value, since: s.since })),
  };
}

function toDeliveryView(d: DeliveryRecord): Delivery {
  return {
    id: d.id,
    rule: d.rule,
    event: d.event,
    key: d.key,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt,
    nextAttemptAt: d.nextAttemptAt,
    deliveredAt: d.deliveredAt,
  };
}

/**
 * Alert rules of a project. The webhook secret is sealed at rest and answered only in the
 * reply to the request that set it; the evaluator (alert-evaluator.ts) moves their series.
 */
export class AlertService {
  constructor(
    private readonly store: Store,
    private readonly projects: ProjectService,
    private readonly box: SecretBox,
    private readonly events: EventService,
  ) {}

  async list(project: string): Promise<AlertRule[]> {
    await this.projects.require(project);
    const series = await this.store.alerts.series(project);
    return (await this.store.alerts.list(project)).map((r) => toView(r, series.filter((s) => s.rule === r.name)));
  }

  async get(project: string, name: string): Promise<AlertRule> {
    const rule = await this.require(project, name);
    return toView(rule, await this.store.alerts.series(project, name));
  }

  async create(project: string, input: AlertRuleCreate): Promise<AlertRuleCreated> {
    const secret = input.webhook ? (input.webhook.secret ?? generateWebhookSecret()) : null;
    const record = await this.store.transaction(async (trx) => {
      const p = await this.projects.require(project, trx);
      if (p.deleting) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} is being deleted`);
      if (await trx.alerts.get(project, input.name)) throw new DomainError('ALERT_EXISTS', `alert rule ${input.name} already exists in project ${project}`);
      await checkTarget(trx, project, input);
      const now = new Date().toISOString();
      const record = this.recordOf(project, input.name, input, secret, { createdAt: now, updatedAt: now });
      await trx.alerts.insert(record);
      return record;
    });
    return { ...toView(record, []), webhookSecret: secret };
  }

  /**
   * Replaces a rule. Its series keep their state and meet the new condition at the next
   * evaluation (a firing series the new condition no longer matches resolves then). A webhook
   * given without a secret keeps the rule's secret, or gets a new one answered here once.
   */
  async update(project: string, name: string, input: AlertRuleUpdate): Promise<AlertRuleCreated> {
    const { record, answered } = await this.store.transaction(async (trx) => {
      await this.projects.require(project, trx);
      const current = await this.requireIn(trx, project, name);
      await checkTarget(trx, project, input);
      let secret: string | null = null;
      let answered: string | null = null;
      if (input.webhook) {
        if (input.webhook.secret !== undefined) secret = answered = input.webhook.secret;
        else if (current.webhookSecretSealed !== null) secret = this.box.open(current.webhookSecretSealed, webhookSecretContext(project, name));
        else secret = answered = generateWebhookSecret();
      }
      const record = this.recordOf(project, name, input, secret, { createdAt: current.createdAt, updatedAt: new Date().toISOString() });
      await trx.alerts.update(record);
      return { record, answered };
    });
    return { ...toView(record, await this.store.alerts.series(project, name)), webhookSecret: answered };
  }

  /** Deletes the rule with its series and deliveries; a series that was firing is recorded as resolved. */
  async delete(project: string, name: string): Promise<void> {
    const firing = await this.store.transaction(async (trx) => {
      await this.projects.require(project, trx);
      const rule = await this.requireIn(trx, project, name);
      const firing = (await trx.alerts.series(project, name)).filter((s) => s.state === 'firing');
      await trx.alerts.delete(project, name);
      return firing.map((s) => ({ rule, s }));
    });
    for (const { rule, s } of firing) {
      await this.events.record('alert.resolved', {
        project,
        instance: rule.target?.split('/')[0] ?? null,
        message: `alert ${name} resolved for ${s.key}: the rule was deleted`,
        data: { rule: name, key: s.key, metric: rule.metric, agg: rule.agg, comparison: rule.comparison, threshold: rule.threshold, value: s.value, since: s.since, reason: 'rule deleted' },
      });
    }
  }

  async deliveries(project: string, name: string): Promise<Delivery[]> {
    await this.require(project, name);
    return (await this.store.alerts.deliveries(project, name, DELIVERIES_SHOWN)).map(toDeliveryView);
  }

  /** Every firing series of every project (for the admin). */
  async firing(): Promise<FiringAlert[]> {
    const rules = new Map((await this.store.alerts.list()).map((r) => [`${r.project}/${r.name}`, r]));
    return (await this.store.alerts.firing()).flatMap((s) => {
      const rule = rules.get(`${s.project}/${s.rule}`);
      if (!rule) return [];
      return [{ project: s.project, rule: s.rule, key: s.key, metric: rule.metric, comparison: rule.comparison, threshold: rule.threshold, value: s.value, since: s.since ?? rule.updatedAt }];
    });
  }

  private async require(project: string, name: string): Promise<AlertRuleRecord> {
    await this.projects.require(project);
    return this.requireIn(this.store, project, name);
  }

  private async requireIn(store: Store, project: string, name: string): Promise<AlertRuleRecord> {
    const rule = await store.alerts.get(project, name);
    if (!rule) throw new DomainError('ALERT_NOT_FOUND', `alert rule ${name} does not exist in project ${project}`);
    return rule;
  }

  private recordOf(project: string, name: string, input: AlertRuleUpdate, secret: string | null, times: { createdAt: string; updatedAt: string }): AlertRuleRecord {
    return {
      project,
      name,
      metric: input.metric,
      agg: input.agg,
      scope: input.scope,
      target: input.target ?? null,
      comparison: input.comparison,
      threshold: input.threshold,
      windowSeconds: input.windowSeconds,
      forSeconds: input.forSeconds,
      webhookUrl: input.webhook?.url ?? null,
      webhookSecretSealed: secret === null ? null : this.box.seal(secret, webhookSecretContext(project, name)),
      enabled: input.enabled,
      evaluatedAt: null,
      ...times,
    };
  }
}

/**
 * A target names what the scope needs, and it exists now (a typo would make a rule that
 * never fires). If the instance goes away later, the rule just has no data.
 */
async function checkTarget(store: Store, project: string, input: Pick<AlertRuleUpdate, 'scope' | 'target'>): Promise<void> {
  const { scope, target } = input;
  if (scope === 'project') {
    if (target !== undefined) throw new DomainError('VALIDATION_FAILED', 'scope project watches the whole project: leave target out', { field: 'target' });
    return;
  }
  const expected = scope === 'instance' ? 'an instance name' : scope === 'component' ? 'instance/component' : 'an instance name or instance/component';
  const parts = target?.split('/') ?? [];
  const shapeOk = parts.every((p) => NAME.test(p)) && (scope === 'instance' ? parts.length === 1 : scope === 'component' ? parts.length === 2 : parts.length === 1 || parts.length === 2);
  if (target === undefined || !shapeOk) throw new DomainError('VALIDATION_FAILED', `scope ${scope} needs target = ${expected}`, { field: 'target' });
  const [instanceName, component] = parts as [string, string | undefined];
  const instance = await store.instances.get(project, instanceName);
  if (!instance || instance.deleting) throw new DomainError('INSTANCE_NOT_FOUND', `instance ${instanceName} does not exist in project ${project}`);
  if (component !== undefined && !instance.components.some((c) => c.name === component)) {
    throw new DomainError('COMPONENT_NOT_FOUND', `instance ${instanceName} has no component ${component}`, { components: instance.components.map((c) => c.name) });
  }
}
