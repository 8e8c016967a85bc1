import { randomBytes } from 'node:crypto';
import type { AlertRule, AlertRuleCreate, AlertRuleCreated, AlertRuleUpdate, AlertState, Delivery, FiringAlert } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, parseNumber, parseSeconds, readDocument, resourceGroup, withOutput, withProject } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatAge, printItem, printList, renderFields, renderTable, type Color, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

export const stateColor = (state: AlertState): Color | undefined => (state === 'firing' ? 'red' : state === 'pending' ? 'yellow' : undefined);
export const condition = (r: { metric: string; comparison: string; threshold: number }) => `${r.metric} ${r.comparison} ${r.threshold}`;
const watched = (r: AlertRule) => (r.target === null ? r.scope : `${r.scope} ${r.target}`);

const columns: Column<AlertRule>[] = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'STATE', value: (r) => (r.enabled ? r.state : 'disabled'), color: (r) => stateColor(r.state) },
  { header: 'CONDITION', value: (r) => `${r.agg} ${condition(r)}` },
  { header: 'SCOPE', value: watched },
  { header: 'WINDOW', value: (r) => `${r.windowSeconds}s` },
  { header: 'FOR', value: (r) => `${r.forSeconds}s` },
  { header: 'WEBHOOK', value: (r) => r.webhook?.url ?? '-' },
];

export const deliveryColumns: Column<Delivery>[] = [
  { header: 'ID', value: (d) => String(d.id) },
  { header: 'EVENT', value: (d) => d.event },
  { header: 'SERIES', value: (d) => d.key },
  { header: 'STATUS', value: (d) => d.status, color: (d) => (d.status === 'failed' ? 'red' : d.status === 'delivered' ? 'green' : undefined) },
  { header: 'ATTEMPTS', value: (d) => String(d.attempts) },
  { header: 'LAST ANSWER', value: (d) => d.lastError ?? (d.lastStatusCode === null ? '-' : String(d.lastStatusCode)) },
  { header: 'AGE', value: (d) => formatAge(d.createdAt) },
];

const firingColumns: Column<FiringAlert>[] = [
  { header: 'PROJECT', value: (f) => f.project ?? '-' },
  { header: 'NODE', value: (f) => f.node ?? '-' },
  { header: 'RULE', value: (f) => f.rule },
  { header: 'SERIES', value: (f) => f.key },
  { header: 'CONDITION', value: condition },
  { header: 'VALUE', value: (f) => (f.value === null ? '-' : String(f.value)) },
  { header: 'SINCE', value: (f) => formatAge(f.since) },
];

/**
 * A rule as the CLI assembles it from a file and flags, project or node rule alike (the API
 * checks the fields).
 */
export interface LooseRule {
  name?: string;
  metric?: string;
  agg?: string;
  scope?: string;
  target?: string;
  node?: string;
  comparison?: string;
  threshold?: number;
  windowSeconds?: number;
  forSeconds?: number;
  webhook?: { url: string; secret?: string } | null;
  enabled?: boolean;
}

/** The flags `create` and `update` share. */
export interface RuleFlags {
  file?: string;
  metric?: string;
  agg?: string;
  scope?: string;
  target?: string;
  /** node rules only */
  node?: string;
  when?: string;
  window?: string;
  for?: string;
  webhookSecret?: string;
  disabled?: boolean;
}

export interface CreateOptions extends OutputOptions, RuleFlags {
  project?: string;
  webhook?: string;
}

export interface UpdateOptions extends OutputOptions, RuleFlags {
  project?: string;
  /** false: --no-webhook */
  webhook?: string | false;
  enabled?: boolean;
  rotateSecret?: boolean;
  /** node rules only: watch every node again */
  everyNode?: boolean;
}

/** The rule object a -f file holds. */
function readRuleFile(file: string): LooseRule {
  const doc = readDocument(file);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${file} does not hold an alert rule object`);
  return doc; // its fields are checked by the API
}

/** Lays the condition and scope flags given over `rule`. */
function applyRuleFlags(rule: LooseRule, opts: RuleFlags): void {
  if (opts.metric !== undefined) rule.metric = opts.metric;
  if (opts.agg !== undefined) rule.agg = opts.agg;
  if (opts.scope !== undefined) rule.scope = opts.scope;
  if (opts.target !== undefined) rule.target = opts.target;
  if (opts.node !== undefined) rule.node = opts.node;
  if (opts.when !== undefined) {
    const m = /^\s*(>=|<=|>|<)\s*(\S+)\s*$/.exec(opts.when);
    if (!m) throw new UsageError(`--when must be a comparison and a threshold such as ">0.8" or "<= 1000000", not ${JSON.stringify(opts.when)}`);
    rule.comparison = m[1];
    rule.threshold = parseNumber(m[2]!, '--when threshold');
  }
  if (opts.window !== undefined) rule.windowSeconds = parseSeconds(opts.window, '--window');
  if (opts.for !== undefined) rule.forSeconds = parseSeconds(opts.for, '--for');
  if (opts.disabled) rule.enabled = false;
}

/** The rule a `create` sends: the file's, with the flags given over it. */
export function alertRuleOf(name: string | undefined, opts: CreateOptions): LooseRule {
  const rule: LooseRule = opts.file !== undefined ? { ...readRuleFile(opts.file) } : {};
  if (name !== undefined) rule.name = name;
  if (rule.name === undefined) throw new UsageError('give the rule a NAME (or name: in the file)');
  applyRuleFlags(rule, opts);
  if (opts.webhook !== undefined) rule.webhook = { url: opts.webhook, ...(opts.webhookSecret !== undefined && { secret: opts.webhookSecret }) };
  return rule;
}

/** A new webhook signing secret, made as the server makes one (24 random bytes, base64url). */
export const generateWebhookSecret = (): string => randomBytes(24).toString('base64url');

/**
 * The whole rule an `update` sends (PUT replaces a rule): the current rule, then the file's
 * fields, then the flags given. The webhook keeps its secret unless one is given or rotated.
 */
export function alertRuleUpdateOf(current: AlertRule, opts: UpdateOptions, newSecret: () => string = generateWebhookSecret): AlertRuleUpdate {
  const fields: LooseRule = { metric: current.metric, agg: current.agg, scope: current.scope, ...(current.target !== null && { target: current.target }) };
  const rule = ruleUpdateOf(current, fields, opts, 'alerts', newSecret);
  // A rule on the whole project has no target: one left from an earlier scope would be refused.
  if (rule.scope === 'project' && opts.target === undefined) delete rule.target;
  return rule as AlertRuleUpdate;
}

/** What `ruleUpdateOf` keeps of any rule, project or node. */
type CurrentRule = Pick<AlertRule, 'name' | 'comparison' | 'threshold' | 'windowSeconds' | 'forSeconds' | 'webhook' | 'enabled'>;

/**
 * The whole rule an `update` sends (PUT replaces a rule), for project and node rules: the
 * current rule (its common fields and `kept`, the kind's own), then the file's fields, then the
 * flags given. The webhook keeps its secret unless one is given or rotated.
 */
export function ruleUpdateOf(current: CurrentRule, kept: LooseRule, opts: UpdateOptions, group: string, newSecret: () => string = generateWebhookSecret): LooseRule {
  const changes = ['file', 'metric', 'agg', 'scope', 'target', 'node', 'when', 'window', 'for', 'webhook', 'webhookSecret', 'rotateSecret', 'enabled', 'disabled', 'everyNode'] as const;
  if (!changes.some((k) => opts[k] !== undefined)) throw new UsageError(`nothing to change: give the flags of what changes (see gureum ${group} update --help)`);
  if (opts.enabled && opts.disabled) throw new UsageError('--enabled and --disabled contradict each other');
  if (opts.rotateSecret && opts.webhookSecret !== undefined) throw new UsageError('--rotate-secret makes a new secret: leave out --webhook-secret');
  if (opts.webhook === false && (opts.webhookSecret !== undefined || opts.rotateSecret)) throw new UsageError('--no-webhook removes the webhook and its secret: leave out --webhook-secret and --rotate-secret');
  const rule: LooseRule = {
    ...kept,
    comparison: current.comparison,
    threshold: current.threshold,
    windowSeconds: current.windowSeconds,
    forSeconds: current.forSeconds,
    webhook: current.webhook === null ? null : { url: current.webhook.url },
    enabled: current.enabled,
  };
  if (opts.file !== undefined) {
    const { name, ...fields } = readRuleFile(opts.file);
    if (name !== undefined && name !== current.name) throw new UsageError(`${opts.file} names the rule ${name}, not ${current.name}: a rule cannot be renamed`);
    Object.assign(rule, fields);
  }
  applyRuleFlags(rule, opts);
  if (opts.enabled) rule.enabled = true;
  if (opts.webhook === false) rule.webhook = null;
  else if (opts.webhook !== undefined) rule.webhook = { url: opts.webhook };
  const secret = opts.rotateSecret ? newSecret() : opts.webhookSecret;
  if (secret !== undefined) {
    if (!rule.webhook) throw new UsageError(`alert rule ${current.name} has no webhook to sign for: give --webhook URL`);
    rule.webhook = { ...rule.webhook, secret };
  }
  return rule;
}

/** "webhook signing secret (shown only now)", when the answer carries one. */
export const secretNote = (r: Pick<AlertRuleCreated, 'webhookSecret'>) => (r.webhookSecret === null ? '' : `webhook signing secret (shown only now):\n${r.webhookSecret}\n`);

function describeRule(r: AlertRule): string {
  return describeWith(r, `${r.agg} ${condition(r)}`, ['scope', watched(r)]);
}

/** `show` of any rule: its fields (the condition and what it watches as its kind says them) and its series. */
export function describeWith(r: CurrentRule & Pick<AlertRule, 'state' | 'series' | 'evaluatedAt' | 'createdAt'>, cond: string, watching: [string, string]): string {
  const fields = renderFields([
    ['name', r.name],
    ['state', r.enabled ? r.state : 'disabled'],
    ['condition', `${cond} over ${r.windowSeconds}s, for ${r.forSeconds}s`],
    watching,
    ['webhook', r.webhook?.url ?? '-'],
    ['evaluated', r.evaluatedAt ?? 'not yet'],
    ['created', r.createdAt],
  ]);
  if (r.series.length === 0) return `${fields}\nno series yet\n`;
  const rows = r.series.map((s) => [s.key, s.state, s.value === null ? '-' : String(s.value), s.since === null ? '-' : formatAge(s.since)]);
  return `${fields}\n${renderTable(['SERIES', 'STATE', 'VALUE', 'SINCE'], rows)}`;
}

type Opts = OutputOptions & { project?: string };

const REPLICA_METRICS = 'what to watch, e.g. cpu_cores, memory_bytes';
const replicaOptions = (cmd: Command): Command =>
  cmd
    .option('--agg <agg>', 'how replicas combine: avg, max, min, sum')
    .option('--scope <scope>', 'project, instance, component or replica')
    .option('--target <target>', 'INSTANCE, or INSTANCE/COMPONENT (not for scope project)');

/**
 * The options of a rule's `create` or `update` (project and node rules alike); `own` adds
 * those of the rule's kind after --metric.
 */
export function ruleOptions(cmd: Command, verb: 'create' | 'update', metricHelp: string, own: (cmd: Command) => Command): Command {
  const create = verb === 'create';
  own(
    cmd
      .option('-f, --file <file>', create ? 'the rule from YAML or JSON ("-": stdin); flags override it' : 'fields from YAML or JSON ("-": stdin) over the current rule; flags override it')
      .option('-m, --metric <metric>', metricHelp),
  )
    .option('--when <condition>', 'comparison and threshold, e.g. ">0.8"')
    .option('--window <duration>', create ? 'samples averaged over this window (default 60s)' : 'samples averaged over this window')
    .option('--for <duration>', create ? 'pending this long before firing (default 0)' : 'pending this long before firing');
  if (create) {
    return cmd
      .option('--webhook <url>', 'POST firing and resolved alerts here, signed')
      .option('--webhook-secret <secret>', 'the signing key (default: generated, shown once)')
      .option('--disabled', 'create it switched off');
  }
  return cmd
    .option('--webhook <url>', 'POST firing and resolved alerts here (the secret stays)')
    .option('--no-webhook', 'remove the webhook')
    .option('--webhook-secret <secret>', 'a new signing key')
    .option('--rotate-secret', 'a new random signing key, shown once')
    .option('--enabled', 'switch the rule on')
    .option('--disabled', 'switch the rule off');
}

/** `gureum alerts ls|create|update|show|rm|deliveries|firing`: alert rules of a project. */
export function registerAlerts(program: Command, session: Session): void {
  const alerts = resourceGroup(program, 'alerts', 'alert', 'alert rules of a project, their state and webhook deliveries', ['gureum alerts', 'gureum alerts create hot --metric cpu_cores --when ">1.5" --for 2m', 'gureum alerts update hot --when ">2"']);

  const ls = withProject(listCommand(alerts, 'list alert rules and their state')).action(async (opts: Opts) => {
    printList(await session.client().call('listAlertRules', { params: { project: session.project(opts.project) } }), columns, opts, (r) => r.name);
  });
  examples(ls, ['gureum alerts ls -p lab', 'gureum alerts -o json']);

  const create = withOutput(
    withProject(
      ruleOptions(
        alerts
        .command('create')
        .summary('create an alert rule; a webhook’s signing secret is shown once')
        .argument('[name]', 'rule name (or name: in the file)'),
      'create',
      REPLICA_METRICS,
      replicaOptions,
      ),
    ),
  ).action(async (name: string | undefined, opts: CreateOptions) => {
    const created = await session.client().call('createAlertRule', { params: { project: session.project(opts.project) }, body: alertRuleOf(name, opts) as AlertRuleCreate });
    printItem(created, opts, (r) => `alert rule ${r.name} created\n${secretNote(r)}`, (r) => r.name);
  });
  examples(create, [
    'gureum alerts create hot --metric cpu_cores --when ">1.5" --for 2m',
    'gureum alerts create oom --scope replica --target web -m memory_bytes --when ">=500000000" --webhook https://hooks.lab/gureum',
    'gureum alerts create -f rule.yaml -p lab',
  ]);

  const update = withOutput(
    withProject(
      ruleOptions(
        alerts
        .command('update')
        .summary('change an alert rule: the flags given replace those fields, the rest stays')
        .argument('<name>'),
      'update',
      REPLICA_METRICS,
      replicaOptions,
      ),
    ),
  ).action(async (name: string, opts: UpdateOptions) => {
    const project = session.project(opts.project);
    const client = session.client();
    const current = await client.call('getAlertRule', { params: { project, alert: name } });
    const updated = await client.call('updateAlertRule', { params: { project, alert: name }, body: alertRuleUpdateOf(current, opts) });
    printItem(updated, opts, (r) => `alert rule ${r.name} updated\n${secretNote(r)}`, (r) => r.name);
  });
  examples(update, [
    'gureum alerts update hot --when ">2" --for 5m',
    'gureum alerts update hot --rotate-secret',
    'gureum alerts update hot --disabled',
    'gureum alerts update hot --webhook https://hooks.lab/new',
  ]);

  const show = withOutput(withProject(alerts.command('show').summary('show a rule, its state and each series it watches').argument('<name>'))).action(async (name: string, opts: Opts) => {
    printItem(await session.client().call('getAlertRule', { params: { project: session.project(opts.project), alert: name } }), opts, describeRule, (r) => r.name);
  });
  examples(show, ['gureum alerts show hot', 'gureum alerts show hot -o json']);

  const rm = withProject(alerts.command('rm').summary('delete alert rules').argument('<name...>')).action(async (names: string[], opts: { project?: string }) => {
    const project = session.project(opts.project);
    const client = session.client();
    await eachName(names, (alert) => client.call('deleteAlertRule', { params: { project, alert } }));
  });
  examples(rm, ['gureum alerts rm hot']);

  const deliveries = withOutput(withProject(alerts.command('deliveries').summary('webhook deliveries of a rule, newest first').argument('<rule>'))).action(async (rule: string, opts: Opts) => {
    printList(await session.client().call('listAlertDeliveries', { params: { project: session.project(opts.project), alert: rule } }), deliveryColumns, opts, (d) => String(d.id));
  });
  examples(deliveries, ['gureum alerts deliveries hot', 'gureum alerts deliveries hot -o json']);

  const firing = withOutput(alerts.command('firing').summary('firing alerts across all projects and nodes (admin)')).action(async (opts: OutputOptions) => {
    printList(await session.client().call('listFiringAlerts', {}), firingColumns, opts, (f) => `${f.project ?? ''}/${f.rule}/${f.key}`);
  });
  examples(firing, ['gureum alerts firing']);
}
