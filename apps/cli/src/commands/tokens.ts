import type { Token } from '@gureum/contract';
import type { Command } from 'commander';
import { collect, eachName, examples, listCommand, resourceGroup, withOutput } from '../command-kit.js';
import { formatAge, printItem, printList, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

const columns: Column<Token>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => t.name },
  { header: 'ACCESS', value: (t) => (t.readOnly ? 'read-only' : 'read-write') },
  { header: 'PROJECTS', value: (t) => t.projects?.join(',') ?? 'all' },
  { header: 'EXPIRES', value: (t) => t.expiresAt ?? 'never' },
  { header: 'LAST USED', value: (t) => (t.lastUsedAt ? `${formatAge(t.lastUsedAt)} ago` : 'never') },
];

/** `gureum tokens ls|create|rm`: your API tokens. */
export function registerTokens(program: Command, session: Session): void {
  const tokens = resourceGroup(program, 'tokens', 'token', 'your API tokens, for scripts and CI', ['gureum tokens', 'gureum tokens create ci --read-only -q']);

  const ls = listCommand(tokens, 'list your tokens (never their secrets)').action(async (opts: OutputOptions) => {
    printList(await session.client().call('listTokens', {}), columns, opts, (t) => t.id);
  });
  examples(ls, ['gureum tokens ls']);

  const create = withOutput(
    tokens
      .command('create')
      .summary('create a token; its secret is shown once')
      .argument('<name>')
      .option('--read-only', 'refused every change')
      .option('--project <project>', 'limit it to this project (repeatable)', collect)
      .option('--expires <time>', 'ISO time it stops working'),
  ).action(async (name: string, opts: OutputOptions & { readOnly?: boolean; project?: string[]; expires?: string }) => {
    const token = await session.client().call('createToken', {
      body: { name, readOnly: opts.readOnly === true, ...(opts.project && { projects: opts.project }), ...(opts.expires !== undefined && { expiresAt: opts.expires }) },
    });
    // -q prints the secret itself, for `TOKEN=$(gureum tokens create ci -q)`.
    printItem(token, opts, (t) => `token ${t.name} (${t.id}) created; it is shown only now:\n${t.token}\n`, (t) => t.token);
  });
  examples(create, ['gureum tokens create laptop', 'TOKEN=$(gureum tokens create ci --read-only --project lab -q)']);

  const rm = tokens
    .command('rm')
    .summary('revoke tokens')
    .argument('<id...>')
    .action(async (ids: string[]) => {
      const client = session.client();
      await eachName(ids, (id) => client.call('deleteToken', { params: { id } }));
    });
  examples(rm, ['gureum tokens rm 01J9Z...']);
}
