import type { Quota, Settings, SettingsPatch } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, parseNumber, parsePairs, withOutput } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatBytes, parseBytes, printItem, renderFields, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';
import { QUOTA_KEYS } from './quota.js';

const KEYS = ['project-creation', 'default-quota.<limit>', 'default-cpus', 'default-memory', 'webhooks.allow', 'webhooks.deny'];

const ranges = (text: string): string[] => (text === 'none' || text === '' ? [] : text.split(',').map((r) => r.trim()));

/** KEY=VALUE pairs into a settings patch (`none` lifts a limit or empties a list). */
export function parseSettingsPatch(pairs: string[]): SettingsPatch {
  if (pairs.length === 0) throw new UsageError(`give at least one KEY=VALUE; keys: ${KEYS.join(', ')}`);
  const patch: SettingsPatch = {};
  for (const [key, value] of Object.entries(parsePairs(pairs, 'setting'))) {
    if (key === 'project-creation' || key === 'projectCreation') {
      if (value !== 'everyone' && value !== 'admins') throw new UsageError(`project-creation is everyone or admins, not ${JSON.stringify(value)}`);
      patch.projectCreation = value;
    } else if (key.startsWith('default-quota.')) {
      const limit = key.slice('default-quota.'.length);
      const known = QUOTA_KEYS[limit];
      if (!known) throw new UsageError(`no quota named ${limit}; default-quota.<limit> takes ${Object.keys(QUOTA_KEYS).join(', ')}`);
      patch.defaultQuota = { ...patch.defaultQuota, [known.field]: value === 'none' ? null : known.parse(value, key) };
    } else if (key === 'default-cpus') {
      patch.defaultResources = { ...patch.defaultResources, cpus: value === 'none' ? null : parseNumber(value, key) };
    } else if (key === 'default-memory') {
      patch.defaultResources = { ...patch.defaultResources, memoryBytes: value === 'none' ? null : parseBytes(value) };
    } else if (key === 'webhooks.allow' || key === 'webhooks.deny') {
      patch.webhooks = { ...patch.webhooks, [key.slice('webhooks.'.length)]: ranges(value) };
    } else {
      throw new UsageError(`no setting named ${key}; keys: ${KEYS.join(', ')}`);
    }
  }
  return patch;
}

function quotaText(q: Partial<Quota>): string {
  const set = Object.entries(q).filter(([, v]) => v !== null && v !== undefined);
  return set.length === 0 ? 'none' : set.map(([k, v]) => `${k} ${/Bytes$/.test(k) ? formatBytes(v as number) : String(v)}`).join(', ');
}

export function renderSettings(s: Settings): string {
  return renderFields([
    ['project creation', s.projectCreation],
    ['default quota', quotaText(s.defaultQuota)],
    ['default cpus', s.defaultResources.cpus === null ? 'unlimited' : String(s.defaultResources.cpus)],
    ['default memory', s.defaultResources.memoryBytes === null ? 'unlimited' : formatBytes(s.defaultResources.memoryBytes)],
    ['webhooks allow', s.webhooks.allow.join(', ') || '-'],
    ['webhooks deny', s.webhooks.deny.join(', ') || '-'],
  ]);
}

/** `gureum settings` and `gureum settings set KEY=VALUE...` (admin). */
export function registerSettings(program: Command, session: Session): void {
  const group = examples(program.command('settings').summary("show or change the installation's settings (admin)"), ['gureum settings', 'gureum settings set project-creation=admins default-memory=1G']);
  const show = withOutput(group.command('show', { isDefault: true }).summary("show the installation's settings (admin)")).action(async (opts: OutputOptions) => {
    printItem(await session.client().call('getSettings', {}), opts, renderSettings, () => 'settings');
  });
  examples(show, ['gureum settings show -o yaml']);
  const set = withOutput(
    group
      .command('set')
      .summary('change settings (admin, audited); a key left out stays as it is')
      .description(
        `Change settings (admin, audited); a key left out stays as it is. Keys: ${KEYS.join(', ')}. ` +
          `project-creation is everyone or admins; default-quota.<limit> takes the limits of gureum quota set (${Object.keys(QUOTA_KEYS).join(', ')}); ` +
          'default-cpus and default-memory are the limits of components that set none; webhooks.allow and webhooks.deny are comma-separated address ranges (CIDR). none lifts a limit or empties a list.',
      )
      .argument('<setting...>', 'KEY=VALUE'),
  ).action(async (pairs: string[], opts: OutputOptions) => {
    const settings = await session.client().call('updateSettings', { body: parseSettingsPatch(pairs) });
    printItem(settings, opts, (s) => `settings changed\n${renderSettings(s)}`, () => 'settings');
  });
  examples(set, [
    'gureum settings set project-creation=admins',
    'gureum settings set default-quota.instances=10 default-quota.memory=16G',
    'gureum settings set default-cpus=1 default-memory=512Mi',
    'gureum settings set webhooks.allow=10.1.0.0/16 webhooks.deny=127.0.0.0/8,169.254.0.0/16,10.0.0.0/8',
  ]);
}
