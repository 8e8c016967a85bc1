import type { AuditEntry } from '@gureum/contract';
import { Option, type Command } from 'commander';
import { examples, parseCount, withOutput } from '../command-kit.js';
import { printList, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';
import { parseSince } from './events.js';

const columns: Column<AuditEntry>[] = [
  { header: 'ID', value: (a) => String(a.id) },
  { header: 'TIME', value: (a) => a.time },
  { header: 'ACTOR', value: (a) => `${a.actor ?? '-'}${a.token !== null && a.token !== 'session' ? ` (${a.token})` : ''}` },
  { header: 'ACTION', value: (a) => a.action },
  { header: 'PROJECT', value: (a) => a.project ?? '-' },
  { header: 'OUTCOME', value: (a) => `${a.outcome} ${a.status}`, color: (a) => (a.outcome === 'ok' ? undefined : 'red') },
  { header: 'CODE', value: (a) => a.code ?? '-' },
  { header: 'FROM', value: (a) => a.address },
];

interface AuditOptions extends OutputOptions {
  project?: string;
  since?: string;
  before?: string;
  actor?: string;
  order: 'desc' | 'asc';
  limit: string;
}

/** `gureum audit`: who did what, the whole log (admin) or one project's (its owners). */
export function registerAudit(program: Command, session: Session): void {
  const audit = withOutput(
    program
      .command('audit')
      .summary('the audit log: every change and refusal, newest first (admin; -p: a project’s, for its owners)')
      .description('Print the audit log, newest first (--order asc: oldest first). The next page of newest first is --before <the last ID printed>; of oldest first, --since <the last ID printed>.')
      .option('-p, --project <project>', 'only this project (its owners may read it)')
      .option('--since <id|time>', 'after this entry id, ISO time, or time ago (10m, 2h, 7d)')
      .option('--before <id|time>', 'before this entry id, ISO time, or time ago (10m, 2h, 7d)')
      .option('--actor <user>', 'only what this user did')
      .addOption(new Option('--order <order>', 'desc: newest first; asc: oldest first').choices(['desc', 'asc']).default('desc'))
      .option('--limit <n>', 'at most this many entries', '200'),
  ).action(async (opts: AuditOptions) => {
    const query = {
      limit: parseCount(opts.limit, '--limit'),
      order: opts.order,
      ...(opts.since !== undefined && { since: parseSince(opts.since) }),
      ...(opts.before !== undefined && { before: parseSince(opts.before) }),
      ...(opts.actor !== undefined && { actor: opts.actor }),
    };
    const client = session.client();
    const entries = opts.project !== undefined ? await client.call('listProjectAudit', { params: { project: opts.project }, query }) : await client.call('listAudit', { query });
    printList(entries, columns, opts, (a) => String(a.id));
  });
  examples(audit, ['gureum audit', 'gureum audit --since 1h --actor alice', 'gureum audit -p lab --limit 50 --before 4711', 'gureum audit --order asc --since 7d -o json']);
}
