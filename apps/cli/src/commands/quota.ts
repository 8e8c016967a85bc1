import type { Quota, Usage } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, parseCount, parseNumber, parsePairs, projectShowGroup, withOutput, withProject } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatBytes, parseBytes, printItem, renderFields, renderTable, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

/** The keys `quota set` takes: the API's names, and shorter ones for the byte sizes. */
export const QUOTA_KEYS: Record<string, { field: keyof Quota; parse: (text: string, key: string) => number }> = {
  instances: { field: 'instances', parse: parseCount },
  replicas: { field: 'replicas', parse: parseCount },
  cpus: { field: 'cpus', parse: parseNumber },
  memory: { field: 'memoryBytes', parse: parseBytes },
  memoryBytes: { field: 'memoryBytes', parse: parseBytes },
  volumes: { field: 'volumes', parse: parseCount },
  'volume-size': { field: 'volumeBytes', parse: parseBytes },
  volumeBytes: { field: 'volumeBytes', parse: parseBytes },
};

/** KEY=VALUE pairs into a quota patch; `none` lifts a limit. */
export function parseQuotaPatch(pairs: string[]): Partial<Quota> {
  if (pairs.length === 0) throw new UsageError(`give at least one KEY=VALUE; keys: ${Object.keys(QUOTA_KEYS).join(', ')}`);
  const patch: Partial<Quota> = {};
  for (const [key, value] of Object.entries(parsePairs(pairs, 'limit'))) {
    const known = QUOTA_KEYS[key];
    if (!known) throw new UsageError(`no quota named ${key}; keys: ${Object.keys(QUOTA_KEYS).join(', ')}`);
    patch[known.field] = value === 'none' ? null : known.parse(value, key);
  }
  return patch;
}

/** `used of limit` lines of a project's usage, for `quota` and `projects show`. */
export function usageFields(usage: Usage): [string, string][] {
  const limit = (used: number, max: number | null, fmt: (n: number) => string = String) => `${fmt(used)} of ${max === null ? 'unlimited' : fmt(max)}`;
  return [
    ['instances', limit(usage.used.instances, usage.quota.instances)],
    ['replicas', limit(usage.used.replicas, usage.quota.replicas)],
    ['cpus', limit(usage.used.cpus, usage.quota.cpus)],
    ['memory', limit(usage.used.memoryBytes, usage.quota.memoryBytes, formatBytes)],
    ['volumes', limit(usage.used.volumes, usage.quota.volumes)],
    ['volume size', limit(usage.used.volumeBytes, usage.quota.volumeBytes, formatBytes)],
  ];
}

/** A table of each resource, what it uses and its limit, then what the volumes really hold. */
export function renderUsage(usage: Usage): string {
  const rows = usageFields(usage).map(([name, text]) => [name, ...text.split(' of ')]);
  const measured = renderFields([
    ['volume data on disk', formatBytes(usage.measured.volumeBytes)],
    ['volumes over their size', usage.measured.volumesOverSize.join(', ') || '-'],
  ]);
  return `${renderTable(['RESOURCE', 'USED', 'LIMIT'], rows.map((r) => r.map((c) => c ?? '')))}\n${measured}`;
}

/** `gureum quota [PROJECT]` and `gureum quota set KEY=VALUE...`. */
export function registerQuota(program: Command, session: Session): void {
  const { group, show } = projectShowGroup(program, 'quota', 'show what a project uses against its quota', ['gureum quota', 'gureum quota lab -o json', 'gureum quota set memory=16GiB cpus=8 -p lab']);
  show.action(async (name: string | undefined, opts: OutputOptions & { project?: string }) => {
    const usage = await session.client().call('getUsage', { params: { project: name ?? session.project(opts.project) } });
    printItem(usage, opts, renderUsage, (u) => u.project);
  });
  examples(show, ['gureum quota show lab', 'gureum quota show -o yaml']);

  const set = withOutput(
    withProject(
      group
        .command('set')
        .summary('set limits of a project (admin); none lifts one')
        .description(`Set limits of a project (admin). Keys: ${Object.keys(QUOTA_KEYS).join(', ')}. Sizes like 512M or 10GiB; none for no limit.`)
        .argument('<limit...>', 'KEY=VALUE'),
    ),
  ).action(async (pairs: string[], opts: OutputOptions & { project?: string }) => {
    const project = session.project(opts.project);
    const quota = await session.client().call('updateQuota', { params: { project }, body: parseQuotaPatch(pairs) });
    const limits = Object.entries(quota).map(([k, v]): [string, string] => [k, v === null ? 'unlimited' : /Bytes$/.test(k) ? formatBytes(v) : String(v)]);
    printItem(quota, opts, () => `quota of ${project} set\n${renderFields(limits)}`, () => project);
  });
  examples(set, ['gureum quota set memory=16GiB cpus=8 -p lab', 'gureum quota set instances=10 volume-size=100G', 'gureum quota set memory=none']);
}
