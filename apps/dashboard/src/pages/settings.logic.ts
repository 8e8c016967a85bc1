import { SettingsPatch, type Settings } from '@gureum/contract';
import { checkForm, numberOf, type CheckedForm } from '../ui/check-form.js';
import { parseSize, writeSize } from '../ui/parse-size.js';
import { formOfQuota, quotaBody, type QuotaForm } from './quotas.logic.js';

/** The settings form: texts as typed; ranges one per line. */
export interface SettingsForm {
  projectCreation: Settings['projectCreation'];
  quota: QuotaForm;
  cpus: string;
  memory: string;
  allow: string;
  deny: string;
}

export function formOfSettings(s: Settings): SettingsForm {
  const { defaultQuota: q } = s;
  return {
    projectCreation: s.projectCreation,
    quota: formOfQuota({ instances: q.instances ?? null, replicas: q.replicas ?? null, cpus: q.cpus ?? null, memoryBytes: q.memoryBytes ?? null, volumes: q.volumes ?? null, volumeBytes: q.volumeBytes ?? null }),
    cpus: s.defaultResources.cpus === null ? '' : String(s.defaultResources.cpus),
    memory: s.defaultResources.memoryBytes === null ? '' : writeSize(s.defaultResources.memoryBytes),
    allow: s.webhooks.allow.join('\n'),
    deny: s.webhooks.deny.join('\n'),
  };
}

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/**
 * The updateSettings body of the whole form, checked with the contract's schema. Field
 * messages are keyed as the API keys them (`defaultQuota.instances`, `webhooks.deny.0`).
 */
export function settingsBody(form: SettingsForm): CheckedForm<SettingsPatch> {
  const errors: Record<string, string> = {};
  const quota = quotaBody(form.quota);
  if (!quota.ok) for (const [k, v] of Object.entries(quota.errors)) errors[`defaultQuota.${k}`] = v;
  const cpus = numberOf(form.cpus, 'defaultResources.cpus', errors, false);
  const memoryText = form.memory.trim();
  const memory = memoryText === '' ? null : parseSize(memoryText);
  if (memory === undefined) errors['defaultResources.memoryBytes'] = 'write a size like 512MiB or 4GiB';
  const body = {
    projectCreation: form.projectCreation,
    defaultQuota: quota.ok ? quota.body : {},
    defaultResources: { cpus: cpus ?? null, memoryBytes: memory ?? null },
    webhooks: { allow: lines(form.allow), deny: lines(form.deny) },
  };
  return checkForm(SettingsPatch, body, errors);
}
