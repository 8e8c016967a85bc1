import type { Policy } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, parseCount, projectShowGroup, readDocument, withOutput, withProject } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { printItem, renderFields, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

type Switch = 'allowPrivileged' | 'allowHostNetwork' | 'allowHostPid' | 'allowHostIpc' | 'allowRoot' | 'allowHostPorts' | 'allowLowHostPorts';
type List = 'allowHostPaths' | 'allowCapabilities';

/** The yes/no fields, each a --allow-x / --no-allow-x pair of flags. */
const SWITCHES: [Switch, string, string][] = [
  ['allowPrivileged', 'privileged', 'privileged containers'],
  ['allowHostNetwork', 'host-network', 'the host’s network'],
  ['allowHostPid', 'host-pid', 'the host’s process namespace'],
  ['allowHostIpc', 'host-ipc', 'the host’s IPC namespace'],
  ['allowRoot', 'root', 'running as uid 0'],
  ['allowHostPorts', 'host-ports', 'publishing on a fixed host port'],
  ['allowLowHostPorts', 'low-host-ports', 'fixed host ports below 1024'],
];
const LISTS: [List, string, string][] = [
  ['allowHostPaths', 'host-paths', 'host path prefixes that may be bind-mounted, comma-separated (none: no host path)'],
  ['allowCapabilities', 'capabilities', 'capabilities kept beyond the default set, comma-separated (none: no extra)'],
];

type SetOptions = OutputOptions & { project?: string; file?: string; pidsLimit?: string } & Partial<Record<Switch, boolean>> & Partial<Record<List, string>>;

/** The policy of a project as `key: value` lines. */
export function renderPolicy(policy: Policy): string {
  return renderFields(Object.entries(policy).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') || '-' : String(v)]));
}

/** The flags given, over the file (or the current policy): a flag left out keeps the field. */
export function mergePolicy(base: Policy, opts: SetOptions): Policy {
  const policy = { ...base };
  for (const [field] of SWITCHES) if (opts[field] !== undefined) policy[field] = opts[field];
  for (const [field] of LISTS) {
    const text = opts[field];
    if (text !== undefined) policy[field] = text === 'none' || text === '' ? [] : text.split(',').map((p) => p.trim());
  }
  if (opts.pidsLimit !== undefined) policy.pidsLimit = parseCount(opts.pidsLimit, '--pids-limit');
  return policy;
}

/** `gureum policy [PROJECT]` and `gureum policy set` (admin). */
export function registerPolicy(program: Command, session: Session): void {
  const { group, show } = projectShowGroup(program, 'policy', 'show the container policy of a project', ['gureum policy', 'gureum policy lab -o yaml', 'gureum policy set --allow-host-network -p lab']);
  show.action(async (name: string | undefined, opts: OutputOptions & { project?: string }) => {
    const project = name ?? session.project(opts.project);
    printItem(await session.client().call('getPolicy', { params: { project } }), opts, renderPolicy, () => project);
  });
  examples(show, ['gureum policy show lab', 'gureum policy show -o json']);

  const set = withOutput(withProject(group.command('set').summary('relax or tighten the container policy of a project (admin, audited)').option('-f, --file <file>', 'the whole policy from YAML or JSON ("-": stdin); flags override it')));
  // Commander names --allow-host-network and --no-allow-host-network allowHostNetwork, as the field.
  for (const [, flag, what] of SWITCHES) {
    set.option(`--allow-${flag}`, `allow ${what}`).option(`--no-allow-${flag}`, `refuse ${what}`);
  }
  for (const [, flag, what] of LISTS) set.option(`--allow-${flag} <list>`, what);
  set.option('--pids-limit <n>', 'most processes in one container');
  set.action(async (opts: SetOptions) => {
    const project = session.project(opts.project);
    const client = session.client();
    const base = opts.file !== undefined ? (readDocument(opts.file) as Policy) : await client.call('getPolicy', { params: { project } });
    if (typeof base !== 'object' || base === null) throw new UsageError(`${opts.file} does not hold a policy object`);
    const policy = await client.call('putPolicy', { params: { project }, body: mergePolicy(base, opts) });
    printItem(policy, opts, (p) => `policy of ${project} set\n${renderPolicy(p)}`, () => project);
  });
  examples(set, ['gureum policy set --allow-host-network --pids-limit 4096 -p lab', 'gureum policy set --allow-host-paths /data,/scratch --allow-capabilities SYS_PTRACE', 'gureum policy set -f policy.yaml -p lab']);
}
