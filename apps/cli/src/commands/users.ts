import type { User } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, resourceGroup, withOutput } from '../command-kit.js';
import { formatAge, printItem, printList, type Column, type OutputOptions } from '../output.js';
import { readPasswords } from '../prompt.js';
import type { Session } from '../session.js';

const columns: Column<User>[] = [
  { header: 'NAME', value: (u) => u.name },
  { header: 'ADMIN', value: (u) => (u.admin ? 'yes' : 'no') },
  { header: 'STATUS', value: (u) => (u.disabled ? 'disabled' : 'active'), color: (u) => (u.disabled ? 'red' : undefined) },
  { header: 'AGE', value: (u) => formatAge(u.createdAt) },
];

const withPasswordStdin = (cmd: Command, what: string) => cmd.option('--password-stdin', `read ${what} from standard input`);

/** `gureum users ls|create|disable|enable|rm|passwd` (admin), and `gureum passwd` for your own password. */
export function registerUsers(program: Command, session: Session): void {
  const users = resourceGroup(program, 'users', 'user', 'user accounts (admin)', ['gureum users', 'gureum users create alice', 'gureum users disable alice']);

  const ls = listCommand(users, 'list users').action(async (opts: OutputOptions) => {
    printList(await session.client().call('listUsers', {}), columns, opts, (u) => u.name);
  });
  examples(ls, ['gureum users ls', 'gureum users ls -o json']);

  const create = withOutput(withPasswordStdin(users.command('create').summary('create a user (its password is asked, or read with --password-stdin)').argument('<name>').option('--admin', 'make it an administrator'), 'its password')).action(
    async (name: string, opts: OutputOptions & { admin?: boolean; passwordStdin?: boolean }) => {
      const [password] = await readPasswords(opts.passwordStdin === true, ['Password: '], true);
      const user = await session.client().call('createUser', { body: { name, password: password!, admin: opts.admin === true } });
      printItem(user, opts, (u) => `user ${u.name} created${u.admin ? ' (admin)' : ''}\n`, (u) => u.name);
    },
  );
  examples(create, ['gureum users create alice', 'echo "$PASSWORD" | gureum users create bob --admin --password-stdin']);

  const patch = (verb: string, summary: string, body: { disabled: boolean }, example: string) => {
    const cmd = users
      .command(verb)
      .summary(summary)
      .argument('<name...>')
      .action(async (names: string[]) => {
        const client = session.client();
        await eachName(names, (user) => client.call('updateUser', { params: { user }, body }));
      });
    examples(cmd, [example]);
  };
  patch('disable', 'disable users: they can no longer log in, and their sessions end', { disabled: true }, 'gureum users disable alice bob');
  patch('enable', 'enable disabled users again', { disabled: false }, 'gureum users enable alice');

  const rm = users
    .command('rm')
    .summary('delete users with their tokens, sessions and memberships')
    .argument('<name...>')
    .action(async (names: string[]) => {
      const client = session.client();
      await eachName(names, (user) => client.call('deleteUser', { params: { user } }));
    });
  examples(rm, ['gureum users rm alice']);

  const reset = withPasswordStdin(users.command('passwd').summary('reset the password of a user (its sessions end)').argument('<name>'), 'the new password').action(async (name: string, opts: { passwordStdin?: boolean }) => {
    const [password] = await readPasswords(opts.passwordStdin === true, ['New password: '], true);
    await session.client().call('updateUser', { params: { user: name }, body: { password: password! } });
    process.stdout.write(`${name}\n`);
  });
  examples(reset, ['gureum users passwd alice', 'echo "$NEW" | gureum users passwd alice --password-stdin']);

  const passwd = withPasswordStdin(program.command('passwd').summary('change your own password (your other sessions end)'), 'the current password, then the new one, one a line').action(
    async (opts: { passwordStdin?: boolean }) => {
      const [currentPassword, newPassword] = await readPasswords(opts.passwordStdin === true, ['Current password: ', 'New password: '], true);
      const user = await session.client().call('changePassword', { body: { currentPassword: currentPassword!, newPassword: newPassword! } });
      process.stderr.write(`Password of ${user.name} changed.\n`);
    },
  );
  examples(passwd, ['gureum passwd', 'printf "%s\\n%s\\n" "$OLD" "$NEW" | gureum passwd --password-stdin']);
}
