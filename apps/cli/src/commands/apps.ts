import { ApiError, type App, type AppCreateInput } from '@gureum/contract';
import type { Command } from 'commander';
import { APP_FILE_EXAMPLE } from '../app-file-example.js';
import { eachName, examples, listCommand, readDocument, resourceGroup, withOutput } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatAge, parseBytes, printItem, printList, renderFields, renderTable, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

const columns: Column<App>[] = [
  { header: 'NAME', value: (a) => a.name },
  { header: 'PROJECT', value: (a) => a.project ?? '(global)' },
  { header: 'VERSION', value: (a) => String(a.version) },
  { header: 'COMPONENTS', value: (a) => a.components.map((c) => c.name).join(',') },
  { header: 'AGE', value: (a) => formatAge(a.createdAt) },
  { header: 'TITLE', value: (a) => a.title },
];

interface FileOptions extends OutputOptions {
  file: string;
  project?: string;
}

/** `gureum apps ls|show|create|apply|rm`: the catalog. */
export function registerApps(program: Command, session: Session): void {
  const apps = resourceGroup(program, 'apps', 'app', 'the catalog: list, show, create, apply and delete apps', ['gureum apps', 'gureum apps apply -f hello.yaml', 'gureum apps show hello -o yaml']);

  const ls = listCommand(apps, 'list the apps you can launch').action(async (opts: OutputOptions) => {
    printList(await session.client().call('listApps', {}), columns, opts, (a) => a.name);
  });
  examples(ls, ['gureum apps ls', 'gureum apps ls -o json']);

  const show = withOutput(apps.command('show').summary('show an app: parameters and components').argument('<name>')).action(async (name: string, opts: OutputOptions) => {
    printItem(await session.client().call('getApp', { params: { app: name } }), opts, describeApp, (a) => a.name);
  });
  examples(show, ['gureum apps show hello', 'gureum apps show hello -o yaml > hello.yaml']);

  const fileOptions = (cmd: Command) =>
    withOutput(cmd.requiredOption('-f, --file <file>', 'the app definition, YAML or JSON ("-" for stdin)').option('-p, --project <project>', 'make the app private to this project (else the file’s project field; none: the global catalog)'));

  const create = fileOptions(apps.command('create').summary('register a new app from a file')).action(async (opts: FileOptions) => {
    const app = await session.client().call('createApp', { body: appFromFile(opts) });
    printItem(app, opts, (a) => `app ${a.name} created (version ${a.version})\n`, (a) => a.name);
  });
  examples(create, ['gureum apps create -f hello.yaml', 'gureum apps create -f hello.json -p lab']);

  const apply = fileOptions(apps.command('apply').summary('create an app, or replace its definition if it exists')).action(async (opts: FileOptions) => {
    const client = session.client();
    const { name, project: _project, ...definition } = appFromFile(opts);
    let app: App;
    try {
      app = await client.call('updateApp', { params: { app: name }, body: definition });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'APP_NOT_FOUND')) throw err;
      app = await client.call('createApp', { body: appFromFile(opts) });
    }
    printItem(app, opts, (a) => `app ${a.name} ${a.version === 1 ? 'created' : 'updated'} (version ${a.version})\n`, (a) => a.name);
  });
  examples(apply, ['gureum apps apply -f hello.yaml', 'cat hello.yaml | gureum apps apply -f -', 'gureum apps show hello -o yaml | gureum apps apply -f -']);
  apply.addHelpText('after', `\nA whole app file (YAML; JSON works too):\n\n${APP_FILE_EXAMPLE.replace(/^/gm, '  ')}`);

  const rm = apps
    .command('rm')
    .summary('delete apps (refused while instances use them)')
    .argument('<name...>')
    .action(async (names: string[]) => {
      const client = session.client();
      await eachName(names, (app) => client.call('deleteApp', { params: { app } }));
    });
  examples(rm, ['gureum apps rm hello']);
}

/** The app in a file, checked only as far as the CLI must: the server validates the rest. */
function appFromFile(opts: FileOptions): AppCreateInput {
  const doc = readDocument(opts.file);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${opts.file} must hold one app (an object with name and components)`);
  // What `apps show -o yaml` adds and the server keeps itself: a shown app applies as it is.
  const { version: _version, createdAt: _createdAt, updatedAt: _updatedAt, ...app } = doc as Partial<AppCreateInput> & { version?: unknown; createdAt?: unknown; updatedAt?: unknown; project?: unknown };
  if (typeof app.name !== 'string') throw new UsageError(`${opts.file} has no name`);
  if (app.project === null) delete app.project;
  if (Array.isArray(app.components)) app.components = app.components.map((c) => withQuantities(c, opts.file) as typeof c);
  return { ...(app as AppCreateInput), ...(opts.project !== undefined && { project: opts.project }) };
}

/**
 * A component's resources as people write them: `memory: 512Mi` (or `memoryBytes: 1G`) and
 * `cpus: "0.5"` or `500m`, turned into the numbers the API takes.
 */
function withQuantities(component: unknown, file: string): unknown {
  if (typeof component !== 'object' || component === null || !('resources' in component)) return component;
  const resources = component.resources;
  if (typeof resources !== 'object' || resources === null) return component;
  const { memory, ...rest } = resources as Record<string, unknown>;
  const where = `${file}: component ${String((component as { name?: unknown }).name)}`;
  const bytes = memory ?? rest.memoryBytes;
  if (memory !== undefined && rest.memoryBytes !== undefined) throw new UsageError(`${where}: give resources.memory or resources.memoryBytes, not both`);
  if (typeof bytes === 'string') rest.memoryBytes = quantity(() => parseBytes(bytes), `${where}: resources.memory ${JSON.stringify(bytes)} is not a size (e.g. 512Mi, 1G)`);
  else if (bytes !== undefined) rest.memoryBytes = bytes;
  if (typeof rest.cpus === 'string') rest.cpus = parseCpus(rest.cpus, `${where}: resources.cpus ${JSON.stringify(rest.cpus)} is not a number of cores (e.g. 0.5 or 500m)`);
  return { ...component, resources: rest };
}

function quantity(parse: () => number, message: string): number {
  try {
    return parse();
  } catch {
    throw new UsageError(message);
  }
}

/** Cores as a number (0.5) or in millicores as Kubernetes writes them (500m). */
function parseCpus(text: string, message: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text.trim());
  if (!m) throw new UsageError(message);
  return m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
}

function describeApp(app: App): string {
  const params = app.parameters.map((p) => `${p.name} (${p.type}${p.default !== undefined ? `, default ${String(p.default)}` : ''}${p.required ? ', required' : ''})`);
  const fields = renderFields([
    ['name', app.name],
    ['title', app.title || '-'],
    ['project', app.project ?? '(global catalog)'],
    ['version', String(app.version)],
    ['parameters', params.join(', ') || '-'],
    ['updated', `${app.updatedAt} (${formatAge(app.updatedAt)} ago)`],
  ]);
  const components = renderTable(
    ['COMPONENT', 'IMAGE', 'REPLICAS', 'PORTS'],
    app.components.map((c) => [
      c.name,
      c.image,
      typeof c.replicas === 'number' ? String(c.replicas) : `{{${c.replicas.param}}}`,
      (c.ports ?? []).map((p) => `${p.name}:${p.containerPort}/${p.protocol}`).join(',') || '-',
    ]),
  );
  return `${fields}\n${components}`;
}
