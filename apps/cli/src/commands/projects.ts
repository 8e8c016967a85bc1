import type { Project } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, resourceGroup, withOutput } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatAge, printItem, printList, renderFields, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';
import { usageFields } from './quota.js';

const columns: Column<Project>[] = [
  { header: 'NAME', value: (p) => p.name },
  { header: 'INSTANCES', value: (p) => String(p.instanceCount) },
  { header: 'VOLUMES', value: (p) => String(p.volumeCount) },
  { header: 'AGE', value: (p) => formatAge(p.createdAt) },
  { header: 'DESCRIPTION', value: (p) => p.description },
];

/** `gureum projects ls|create|show|rm|use`. */
export function registerProjects(program: Command, session: Session): void {
  const projects = resourceGroup(program, 'projects', 'project', 'list, create, show and delete projects', ['gureum projects', 'gureum projects create lab', 'gureum projects use lab']);

  const ls = listCommand(projects, 'list the projects you can see').action(async (opts: OutputOptions) => {
    printList(await session.client().call('listProjects', {}), columns, opts, (p) => p.name);
  });
  examples(ls, ['gureum projects ls', 'gureum projects ls -q']);

  const create = withOutput(projects.command('create').summary('create a project (you become its owner)').argument('<name>').option('-d, --description <text>', 'what it is for')).action(
    async (name: string, opts: OutputOptions & { description?: string }) => {
      const project = await session.client().call('createProject', { body: { name, ...(opts.description !== undefined && { description: opts.description }) } });
      printItem(project, opts, (p) => `project ${p.name} created\n`, (p) => p.name);
    },
  );
  examples(create, ['gureum projects create lab -d "the lab\'s experiments"']);

  const show = withOutput(projects.command('show').summary('show a project and its use against its quota').argument('<name>')).action(async (name: string, opts: OutputOptions) => {
    const client = session.client();
    const [project, usage] = await Promise.all([client.call('getProject', { params: { project: name } }), client.call('getUsage', { params: { project: name } })]);
    printItem(
      { ...project, usage },
      opts,
      (p) =>
        renderFields([
          ['name', p.name],
          ['description', p.description || '-'],
          ['created', `${p.createdAt} (${formatAge(p.createdAt)} ago)`],
          ...usageFields(usage),
        ]),
      (p) => p.name,
    );
  });
  examples(show, ['gureum projects show lab', 'gureum projects show lab -o yaml']);

  const rm = projects
    .command('rm')
    .summary('delete a project (refused while it has instances or volumes, unless --force)')
    .argument('<name...>')
    .option('--force', 'also delete its instances and volumes')
    .action(async (names: string[], opts: { force?: boolean }) => {
      const client = session.client();
      await eachName(names, (project) => client.call('deleteProject', { params: { project }, query: opts.force ? { force: 'true' } : {} }));
    });
  examples(rm, ['gureum projects rm scratch', 'gureum projects rm scratch --force']);

  const use = projects
    .command('use')
    .summary('make a project the default of the current context')
    .argument('<name>')
    .action(async (name: string) => {
      const config = session.loadConfig();
      const current = session.currentContext(config);
      if (!current) throw new UsageError('not logged in: run gureum login URL first');
      await session.client().call('getProject', { params: { project: name } });
      current.context.project = name;
      session.saveConfig(config);
      process.stderr.write(`Context ${current.name} now uses project ${name}.\n`);
    });
  examples(use, ['gureum projects use lab']);
}
