import type { NodeAlertRule, NodeAlertRuleCreate, NodeAlertRuleUpdate } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, resourceGroup, withOutput } from '../command-kit.js';
import { printItem, printList, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';
import { alertRuleOf, condition, deliveryColumns, describeWith, ruleOptions, ruleUpdateOf, secretNote, stateColor, type CreateOptions, type UpdateOptions } from './alerts.js';

const watched = (r: NodeAlertRule) => r.node ?? 'every node';

const columns: Column<NodeAlertRule>[] = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'STATE', value: (r) => (r.enabled ? r.state : 'disabled'), color: (r) => stateColor(r.state) },
  { header: 'CONDITION', value: condition },
  { header: 'NODE', value: watched },
  { header: 'WINDOW', value: (r) => `${r.windowSeconds}s` },
  { header: 'FOR', value: (r) => `${r.forSeconds}s` },
  { header: 'WEBHOOK', value: (r) => r.webhook?.url ?? '-' },
];

const NODE_METRICS = 'what to watch, e.g. node_disk_used_percent, node_memory_used_percent, node_cpu_percent, node_load1';
const nodeOption = (cmd: Command): Command => cmd.option('--node <node>', 'the node watched (default: every node, one series each)');

/** The whole rule an `update` sends: the current rule with the file's fields and the flags given over it. */
export function nodeAlertRuleUpdateOf(current: NodeAlertRule, opts: UpdateOptions, newSecret?: () => string): NodeAlertRuleUpdate {
  const rule = ruleUpdateOf(current, { metric: current.metric, ...(current.node !== null && { node: current.node }) }, opts, 'node-alerts', newSecret);
  if (opts.everyNode) delete rule.node;
  return rule as NodeAlertRuleUpdate;
}

/** `gureum node-alerts ls|create|update|show|rm|deliveries`: the admin's alert rules on node metrics. */
export function registerNodeAlerts(program: Command, session: Session): void {
  const group = resourceGroup(program, 'node-alerts', 'node-alert', 'alert rules on node metrics (disk, memory, CPU, load; admin)', [
    'gureum node-alerts',
    'gureum node-alerts create disk -m node_disk_used_percent --when ">90" --for 5m',
  ]);

  const ls = listCommand(group, 'list node alert rules and their state').action(async (opts: OutputOptions) => {
    printList(await session.client().call('listNodeAlertRules', {}), columns, opts, (r) => r.name);
  });
  examples(ls, ['gureum node-alerts ls', 'gureum node-alerts -o json']);

  const create = withOutput(
    ruleOptions(group.command('create').summary('create a node alert rule; a webhook’s signing secret is shown once').argument('[name]', 'rule name (or name: in the file)'), 'create', NODE_METRICS, nodeOption),
  ).action(async (name: string | undefined, opts: CreateOptions) => {
    const created = await session.client().call('createNodeAlertRule', { body: alertRuleOf(name, opts) as NodeAlertRuleCreate });
    printItem(created, opts, (r) => `node alert rule ${r.name} created\n${secretNote(r)}`, (r) => r.name);
  });
  examples(create, [
    'gureum node-alerts create disk -m node_disk_used_percent --when ">90" --webhook https://hooks.lab/gureum',
    'gureum node-alerts create load -m node_load1 --when ">8" --for 10m --node gpu-1',
  ]);

  const update = withOutput(
    ruleOptions(group.command('update').summary('change a node alert rule: the flags given replace those fields, the rest stays').argument('<name>'), 'update', NODE_METRICS, (cmd) =>
      nodeOption(cmd).option('--every-node', 'watch every node again'),
    ),
  ).action(async (name: string, opts: UpdateOptions) => {
    const client = session.client();
    const current = await client.call('getNodeAlertRule', { params: { alert: name } });
    const updated = await client.call('updateNodeAlertRule', { params: { alert: name }, body: nodeAlertRuleUpdateOf(current, opts) });
    printItem(updated, opts, (r) => `node alert rule ${r.name} updated\n${secretNote(r)}`, (r) => r.name);
  });
  examples(update, ['gureum node-alerts update disk --when ">95"', 'gureum node-alerts update disk --rotate-secret']);

  const show = withOutput(group.command('show').summary('show a node rule, its state and each node it watches').argument('<name>')).action(async (name: string, opts: OutputOptions) => {
    printItem(await session.client().call('getNodeAlertRule', { params: { alert: name } }), opts, (r) => describeWith(r, condition(r), ['node', watched(r)]), (r) => r.name);
  });
  examples(show, ['gureum node-alerts show disk']);

  const rm = group.command('rm').summary('delete node alert rules').argument('<name...>').action(async (names: string[]) => {
    const client = session.client();
    await eachName(names, (alert) => client.call('deleteNodeAlertRule', { params: { alert } }));
  });
  examples(rm, ['gureum node-alerts rm disk']);

  const deliveries = withOutput(group.command('deliveries').summary('webhook deliveries of a node rule, newest first').argument('<rule>')).action(async (rule: string, opts: OutputOptions) => {
    printList(await session.client().call('listNodeAlertDeliveries', { params: { alert: rule } }), deliveryColumns, opts, (d) => String(d.id));
  });
  examples(deliveries, ['gureum node-alerts deliveries disk']);
}
