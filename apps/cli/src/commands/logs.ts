import type { Command } from 'commander';
import { examples, parseCount, withProject } from '../command-kit.js';
import type { Session } from '../session.js';

interface LogsOptions {
  project?: string;
  follow?: boolean;
  tail?: string;
  component?: string;
  replica?: string;
  timestamps?: boolean;
}

/** `gureum logs INSTANCE [-f] [--tail N]`. */
export function registerLogs(program: Command, session: Session): void {
  const logs = withProject(
    program
      .command('logs')
      .summary('print (or follow) the logs of an instance’s replicas')
      .description('Print the logs of an instance, each line prefixed by its replica. With -f, keep printing new lines until Ctrl-C (exit 130).')
      .argument('<instance>')
      .option('-f, --follow', 'keep printing new lines')
      .option('-n, --tail <lines>', 'only the last lines of each replica')
      .option('-c, --component <component>', 'only this component')
      .option('--replica <index>', 'only this replica')
      .option('-t, --timestamps', 'prefix each line with its time'),
  ).action(async (instance: string, opts: LogsOptions) => {
    const signal = session.interruptSignal();
    const lines = session.client().streamLines(
      'instanceLogs',
      {
        params: { project: session.project(opts.project), instance },
        query: {
          ...(opts.follow && { follow: 'true' }),
          ...(opts.tail !== undefined && { tail: parseCount(opts.tail, '--tail') }),
          ...(opts.component !== undefined && { component: opts.component }),
          ...(opts.replica !== undefined && { replica: parseCount(opts.replica, '--replica') }),
          ...(opts.timestamps && { timestamps: 'true' }),
        },
      },
      { signal },
    );
    for await (const line of lines) process.stdout.write(line + '\n');
  });
  examples(logs, ['gureum logs hello', 'gureum logs -f --tail 20 hello', 'gureum logs hadoop -c worker --replica 2 -t']);
}
