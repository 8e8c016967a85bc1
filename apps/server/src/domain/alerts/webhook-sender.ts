import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import type { AlertRuleRecord, DeliveryRecord } from './alert-records.js';
import { Ticker } from './alert-ticker.js';
import { checkedPost, type WebhookPost, type WebhookRangeLists } from './webhook-post.js';
import type { EventService } from '../core/event.service.js';
import type { SecretBox } from '../core/secret-box.js';

/** The JSON body of a webhook notification (documented in the README). */
export interface WebhookPayload {
  rule: string;
  /** null for a node rule. */
  project: string | null;
  state: 'firing' | 'resolved';
  key: string;
  metric: string;
  agg: string;
  scope: string;
  value: number | null;
  threshold: number;
  comparison: string;
  /** When the series started firing. */
  since: string | null;
  time: string;
}

export interface WebhookOptions {
  timeoutMs: number;
  /** Attempts before a delivery is given up as failed. */
  maxAttempts: number;
  /** Wait before the 2nd attempt; doubled after each failure, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** The admin's address ranges, read at each send. */
  ranges: () => Promise<WebhookRangeLists>;
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body under the rule's secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function generateWebhookSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** The SecretBox context a rule's webhook secret is sealed under. */
export function webhookSecretContext(project: string | null, rule: string): string {
  return project === null ? `node-alert:${rule}` : `alert:${project}/${rule}`;
}

const BATCH = 20;
const ERROR_LENGTH = 300;

/**
 * Webhook deliveries: every notification is a row first (so none is lost to a restart: pending
 * rows are picked up when Gureum starts again), then POSTed, retried with exponential back-off
 * until delivered or `maxAttempts` failed, when `alert.delivery_failed` is recorded once.
 * Delivery is at least once: receivers deduplicate on `X-Gureum-Delivery`.
 */
export class WebhookSender {
  private readonly ticker: Ticker;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly events: EventService,
    private readonly log: Logger,
    private readonly options: WebhookOptions,
    private readonly post: WebhookPost = checkedPost(options.ranges),
  ) {
    // Due retries are found by this poll; new notifications kick it.
    this.ticker = new Ticker(Math.min(1000, options.retryBaseMs), () => this.sendDue(), (err) => this.log.error({ err }, 'webhook pass failed'));
  }

  start(): void {
    this.ticker.start();
  }

  stop(): Promise<void> {
    return this.ticker.stop();
  }

  /** Records a notification for the rule's webhook (if it has one) and sends it soon. */
  async notify(store: Store, rule: AlertRuleRecord, payload: WebhookPayload): Promise<void> {
    if (rule.webhookUrl === null) return;
    const now = new Date().toISOString();
    await store.alerts.insertDelivery({
      project: rule.project,
      rule: rule.name,
      event: payload.state,
      key: payload.key,
      body: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      nextAttemptAt: now,
      deliveredAt: null,
    });
    this.ticker.kick();
  }

  private async sendDue(): Promise<void> {
    const due = await this.store.alerts.dueDeliveries(new Date().toISOString(), BATCH);
    await Promise.all(due.map((d) => this.attempt(d)));
    if (due.length === BATCH) this.ticker.kick();
  }

  private async attempt(d: DeliveryRecord): Promise<void> {
    const rule = await this.store.alerts.get(d.project, d.rule);
    if (!rule) return; // deleted with its deliveries
    let status: number | null = null;
    let error: string | null = null;
    if (rule.webhookUrl === null || rule.webhookSecretSealed === null) {
      error = 'the rule has no webhook any more';
    } else {
      const secret = this.box.open(rule.webhookSecretSealed, webhookSecretContext(rule.project, rule.name));
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Gureum-Webhook',
        'x-gureum-event': d.event,
        'x-gureum-delivery': String(d.id),
        'x-gureum-signature': signBody(secret, d.body),
      };
      try {
        status = await this.post(rule.webhookUrl, d.body, headers, this.options.timeoutMs);
        if (status < 200 || status > 299) error = `answered HTTP ${status}`;
      } catch (err) {
        error = describe(err, this.options.timeoutMs);
      }
    }
    const attempts = d.attempts + 1;
    const now = Date.now();
    if (error === null) {
      await this.store.alerts.updateDelivery({ ...d, status: 'delivered', attempts, lastStatusCode: status, lastError: null, nextAttemptAt: null, deliveredAt: new Date(now).toISOString() });
      return;
    }
    const givingUp = attempts >= this.options.maxAttempts || rule.webhookUrl === null;
    const wait = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempts - 1));
    await this.store.alerts.updateDelivery({ ...d, status: givingUp ? 'failed' : 'pending', attempts, lastStatusCode: status, lastError: error.slice(0, ERROR_LENGTH), nextAttemptAt: givingUp ? null : new Date(now + wait).toISOString() });
    if (givingUp) {
      this.log.warn({ project: d.project, rule: d.rule, delivery: d.id, attempts, error }, 'webhook delivery failed');
      await this.events.record('alert.delivery_failed', {
        project: d.project,
        message: `alert ${d.rule}: webhook delivery ${d.id} (${d.event}, ${d.key}) failed after ${attempts} attempt(s): ${error}`,
        data: { rule: d.rule, delivery: d.id, event: d.event, key: d.key, attempts, lastStatusCode: status, lastError: error },
      });
    }
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'request failed'}: ${cause}` : (e.message ?? String(err));
}
