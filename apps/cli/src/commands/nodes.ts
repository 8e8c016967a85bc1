import type { Node } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, listCommand, resourceGroup } from '../command-kit.js';
import { formatBytes, printList, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

const columns: Column<Node>[] = [
  { header: 'NAME', value: (n) => n.name },
  { header: 'STATUS', value: (n) => n.status, color: (n) => (n.status === 'ready' ? 'green' : 'red') },
  { header: 'CPUS', value: (n) => String(n.cpus) },
  { header: 'MEMORY', value: (n) => formatBytes(n.memoryBytes) },
  { header: 'ENGINE', value: (n) => `${n.engine} ${n.engineVersion}` },
  { header: 'OS/ARCH', value: (n) => `${n.os}/${n.arch}` },
  { header: 'LABELS', value: (n) => Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(',') || '-' },
];

/** `gureum nodes`: the engine hosts. */
export function registerNodes(program: Command, session: Session): void {
  const nodes = resourceGroup(program, 'nodes', 'node', 'engine hosts with their capacity and status', ['gureum nodes', 'gureum nodes -o json']);
  const ls = listCommand(nodes, 'list nodes').action(async (opts: OutputOptions) => {
    printList(await session.client().call('listNodes', {}), columns, opts, (n) => n.name);
  });
  examples(ls, ['gureum nodes ls']);
}
