import { ApiError, type App, type AppCreateInput } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, readDocument, resourceGroup, withOutput } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatAge, printItem, printList, renderFields, renderTable, type Column, type OutputOptions } from '../output.js';
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
  examples(apply, ['gureum apps apply -f hello.yaml', 'cat hello.yaml | gureum apps apply -f -']);

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
  const app = doc as Partial<AppCreateInput>;
  if (typeof app.name !== 'string') throw new UsageError(`${opts.file} has no name`);
  return { ...(app as AppCreateInput), ...(opts.project !== undefined && { project: opts.project }) };
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
