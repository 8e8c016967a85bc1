import fs from 'node:fs';
import type { Secret } from '@gureum/contract';
import type { Command } from 'commander';
import { eachName, examples, listCommand, readStdin, resourceGroup, withOutput, withProject } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { formatAge, printItem, printList, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

const columns: Column<Secret>[] = [
  { header: 'NAME', value: (s) => s.name },
  { header: 'VERSION', value: (s) => String(s.version) },
  { header: 'UPDATED', value: (s) => formatAge(s.updatedAt) },
  { header: 'AGE', value: (s) => formatAge(s.createdAt) },
];

type Opts = OutputOptions & { project?: string };

/** `gureum secrets ls|set|rm`: values go in, never come out. */
export function registerSecrets(program: Command, session: Session): void {
  const secrets = resourceGroup(program, 'secrets', 'secret', 'project secrets (write-only: values are never shown)', ['gureum secrets', 'printf %s "$DB_PASSWORD" | gureum secrets set db-password']);

  const ls = withProject(listCommand(secrets, 'list secret names and versions')).action(async (opts: Opts) => {
    printList(await session.client().call('listSecrets', { params: { project: session.project(opts.project) } }), columns, opts, (s) => s.name);
  });
  examples(ls, ['gureum secrets ls -p lab']);

  const set = withOutput(
    withProject(
      secrets
        .command('set')
        .summary('create or replace a secret (replicas using it are rolled)')
        .argument('<name>')
        .option('--value <value>', 'the value (visible in your shell history: prefer stdin or --from-file)')
        .option('--from-file <file>', 'read the value from a file'),
    ),
  ).action(async (name: string, opts: Opts & { value?: string; fromFile?: string }) => {
    let value: string;
    if (opts.value !== undefined) value = opts.value;
    else if (opts.fromFile !== undefined) value = fs.readFileSync(opts.fromFile, 'utf8');
    else if (!process.stdin.isTTY) value = await readStdin();
    else throw new UsageError('give the value with --value, --from-file or on standard input');
    const secret = await session.client().call('putSecret', { params: { project: session.project(opts.project), secret: name }, body: { value } });
    printItem(secret, opts, (s) => `secret ${s.name} set (version ${s.version})\n`, (s) => s.name);
  });
  examples(set, ['printf %s "$TOKEN" | gureum secrets set api-token', 'gureum secrets set tls-key --from-file key.pem -p lab']);

  const rm = withProject(secrets.command('rm').summary('delete secrets (refused while used)').argument('<name...>')).action(async (names: string[], opts: { project?: string }) => {
    const project = session.project(opts.project);
    const client = session.client();
    await eachName(names, (secret) => client.call('deleteSecret', { params: { project, secret } }));
  });
  examples(rm, ['gureum secrets rm api-token']);
}
