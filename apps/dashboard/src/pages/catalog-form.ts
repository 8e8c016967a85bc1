import type { App, AppCreateInput, ComponentSpec, ParameterSpec } from '@gureum/contract';

/** A port as the form edits it (text, so that half-typed values stay as typed). */
export interface PortRow {
  name: string;
  containerPort: string;
  protocol: 'tcp' | 'udp';
  publish: boolean;
  /** A fixed port of the node ("" for none). */
  hostPort: string;
}

export interface ComponentRow {
  name: string;
  image: string;
  /** One item per line. */
  command: string;
  args: string;
  /** KEY=value, one per line. */
  env: string;
  replicas: string;
  cpus: string;
  memoryMiB: string;
  ports: PortRow[];
  /** What the form does not edit (volumes, secrets, health check, security…), kept as it was. */
  rest: Partial<ComponentSpec>;
}

export interface ParamRow {
  name: string;
  type: ParameterSpec['type'];
  title: string;
  default: string;
  min: string;
  max: string;
  /** Enum values, comma-separated. */
  values: string;
  required: boolean;
}

export interface AppFormState {
  name: string;
  /** "" for the global catalog. */
  project: string;
  title: string;
  description: string;
  parameters: ParamRow[];
  components: ComponentRow[];
}

export const MIB = 1024 * 1024;

export function emptyComponent(): ComponentRow {
  return { name: 'main', image: '', command: '', args: '', env: '', replicas: '1', cpus: '', memoryMiB: '', ports: [], rest: {} };
}

export function emptyParam(): ParamRow {
  return { name: '', type: 'string', title: '', default: '', min: '', max: '', values: '', required: false };
}

export function emptyApp(project = ''): AppFormState {
  return { name: '', project, title: '', description: '', parameters: [], components: [emptyComponent()] };
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
/** A number as typed; text that is not a number is sent as is, so the API's message names it. */
const num = (text: string): number | string | undefined => (text.trim() === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text);

function envOf(text: string): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const line of lines(text)) {
    const eq = line.indexOf('=');
    env[eq < 0 ? line : line.slice(0, eq)] = eq < 0 ? '' : line.slice(eq + 1);
  }
  return Object.keys(env).length > 0 ? env : undefined;
}

function paramOf(p: ParamRow): Record<string, unknown> {
  const base = { name: p.name, type: p.type, ...(p.title && { title: p.title }), ...(p.required && { required: true }) };
  switch (p.type) {
    case 'integer':
      return { ...base, ...(p.default !== '' && { default: num(p.default) }), ...(p.min !== '' && { min: num(p.min) }), ...(p.max !== '' && { max: num(p.max) }) };
    case 'boolean':
      return { ...base, ...(p.default !== '' && { default: p.default === 'true' }) };
    case 'enum':
      return { ...base, values: p.values.split(',').map((v) => v.trim()).filter(Boolean), ...(p.default !== '' && { default: p.default }) };
    case 'string':
      return { ...base, ...(p.default !== '' && { default: p.default }) };
  }
}

function componentOf(c: ComponentRow): Record<string, unknown> {
  const memory = num(c.memoryMiB);
  const cpus = num(c.cpus);
  const resources = { ...c.rest.resources, ...(cpus !== undefined && { cpus }), ...(memory !== undefined && { memoryBytes: typeof memory === 'number' ? Math.round(memory * MIB) : memory }) };
  const env = envOf(c.env);
  return {
    ...c.rest,
    name: c.name,
    image: c.image.trim(),
    ...(lines(c.command).length > 0 && { command: lines(c.command) }),
    ...(lines(c.args).length > 0 && { args: lines(c.args) }),
    ...(env && { env }),
    ...(c.ports.length > 0 && {
      ports: c.ports.map((p) => ({ name: p.name, containerPort: num(p.containerPort), protocol: p.protocol, ...(p.hostPort.trim() !== '' && { hostPort: num(p.hostPort) }), ...(p.publish && { publish: true }) })),
    }),
    // A replica count from a parameter ({param}) is kept as it was.
    replicas: typeof c.rest.replicas === 'object' ? c.rest.replicas : (num(c.replicas) ?? 1),
    ...(Object.keys(resources).length > 0 && { resources }),
  };
}

/** The request body of the form, shaped as AppCreate (the API, and the form's own check, validate it). */
export function toBody(form: AppFormState): AppCreateInput {
  return {
    name: form.name.trim(),
    ...(form.project && { project: form.project }),
    ...(form.title && { title: form.title }),
    ...(form.description && { description: form.description }),
    parameters: form.parameters.map(paramOf),
    components: form.components.map(componentOf),
  } as AppCreateInput;
}

/** The form of an app to edit. */
export function fromApp(app: App): AppFormState {
  return {
    name: app.name,
    project: app.project ?? '',
    title: app.title,
    description: app.description,
    parameters: app.parameters.map((p) => ({
      ...emptyParam(),
      name: p.name,
      type: p.type,
      title: p.title ?? '',
      required: p.required ?? false,
      default: p.default === undefined ? '' : String(p.default),
      ...(p.type === 'integer' && { min: p.min === undefined ? '' : String(p.min), max: p.max === undefined ? '' : String(p.max) }),
      ...(p.type === 'enum' && { values: p.values.join(', ') }),
    })),
    components: app.components.map((c) => {
      const { name, image, command, args, env, replicas, resources, ports, ...rest } = c;
      const { cpus, memoryBytes, ...otherResources } = resources ?? {};
      return {
        name,
        image,
        command: (command ?? []).join('\n'),
        args: (args ?? []).join('\n'),
        env: Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'),
        replicas: typeof replicas === 'number' ? String(replicas) : '1',
        cpus: cpus === undefined ? '' : String(cpus),
        memoryMiB: memoryBytes === undefined ? '' : String(Math.round((memoryBytes / MIB) * 100) / 100),
        ports: (ports ?? []).map((p) => ({ name: p.name, containerPort: String(p.containerPort), protocol: p.protocol, publish: p.publish ?? false, hostPort: p.hostPort === undefined ? '' : String(p.hostPort) })),
        rest: { ...rest, ...(typeof replicas === 'object' && { replicas }), ...(Object.keys(otherResources).length > 0 && { resources: otherResources }) },
      };
    }),
  };
}

/** What a component keeps that the form shows but does not edit, in words (volumes, secrets, health check, security). */
export function keptFields(rest: Partial<ComponentSpec>): string[] {
  const kept: string[] = [];
  for (const v of rest.volumes ?? []) kept.push('volume' in v ? `volume ${v.volume} at ${v.mountPath}${v.readOnly ? ' (read-only)' : ''}` : `host path ${v.hostPath} at ${v.mountPath}${v.readOnly ? ' (read-only)' : ''}`);
  for (const r of rest.secrets ?? []) kept.push(`secret ${r.secret}${r.env ? ` as $${r.env}` : ''}${r.path ? ` at ${r.path}` : ''}`);
  if (rest.healthCheck) kept.push(`health check: ${rest.healthCheck.command.join(' ')}`);
  if (rest.security && Object.keys(rest.security).length > 0) kept.push(`security: ${Object.entries(rest.security).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`).join(', ')}`);
  return kept;
}

/** Matches an app by its name, title, description or images. */
export function matchesSearch(app: App, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [app.name, app.title, app.description, ...app.components.map((c) => c.image)].some((s) => s.toLowerCase().includes(needle));
}
