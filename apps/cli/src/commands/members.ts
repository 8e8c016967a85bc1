import { Role, type Member } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, resourceGroup, withOutput, withProject } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatAge, printItem, printList, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

const columns: Column<Member>[] = [
  { header: 'USER', value: (m) => m.user },
  { header: 'ROLE', value: (m) => m.role },
  { header: 'ADDED', value: (m) => formatAge(m.addedAt) },
];

type Opts = OutputOptions & { project?: string };

/** `gureum members ls|set|rm`: who may do what in a project. */
export function registerMembers(program: Command, session: Session): void {
  const members = resourceGroup(program, 'members', 'member', 'members of a project and their roles (owner, member, viewer)', ['gureum members', 'gureum members set alice member']);

  const ls = withProject(listCommand(members, 'list members')).action(async (opts: Opts) => {
    printList(await session.client().call('listMembers', { params: { project: session.project(opts.project) } }), columns, opts, (m) => m.user);
  });
  examples(ls, ['gureum members ls -p lab']);

  const set = withOutput(withProject(members.command('set').summary('add a member or change its role').argument('<user>').argument('<role>', 'owner, member or viewer'))).action(
    async (user: string, role: string, opts: Opts) => {
      const parsed = Role.safeParse(role);
      if (!parsed.success) throw new UsageError(`role must be one of ${Role.options.join(', ')}, not ${JSON.stringify(role)}`);
      const member = await session.client().call('putMember', { params: { project: session.project(opts.project), user }, body: { role: parsed.data } });
      printItem(member, opts, (m) => `${m.user} is ${m.role}\n`, (m) => m.user);
    },
  );
  examples(set, ['gureum members set alice member', 'gureum members set bob viewer -p lab']);

  const rm = withProject(members.command('rm').summary('remove members').argument('<user...>')).action(async (users: string[], opts: { project?: string }) => {
    const project = session.project(opts.project);
    const client = session.client();
    await eachName(users, (user) => client.call('deleteMember', { params: { project, user } }));
  });
  examples(rm, ['gureum members rm bob']);
}
