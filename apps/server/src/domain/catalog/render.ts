import { createHash } from 'node:crypto';
import type { ComponentSpec, ParameterSpec } from '@gureum/contract';
import { DomainError } from '../core/errors.js';
import type { AppRecord, ParamValue, RenderedComponent } from '../core/records.js';

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** Substitutions every template may use besides the app's parameters. */
export const BUILTINS = ['project', 'instance', 'component', 'replica'] as const;

/** Checks an app definition beyond its schema: references, uniqueness, defaults within bounds. */
export function validateApp(app: Pick<AppRecord, 'parameters' | 'components'>): void {
  const problems: string[] = [];
  const params = new Map<string, ParameterSpec>();
  for (const p of app.parameters) {
    if (params.has(p.name)) problems.push(`parameter ${p.name} is defined twice`);
    if ((BUILTINS as readonly string[]).includes(p.name)) problems.push(`parameter ${p.name} shadows a built-in substitution`);
    params.set(p.name, p);
    if (p.default !== undefined) {
      const err = checkValue(p, p.default);
      if (err) problems.push(`default of parameter ${p.name} ${err}`);
    }
    if (p.type === 'integer' && p.min !== undefined && p.max !== undefined && p.min > p.max) problems.push(`parameter ${p.name} has min > max`);
    if (p.type === 'string' && p.pattern !== undefined) {
      try {
        new RegExp(p.pattern);
      } catch {
        problems.push(`parameter ${p.name} has an invalid pattern`);
      }
    }
  }
  const names = new Set<string>();
  for (const c of app.components) {
    if (names.has(c.name)) problems.push(`component ${c.name} is defined twice`);
    names.add(c.name);
    if (typeof c.replicas === 'object') {
      const ref = params.get(c.replicas.param);
      if (!ref) problems.push(`component ${c.name}: replicas refers to unknown parameter ${c.replicas.param}`);
      else if (ref.type !== 'integer') problems.push(`component ${c.name}: replicas parameter ${ref.name} must be an integer`);
    }
    const portNames = new Set<string>();
    const containerPorts = new Set<string>();
    for (const port of c.ports ?? []) {
      if (portNames.has(port.name)) problems.push(`component ${c.name}: port ${port.name} is defined twice`);
      portNames.add(port.name);
      const key = `${port.containerPort}/${port.protocol}`;
      if (containerPorts.has(key)) problems.push(`component ${c.name}: container port ${key} is defined twice`);
      containerPorts.add(key);
    }
    const mountPaths = new Set<string>();
    for (const m of c.volumes ?? []) {
      if (mountPaths.has(m.mountPath)) problems.push(`component ${c.name}: mount path ${m.mountPath} is used twice`);
      mountPaths.add(m.mountPath);
    }
    for (const text of templatedStrings(c)) {
      for (const match of text.matchAll(TEMPLATE)) {
        const ref = match[1]!;
        if (!params.has(ref) && !(BUILTINS as readonly string[]).includes(ref)) problems.push(`component ${c.name}: {{${ref}}} names no parameter`);
      }
    }
  }
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', `invalid app: ${problems.join('; ')}`, { problems });
}

function templatedStrings(c: ComponentSpec): string[] {
  return [...(c.command ?? []), ...(c.args ?? []), ...Object.values(c.env ?? {}), ...(c.volumes ?? []).flatMap((v) => ('volume' in v ? [v.volume] : []))];
}

/** Why a value does not fit a parameter, or undefined when it does. */
function checkValue(p: ParameterSpec, value: ParamValue): string | undefined {
  switch (p.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (p.pattern !== undefined && !new RegExp(`^(?:${p.pattern})$`).test(value)) return `must match ${p.pattern}`;
      return undefined;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      if (p.min !== undefined && value < p.min) return `must be at least ${p.min}`;
      if (p.max !== undefined && value > p.max) return `must be at most ${p.max}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && p.values.includes(value) ? undefined : `must be one of ${p.values.join(', ')}`;
  }
}

/** Parameter values with defaults filled in; refuses unknown, missing and out-of-range values. */
export function resolveParameters(app: Pick<AppRecord, 'parameters'>, given: Record<string, ParamValue>): Record<string, ParamValue> {
  const problems: Record<string, string> = {};
  const resolved: Record<string, ParamValue> = {};
  const known = new Set(app.parameters.map((p) => p.name));
  for (const name of Object.keys(given)) if (!known.has(name)) problems[name] = 'is not a parameter of this app';
  for (const p of app.parameters) {
    const value = given[p.name] ?? p.default;
    if (value === undefined) {
      if (p.required) problems[p.name] = 'is required';
      else resolved[p.name] = p.type === 'integer' ? (p.min ?? 0) : p.type === 'boolean' ? false : p.type === 'enum' ? p.values[0]! : '';
      continue;
    }
    const err = checkValue(p, value);
    if (err) problems[p.name] = err;
    else resolved[p.name] = value;
  }
  const names = Object.keys(problems);
  if (names.length > 0) {
    throw new DomainError('PARAMETER_INVALID', names.map((n) => `parameter ${n} ${problems[n]}`).join('; '), { parameters: problems });
  }
  return resolved;
}

export function substitute(text: string, values: Record<string, ParamValue>): string {
  return text.replace(TEMPLATE, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}

export interface RenderInput {
  project: string;
  instance: string;
  parameters: Record<string, ParamValue>;
  replicas?: number | Record<string, number> | null;
  env?: Record<string, string>;
  /** Limits for components that set none (the admin's settings); null: none. */
  defaultResources?: { cpus: number | null; memoryBytes: number | null };
}

/** The components an instance runs: parameters substituted, replica counts decided. */
export function renderComponents(app: AppRecord, input: RenderInput): { parameters: Record<string, ParamValue>; replicasOverride: Record<string, number> | null; components: RenderedComponent[] } {
  const parameters = resolveParameters(app, input.parameters);
  const replicasOverride = normaliseReplicas(app, input.replicas);
  const components = app.components.map((c): RenderedComponent => {
    const values = { ...parameters, project: input.project, instance: input.instance, component: c.name };
    const fromParam = typeof c.replicas === 'object' ? parameters[c.replicas.param] : c.replicas;
    const replicas = replicasOverride?.[c.name] ?? (typeof fromParam === 'number' ? fromParam : 1);
    const rendered: RenderedComponent = {
      name: c.name,
      image: c.image,
      env: Object.fromEntries(Object.entries({ ...(c.env ?? {}), ...(input.env ?? {}) }).map(([k, v]) => [k, substitute(v, values)])),
      ports: (c.ports ?? []).map((p) => ({ ...p, protocol: p.protocol ?? 'tcp' })),
      replicas,
      volumes: (c.volumes ?? []).flatMap((v) => ('volume' in v ? [{ volume: substitute(v.volume, values), mountPath: v.mountPath, readOnly: v.readOnly ?? false }] : [])),
    };
    // Host paths and secret references are taken literally: what the policy and the secrets guard check is what runs.
    const hostMounts = (c.volumes ?? []).flatMap((v) => ('hostPath' in v ? [{ hostPath: v.hostPath, mountPath: v.mountPath, readOnly: v.readOnly ?? false }] : []));
    if (hostMounts.length > 0) rendered.hostMounts = hostMounts;
    if (c.secrets && c.secrets.length > 0) rendered.secrets = c.secrets.map((r) => ({ secret: r.secret, ...(r.env !== undefined && { env: r.env }), ...(r.path !== undefined && { path: r.path }) }));
    if (c.security && Object.keys(c.security).length > 0) rendered.security = { ...c.security };
    if (c.command) rendered.command = c.command.map((s) => substitute(s, values));
    if (c.args) rendered.args = c.args.map((s) => substitute(s, values));
    const cpus = c.resources?.cpus ?? input.defaultResources?.cpus ?? undefined;
    const memoryBytes = c.resources?.memoryBytes ?? input.defaultResources?.memoryBytes ?? undefined;
    if (cpus !== undefined) rendered.cpus = cpus;
    if (memoryBytes !== undefined) rendered.memoryBytes = memoryBytes;
    if (c.healthCheck) rendered.healthCheck = c.healthCheck;
    return rendered;
  });
  checkRendered(components);
  return { parameters, replicasOverride, components };
}

function normaliseReplicas(app: AppRecord, replicas: RenderInput['replicas']): Record<string, number> | null {
  if (replicas === undefined || replicas === null) return null;
  if (typeof replicas === 'number') {
    if (app.components.length !== 1) {
      throw new DomainError('REPLICAS_INVALID', `app ${app.name} has ${app.components.length} components: give replicas per component, e.g. {"${app.components[0]!.name}": 2}`);
    }
    return { [app.components[0]!.name]: replicas };
  }
  const unknown = Object.keys(replicas).filter((name) => !app.components.some((c) => c.name === name));
  if (unknown.length > 0) throw new DomainError('REPLICAS_INVALID', `app ${app.name} has no component ${unknown.join(', ')}`);
  return replicas;
}

function checkRendered(components: RenderedComponent[]): void {
  for (const c of components) {
    if (c.replicas < 0 || c.replicas > 100) throw new DomainError('REPLICAS_INVALID', `component ${c.name}: replicas must be between 0 and 100`);
    const fixed = c.ports.filter((p) => p.hostPort !== undefined);
    if (fixed.length > 0 && c.replicas > 1) {
      throw new DomainError('REPLICAS_INVALID', `component ${c.name} publishes fixed host port ${fixed[0]!.hostPort} and so can run at most 1 replica`);
    }
    for (const v of c.volumes) {
      if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(v.volume)) throw new DomainError('VALIDATION_FAILED', `component ${c.name}: volume name "${v.volume}" is not a DNS label`);
    }
  }
}

/** Fixed host ports an instance claims, as "port/protocol". */
export function hostPortsOf(components: RenderedComponent[]): string[] {
  return components.flatMap((c) => (c.replicas > 0 ? c.ports.filter((p) => p.hostPort !== undefined).map((p) => `${p.hostPort}/${p.protocol}`) : []));
}

/**
 * Identifies what a replica runs: changes when anything but the replica count changes.
 * `extra`: what else a replica runs with (effective security, secret versions), so a change of it rolls the replicas too.
 */
export function specHash(component: RenderedComponent, restartNonce: number, extra?: unknown): string {
  const { replicas: _replicas, ...spec } = component;
  return createHash('sha256').update(JSON.stringify({ spec, restartNonce, ...(extra !== undefined && { extra }) })).digest('hex').slice(0, 16);
}
