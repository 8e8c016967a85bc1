import { AlertRuleCreate, AlertRuleUpdate, DNS_LABEL, NodeAlertRuleCreate, type AlertRule, type ReplicaMetric } from '@gureum/contract';
import { checkForm, numberOf, type CheckedForm } from '../ui/check-form.js';

/** What updateAlertRule is sent. */
export type AlertRuleUpdateBody = AlertRuleUpdate;

type FieldErrors = Record<string, string>;

/** An alert rule form as the inputs hold it (numbers as typed). */
export interface AlertForm {
  name: string;
  metric: string;
  agg: string;
  scope: string;
  /** `instance` or `instance/component`; ignored for scope project. */
  target: string;
  comparison: string;
  threshold: string;
  windowSeconds: string;
  forSeconds: string;
  /** Empty: no webhook. */
  webhookUrl: string;
  /** Empty: the server generates one (create only). */
  webhookSecret: string;
  enabled: boolean;
}

export const EMPTY_ALERT_FORM: AlertForm = {
  name: '',
  metric: 'cpu_cores',
  agg: 'avg',
  scope: 'project',
  target: '',
  comparison: '>',
  threshold: '',
  windowSeconds: '60',
  forSeconds: '0',
  webhookUrl: '',
  webhookSecret: '',
  enabled: true,
};

/** The unit a metric's threshold is written in. */
export const METRIC_UNITS: Record<ReplicaMetric, string> = {
  cpu_cores: 'cores (1 = one core busy)',
  memory_bytes: 'bytes',
  memory_limit_bytes: 'bytes',
  net_rx_bps: 'bytes per second',
  net_tx_bps: 'bytes per second',
  blk_read_bps: 'bytes per second',
  blk_write_bps: 'bytes per second',
  restarts: 'restarts',
};

/** What the target field holds for each scope (the API's words). */
export const TARGET_HINTS: Record<string, string> = {
  instance: 'an instance name',
  component: 'instance/component',
  replica: 'an instance name or instance/component',
};

/** The target's shape for its scope, as the API checks it (whether it exists is the API's to say). */
function targetFits(scope: string, target: string): boolean {
  const parts = target.split('/');
  if (!parts.every((p) => DNS_LABEL.test(p))) return false;
  return scope === 'instance' ? parts.length === 1 : scope === 'component' ? parts.length === 2 : parts.length === 1 || parts.length === 2;
}

/**
 * The request body of a form: createAlertRule's for a new rule, updateAlertRule's (no name)
 * for an edit; checked with the contract's schema, so the messages are the API's.
 */
export function alertBody(form: AlertForm, mode: 'create'): CheckedForm<AlertRuleCreate>;
export function alertBody(form: AlertForm, mode: 'edit'): CheckedForm<AlertRuleUpdateBody>;
export function alertBody(form: AlertForm, mode: 'create' | 'edit'): CheckedForm<AlertRuleCreate | AlertRuleUpdateBody> {
  const errors: FieldErrors = {};
  const target = form.target.trim();
  if (form.scope !== 'project' && !targetFits(form.scope, target)) errors.target = `scope ${form.scope} needs target = ${TARGET_HINTS[form.scope] ?? 'a target'}`;
  const input = {
    ...(mode === 'create' && { name: form.name.trim() }),
    metric: form.metric,
    agg: form.agg,
    scope: form.scope,
    ...(form.scope !== 'project' && target !== '' && { target }),
    ...conditionOf(form, errors),
  };
  return checkForm(mode === 'create' ? AlertRuleCreate : AlertRuleUpdate, input, errors);
}

/** The fields every rule has (project or node), from the inputs; numbers not typed as numbers go in `errors`. */
function conditionOf(form: Pick<AlertForm, 'comparison' | 'threshold' | 'windowSeconds' | 'forSeconds' | 'webhookUrl' | 'webhookSecret' | 'enabled'>, errors: FieldErrors) {
  const threshold = numberOf(form.threshold, 'threshold', errors, true);
  const windowSeconds = numberOf(form.windowSeconds, 'windowSeconds', errors, false);
  const forSeconds = numberOf(form.forSeconds, 'forSeconds', errors, false);
  const url = form.webhookUrl.trim();
  const secret = form.webhookSecret.trim();
  return {
    comparison: form.comparison,
    threshold,
    ...(windowSeconds !== undefined && { windowSeconds }),
    ...(forSeconds !== undefined && { forSeconds }),
    webhook: url === '' ? null : { url, ...(secret !== '' && { secret }) },
    enabled: form.enabled,
  };
}

/** A node rule form: the rule form's fields, with a node (empty: every node) in place of scope and target. */
export type NodeAlertForm = Omit<AlertForm, 'agg' | 'scope' | 'target'> & { node: string };

export const EMPTY_NODE_ALERT_FORM: NodeAlertForm = { ...EMPTY_ALERT_FORM, metric: 'node_disk_used_percent', threshold: '90', node: '' };

/** createNodeAlertRule's body from a node rule form, checked with the contract's schema. */
export function nodeAlertBody(form: NodeAlertForm): CheckedForm<NodeAlertRuleCreate> {
  const errors: FieldErrors = {};
  const node = form.node.trim();
  const input = { name: form.name.trim(), metric: form.metric, ...(node !== '' && { node }), ...conditionOf(form, errors) };
  return checkForm(NodeAlertRuleCreate, input, errors);
}

/** The form of an existing rule, for editing it (its webhook secret is never answered). */
export function formOfRule(rule: AlertRule): AlertForm {
  return {
    name: rule.name,
    metric: rule.metric,
    agg: rule.agg,
    scope: rule.scope,
    target: rule.target ?? '',
    comparison: rule.comparison,
    threshold: String(rule.threshold),
    windowSeconds: String(rule.windowSeconds),
    forSeconds: String(rule.forSeconds),
    webhookUrl: rule.webhook?.url ?? '',
    webhookSecret: '',
    enabled: rule.enabled,
  };
}

/** A rule's condition in one line: "avg cpu_cores of web > 0.8 for 1m (over 60 s)". */
export function describeRule(rule: Pick<AlertRule, 'agg' | 'metric' | 'scope' | 'target' | 'comparison' | 'threshold' | 'windowSeconds' | 'forSeconds'>): string {
  const of = rule.scope === 'project' ? 'the project' : `${rule.scope} ${rule.target ?? '?'}`;
  const hold = rule.forSeconds > 0 ? ` for ${rule.forSeconds} s` : '';
  return `${rule.agg} ${rule.metric} of ${of} ${rule.comparison} ${rule.threshold} over ${rule.windowSeconds} s${hold}`;
}
