import type { Delivery, NodeAlertMetric, NodeAlertRule, NodeAlertRuleCreate, NodeAlertRuleCreated, NodeAlertRuleUpdate } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { AlertRuleBook, commonView, type RuleFields } from './alert-rule-book.js';
import type { AlertRuleRecord, AlertSeriesRecord } from './alert-records.js';
import type { EventService } from '../core/event.service.js';
import type { SecretBox } from '../core/secret-box.js';

/** Node rules have no project: the rule book keeps them under owner null. */
const NODES = null;
const check = (): Promise<void> => Promise.resolve();

function toView(r: AlertRuleRecord, series: AlertSeriesRecord[]): NodeAlertRule {
  return { ...commonView(r, series), metric: r.metric as NodeAlertMetric, node: r.target };
}

function fieldsOf(input: NodeAlertRuleUpdate): RuleFields {
  const { node, ...rest } = input;
  // The window average of each node; `agg` has no say over one node's own figures.
  return { ...rest, agg: 'avg', scope: 'node', target: node ?? null };
}

/**
 * The admin's alert rules on node metrics (disk, memory, CPU, load), evaluated like project
 * rules (one series per node). A named node need not report yet: until it does the rule has
 * no data, as a project rule whose instance is gone.
 */
export class NodeAlertService {
  private readonly book: AlertRuleBook;

  constructor(
    private readonly store: Store,
    box: SecretBox,
    events: EventService,
  ) {
    this.book = new AlertRuleBook(store, box, events);
  }

  async list(): Promise<NodeAlertRule[]> {
    const series = await this.store.alerts.series(NODES);
    return (await this.store.alerts.list(NODES)).map((r) => toView(r, series.filter((s) => s.rule === r.name)));
  }

  async get(name: string): Promise<NodeAlertRule> {
    const rule = await this.book.require(this.store, NODES, name);
    return toView(rule, await this.store.alerts.series(NODES, name));
  }

  async create(input: NodeAlertRuleCreate): Promise<NodeAlertRuleCreated> {
    const { name, ...rest } = input;
    const { record, secret } = await this.book.create(NODES, name, fieldsOf(rest), check);
    return { ...toView(record, []), webhookSecret: secret };
  }

  async update(name: string, input: NodeAlertRuleUpdate): Promise<NodeAlertRuleCreated> {
    const { record, answered, series } = await this.book.update(NODES, name, fieldsOf(input), check);
    return { ...toView(record, series), webhookSecret: answered };
  }

  delete(name: string): Promise<void> {
    return this.book.delete(NODES, name, check);
  }

  deliveries(name: string): Promise<Delivery[]> {
    return this.book.deliveries(NODES, name);
  }
}
