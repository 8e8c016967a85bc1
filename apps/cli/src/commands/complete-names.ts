import type { Command } from 'commander';
import { examples } from '../command-kit.js';
import { NAME_KINDS, type NameKind } from '../completion.js';
import { stdout } from '../output.js';
import type { Session } from '../session.js';

/** Answers within this long or not at all: a shell waiting on a Tab must not hang. */
const COMPLETION_TIMEOUT_MS = 2000;

/**
 * `gureum __complete projects|apps|instances [-p PROJECT]`: the names the completion scripts
 * offer, one a line. Hidden from help; prints nothing (exit 0) when the server cannot be asked
 * (not logged in, no project, unreachable), so that Tab falls back quietly.
 */
export function registerCompleteNames(program: Command, session: Session): void {
  const complete = program
    .command('__complete', { hidden: true })
    .summary('names for the shell completion')
    .argument('<kind>', NAME_KINDS.join(', '))
    .option('-p, --project <project>', 'the project of the instances')
    .action(async (kind: string, opts: { project?: string }) => {
      if (!(NAME_KINDS as readonly string[]).includes(kind)) return;
      const asked = namesOf(session, kind as NameKind, opts.project).catch(() => []);
      const names = await Promise.race([asked, new Promise<string[]>((resolve) => setTimeout(() => resolve([]), COMPLETION_TIMEOUT_MS).unref())]);
      if (names.length > 0) stdout.write(`${names.join('\n')}\n`);
    });
  examples(complete, ['gureum __complete instances -p lab']);
}

async function namesOf(session: Session, kind: NameKind, project: string | undefined): Promise<string[]> {
  const client = session.client();
  if (kind === 'projects') return (await client.call('listProjects', {})).map((p) => p.name);
  if (kind === 'apps') return (await client.call('listApps', {})).map((a) => a.name);
  return (await client.call('listInstances', { params: { project: session.project(project) } })).map((i) => i.name);
}
