import type { Volume } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, resourceGroup, withOutput, withProject } from '../command-kit.js';
import { formatAge, formatBytes, parseBytes, printItem, printList, renderFields, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

const columns: Column<Volume>[] = [
  { header: 'NAME', value: (v) => v.name },
  { header: 'SIZE', value: (v) => formatBytes(v.sizeBytes) },
  { header: 'USED BY', value: (v) => v.usedBy.join(',') || '-' },
  { header: 'AGE', value: (v) => formatAge(v.createdAt) },
];

type Opts = OutputOptions & { project?: string };

/** `gureum volumes ls|create|show|rm`. */
export function registerVolumes(program: Command, session: Session): void {
  const volumes = resourceGroup(program, 'volumes', 'volume', 'persistent volumes of a project', ['gureum volumes', 'gureum volumes create data --size 10G']);

  const ls = withProject(listCommand(volumes, 'list volumes')).action(async (opts: Opts) => {
    printList(await session.client().call('listVolumes', { params: { project: session.project(opts.project) } }), columns, opts, (v) => v.name);
  });
  examples(ls, ['gureum volumes ls -p lab']);

  const create = withOutput(withProject(volumes.command('create').summary('create a volume').argument('<name>').option('--size <size>', 'declared size, counted against the quota (e.g. 10G)'))).action(
    async (name: string, opts: Opts & { size?: string }) => {
      const volume = await session.client().call('createVolume', { params: { project: session.project(opts.project) }, body: { name, ...(opts.size !== undefined && { sizeBytes: parseBytes(opts.size) }) } });
      printItem(volume, opts, (v) => `volume ${v.name} created\n`, (v) => v.name);
    },
  );
  examples(create, ['gureum volumes create data', 'gureum volumes create scratch --size 512M -p lab']);

  const show = withOutput(withProject(volumes.command('show').summary('show a volume').argument('<name>'))).action(async (name: string, opts: Opts) => {
    const volume = await session.client().call('getVolume', { params: { project: session.project(opts.project), volume: name } });
    printItem(volume, opts, (v) => renderFields([['name', v.name], ['project', v.project], ['size', formatBytes(v.sizeBytes)], ['used by', v.usedBy.join(', ') || '-'], ['created', v.createdAt]]), (v) => v.name);
  });
  examples(show, ['gureum volumes show data']);

  const rm = withProject(volumes.command('rm').summary('delete volumes and their data (refused while mounted)').argument('<name...>')).action(async (names: string[], opts: { project?: string }) => {
    const project = session.project(opts.project);
    const client = session.client();
    await eachName(names, (volume) => client.call('deleteVolume', { params: { project, volume } }));
  });
  examples(rm, ['gureum volumes rm scratch']);
}
