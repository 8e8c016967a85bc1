import { QuotaPatch, type Quota } from '@gureum/contract';
import type { Out } from '../api/types.js';
import { checkForm, type CheckedForm } from '../ui/check-form.js';
import { formatBytes } from '../ui/format.js';
import { parseSize, writeSize } from '../ui/parse-size.js';

export type QuotaKey = keyof Quota;

/** The limits a project can have, in the order the page shows them. */
export const QUOTA_LIMITS: readonly { key: QuotaKey; label: string; kind: 'count' | 'cores' | 'bytes' }[] = [
  { key: 'instances', label: 'Instances', kind: 'count' },
  { key: 'replicas', label: 'Replicas', kind: 'count' },
  { key: 'cpus', label: 'CPU cores', kind: 'cores' },
  { key: 'memoryBytes', label: 'Memory', kind: 'bytes' },
  { key: 'volumes', label: 'Volumes', kind: 'count' },
  { key: 'volumeBytes', label: 'Volume space', kind: 'bytes' },
];

export interface UsageRow {
  key: QuotaKey;
  label: string;
  used: number;
  limit: number | null;
  /** 0..1 of the limit (capped at 1 for the bar), null without a limit. */
  fraction: number | null;
  /** "3 of 10", "1.5 GiB of 4 GiB", "2 (no limit)". */
  text: string;
  level: 'ok' | 'high' | 'full';
}

function amount(kind: 'count' | 'cores' | 'bytes', n: number): string {
  if (kind === 'bytes') return formatBytes(n);
  return String(Math.round(n * 100) / 100);
}

/** One row per limit: use against quota, for bars. */
export function usageRows(usage: Out<'getUsage'>): UsageRow[] {
  return QUOTA_LIMITS.map(({ key, label, kind }) => {
    const used = usage.used[key];
    const limit = usage.quota[key];
    if (limit === null) return { key, label, used, limit, fraction: null, text: `${amount(kind, used)} (no limit)`, level: 'ok' };
    const raw = limit === 0 ? (used > 0 ? 1 : 0) : used / limit;
    const fraction = Math.min(1, raw);
    const level = raw >= 1 ? 'full' : raw >= 0.8 ? 'high' : 'ok';
    return { key, label, used, limit, fraction, text: `${amount(kind, used)} of ${amount(kind, limit)}`, level };
  });
}

/** The quota form: one text per limit, empty for "no limit". */
export type QuotaForm = Record<QuotaKey, string>;

export function formOfQuota(quota: Quota): QuotaForm {
  const form = {} as QuotaForm;
  for (const { key, kind } of QUOTA_LIMITS) {
    const v = quota[key];
    form[key] = v === null ? '' : kind === 'bytes' ? writeSize(v) : String(v);
  }
  return form;
}

/** The updateQuota body of a form (sizes like "4GiB"), checked with the contract's schema. */
export function quotaBody(form: QuotaForm): CheckedForm<ReturnType<typeof QuotaPatch.parse>> {
  const errors: Record<string, string> = {};
  const body: Record<string, number | null> = {};
  for (const { key, kind } of QUOTA_LIMITS) {
    const text = form[key].trim();
    if (text === '') {
      body[key] = null;
      continue;
    }
    const n = kind === 'bytes' ? parseSize(text) : Number(text);
    if (n === undefined || !Number.isFinite(n)) {
      errors[key] = kind === 'bytes' ? 'write a size like 512MiB or 4GiB' : 'must be a number';
      continue;
    }
    body[key] = n;
  }
  return checkForm(QuotaPatch, body, errors);
}
