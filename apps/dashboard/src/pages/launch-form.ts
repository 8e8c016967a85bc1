import type { App, ParameterSpec } from '@gureum/contract';
import type { Out } from '../api/types.js';

type Usage = Out<'getUsage'>;

type ParamValue = string | number | boolean;
/** The form's values: text for strings, integers and enums; booleans as booleans. */
export type LaunchValues = Record<string, string | boolean>;

/** The form's starting values: each parameter's default. */
export function initialValues(parameters: readonly ParameterSpec[]): LaunchValues {
  const values: LaunchValues = {};
  for (const p of parameters) values[p.name] = p.type === 'boolean' ? (p.default ?? false) : p.default === undefined ? '' : String(p.default);
  return values;
}

/** The parameters of the request: empty fields are left out (the app's default applies). */
export function toParameters(parameters: readonly ParameterSpec[], values: LaunchValues): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of parameters) {
    const v = values[p.name];
    if (v === undefined || v === '') continue;
    if (p.type === 'integer' && typeof v === 'string') out[p.name] = /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    else out[p.name] = v;
  }
  return out;
}

/**
 * Problems by field path ("parameters.<name>"), in the words of the API's own check
 * (apps/server/src/domain/catalog/render.ts), so that the form and the API say the same.
 */
export function checkParameters(parameters: readonly ParameterSpec[], values: LaunchValues): Record<string, string> {
  const given = toParameters(parameters, values);
  const problems: Record<string, string> = {};
  for (const p of parameters) {
    const value = given[p.name] ?? p.default;
    if (value === undefined) {
      if (p.required) problems[`parameters.${p.name}`] = 'is required';
      continue;
    }
    let err: string | undefined;
    switch (p.type) {
      case 'string':
        if (p.pattern !== undefined && !new RegExp(`^(?:${p.pattern})$`).test(String(value))) err = `must match ${p.pattern}`;
        break;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) err = 'must be an integer';
        else if (p.min !== undefined && value < p.min) err = `must be at least ${p.min}`;
        else if (p.max !== undefined && value > p.max) err = `must be at most ${p.max}`;
        break;
      case 'boolean':
        break;
      case 'enum':
        if (!p.values.includes(String(value))) err = `must be one of ${p.values.join(', ')}`;
        break;
    }
    if (err) problems[`parameters.${p.name}`] = err;
  }
  return problems;
}

/** What an instance of the app takes from the project's quota with these values. */
export interface QuotaCost {
  replicas: number;
  cpus: number;
  memoryBytes: number;
  /** Some component has no CPU (or memory) limit: a project with that quota refuses it. */
  unlimitedCpu: boolean;
  unlimitedMemory: boolean;
}

export function quotaCost(app: Pick<App, 'components' | 'parameters'>, values: LaunchValues, replicasOverride?: number): QuotaCost {
  const params = { ...Object.fromEntries(app.parameters.map((p) => [p.name, p.default])), ...toParameters(app.parameters, values) };
  const cost: QuotaCost = { replicas: 0, cpus: 0, memoryBytes: 0, unlimitedCpu: false, unlimitedMemory: false };
  for (const c of app.components) {
    const fromParam = typeof c.replicas === 'object' ? params[c.replicas.param] : c.replicas;
    const n = replicasOverride ?? (typeof fromParam === 'number' ? fromParam : 1);
    cost.replicas += n;
    if (n === 0) continue;
    if (c.resources?.cpus === undefined) cost.unlimitedCpu = true;
    else cost.cpus += n * c.resources.cpus;
    if (c.resources?.memoryBytes === undefined) cost.unlimitedMemory = true;
    else cost.memoryBytes += n * c.resources.memoryBytes;
  }
  return cost;
}

/** One row of the quota preview: used now, after the launch, and the limit. */
export interface QuotaLine {
  what: 'instances' | 'replicas' | 'cpus' | 'memoryBytes';
  used: number;
  after: number;
  limit: number | null;
  over: boolean;
  /** Some replica has no limit of this kind: its use is not bounded. */
  unbounded: boolean;
}

export function quotaLines(usage: Pick<Usage, 'quota' | 'used'>, cost: QuotaCost): QuotaLine[] {
  const add = { instances: 1, replicas: cost.replicas, cpus: cost.cpus, memoryBytes: cost.memoryBytes } as const;
  return (['instances', 'replicas', 'cpus', 'memoryBytes'] as const).map((what) => {
    const used = usage.used[what];
    const after = Math.round((used + add[what]) * 1000) / 1000;
    const limit = usage.quota[what];
    const unbounded = (what === 'cpus' && cost.unlimitedCpu) || (what === 'memoryBytes' && cost.unlimitedMemory);
    return { what, used, after, limit, over: limit !== null && (after > limit || unbounded), unbounded };
  });
}
