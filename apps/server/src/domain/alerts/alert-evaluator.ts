import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import { advance, holds, type Transition } from './alert-evaluation.js';
import { instanceOf, isNodeRule, ruleValues } from './alert-values.js';
import type { AlertRuleRecord, AlertSeriesRecord } from './alert-records.js';
import { Ticker } from './alert-ticker.js';
import type { EventService } from '../core/event.service.js';
import type { MetricsReader } from '../monitoring/metrics-reader.js';
import type { WebhookPayload, WebhookSender } from './webhook-sender.js';

const EVENT_OF: Record<Transition, 'alert.pending' | 'alert.firing' | 'alert.resolved'> = { pending: 'alert.pending', firing: 'alert.firing', resolved: 'alert.resolved' };

/**
 * Evaluates every rule on an interval: reads its window through the MetricsReader, moves
 * each series through inactive → pending → firing → resolved, records each change as an
 * event and hands firing and resolved to the webhook sender. A disabled rule, or one whose
 * instance is gone, has no data (so has a node rule whose node stopped reporting): its firing series resolve and it stays quiet.
 */
export class AlertEvaluator {
  private readonly ticker: Ticker;

  constructor(
    private readonly store: Store,
    private readonly reader: MetricsReader,
    private readonly events: EventService,
    private readonly webhooks: Pick<WebhookSender, 'notify'>,
    private readonly log: Logger,
    intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ticker = new Ticker(intervalMs, () => this.evaluateAll(), (err) => this.log.error({ err }, 'alert evaluation failed'));
  }

  start(): void {
    this.ticker.start();
  }

  stop(): Promise<void> {
    return this.ticker.stop();
  }

  async evaluateAll(): Promise<void> {
    for (const rule of await this.store.alerts.list()) {
      try {
        await this.evaluate(rule);
      } catch (err) {
        // One rule that cannot be read (a store hiccup) must not silence the others.
        this.log.warn({ err, project: rule.project, rule: rule.name }, 'alert rule not evaluated');
      }
    }
  }

  async evaluate(rule: AlertRuleRecord): Promise<void> {
    const nowMs = this.now();
    const values = rule.enabled ? await ruleValues(this.reader, rule) : new Map<string, number>();
    const changes = await this.store.transaction(async (trx) => {
      // Re-read inside the transaction: the rule may have been changed or deleted meanwhile.
      const current = await trx.alerts.get(rule.project, rule.name);
      if (!current || current.updatedAt !== rule.updatedAt) return [];
      const previous = new Map((await trx.alerts.series(rule.project, rule.name)).map((s) => [s.key, s]));
      const keys = new Set([...previous.keys(), ...values.keys()]);
      const out: { series: AlertSeriesRecord; transition: Transition; firedSince: string | null }[] = [];
      for (const key of [...keys].sort()) {
        const value = values.get(key) ?? null;
        const step = advance(previous.get(key), { project: rule.project, rule: rule.name, key }, holds(value, rule.comparison, rule.threshold), value, rule.forSeconds, nowMs);
        const prev = previous.get(key);
        if (step.next.state !== 'inactive' || prev !== undefined) await trx.alerts.putSeries(step.next);
        if (step.transition) {
          out.push({ series: step.next, transition: step.transition, firedSince: step.firedSince });
          if (step.transition !== 'pending') await this.webhooks.notify(trx, rule, payloadOf(rule, step.next, step.transition, step.firedSince, nowMs));
        }
      }
      await trx.alerts.setEvaluated(rule.project, rule.name, new Date(nowMs).toISOString());
      return out;
    });
    for (const c of changes) await this.recordEvent(rule, c.series, c.transition, c.firedSince);
  }

  private async recordEvent(rule: AlertRuleRecord, s: AlertSeriesRecord, transition: Transition, firedSince: string | null): Promise<void> {
    const value = s.value === null ? 'no data' : formatValue(s.value);
    const condition = `${rule.agg} ${rule.metric} ${rule.comparison} ${rule.threshold}`;
    const message =
      transition === 'resolved' ? `alert ${rule.name} resolved for ${s.key}: ${condition} no longer holds (${value})` : `alert ${rule.name} ${transition} for ${s.key}: ${condition} (${value})`;
    await this.events.record(EVENT_OF[transition], {
      project: rule.project,
      instance: instanceOf(rule),
      message,
      data: { rule: rule.name, key: s.key, ...(isNodeRule(rule) && { node: s.key }), metric: rule.metric, agg: rule.agg, comparison: rule.comparison, threshold: rule.threshold, value: s.value, since: transition === 'resolved' ? firedSince : s.since },
    });
  }
}

function payloadOf(rule: AlertRuleRecord, s: AlertSeriesRecord, state: 'firing' | 'resolved', firedSince: string | null, nowMs: number): WebhookPayload {
  return {
    rule: rule.name,
    project: rule.project,
    state,
    key: s.key,
    metric: rule.metric,
    agg: rule.agg,
    scope: rule.scope,
    value: s.value,
    threshold: rule.threshold,
    comparison: rule.comparison,
    since: state === 'resolved' ? firedSince : s.since,
    time: new Date(nowMs).toISOString(),
  };
}

function formatValue(v: number): string {
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(3);
}
