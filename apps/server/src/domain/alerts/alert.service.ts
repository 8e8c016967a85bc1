import type { AlertRule, AlertRuleCreate, AlertRuleCreated, AlertRuleUpdate, Delivery, FiringAlert, ReplicaMetric } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { AlertRuleBook, commonView, type RuleFields } from './alert-rule-book.js';
import type { AlertRuleRecord, AlertSeriesRecord } from './alert-records.js';
import { isNodeRule } from './alert-values.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { ProjectService } from '../identity/project.service.js';
import type { SecretBox } from '../core/secret-box.js';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function toView(r: AlertRuleRecord, series: AlertSeriesRecord[]): AlertRule {
  return { ...commonView(r, series), project: r.project ?? '', metric: r.metric as ReplicaMetric, agg: r.agg, scope: r.scope as AlertRule['scope'], target: r.target };
}

function fieldsOf(input: AlertRuleUpdate): RuleFields {
  const { target, ...rest } = input;
  return { ...rest, target: target ?? null };
}

/**
 * Alert rules of a project (AlertRuleBook stores them; the evaluator, alert-evaluator.ts,
 * moves their series), and the firing alerts of every rule for the admin.
 */
export class AlertService {
  private readonly book: AlertRuleBook;

  constructor(
    private readonly store: Store,
    private readonly projects: ProjectService,
    box: SecretBox,
    events: EventService,
  ) {
    this.book = new AlertRuleBook(store, box, events);
  }

  async list(project: string): Promise<AlertRule[]> {
    await this.projects.require(project);
    const series = await this.store.alerts.series(project);
    return (await this.store.alerts.list(project)).map((r) => toView(r, series.filter((s) => s.rule === r.name)));
  }

  async get(project: string, name: string): Promise<AlertRule> {
    await this.projects.require(project);
    const rule = await this.book.require(this.store, project, name);
    return toView(rule, await this.store.alerts.series(project, name));
  }

  async create(project: string, input: AlertRuleCreate): Promise<AlertRuleCreated> {
    const { name, ...rest } = input;
    const { record, secret } = await this.book.create(project, name, fieldsOf(rest), async (trx) => {
      const p = await this.projects.require(project, trx);
      if (p.deleting) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} is being deleted`);
      await checkTarget(trx, project, input);
    });
    return { ...toView(record, []), webhookSecret: secret };
  }

  async update(project: string, name: string, input: AlertRuleUpdate): Promise<AlertRuleCreated> {
    const { record, answered, series } = await this.book.update(project, name, fieldsOf(input), async (trx) => {
      await this.projects.require(project, trx);
      await checkTarget(trx, project, input);
    });
    return { ...toView(record, series), webhookSecret: answered };
  }

  async delete(project: string, name: string): Promise<void> {
    await this.book.delete(project, name, async (trx) => {
      await this.projects.require(project, trx);
    });
  }

  async deliveries(project: string, name: string): Promise<Delivery[]> {
    await this.projects.require(project);
    return this.book.deliveries(project, name);
  }

  /** Every firing series of every rule, project and node rules (for the admin). */
  async firing(): Promise<FiringAlert[]> {
    const rules = new Map((await this.store.alerts.list()).map((r) => [`${r.project ?? ''}/${r.name}`, r]));
    return (await this.store.alerts.firing()).flatMap((s) => {
      const rule = rules.get(`${s.project ?? ''}/${s.rule}`);
      if (!rule) return [];
      const node = isNodeRule(rule) ? s.key : null;
      return [{ project: s.project, node, rule: s.rule, key: s.key, metric: rule.metric, comparison: rule.comparison, threshold: rule.threshold, value: s.value, since: s.since ?? rule.updatedAt }];
    });
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
