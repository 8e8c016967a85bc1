import type { Command } from 'commander';
import { examples, listCommand } from '../command-kit.js';
import { UsageError } from '../errors.js';
import { printList, type OutputOptions } from '../output.js';
import type { Config, Context } from '../config.js';
import type { Session } from '../session.js';

/** `gureum context ls|use|rm`: the servers this CLI knows. */
export function registerContext(program: Command, session: Session): void {
  const context = program.command('context').alias('contexts').summary('list and switch between the servers you logged in to');
  examples(context, ['gureum context ls', 'gureum context use lab', 'gureum --context lab ps']);

  const ls = listCommand(context, 'list contexts (* marks the current one)').action((opts: OutputOptions) => {
    const config = session.loadConfig();
    const current = session.currentContext(config)?.name;
    // Tokens never leave the config file through output.
    const rows = Object.entries(config.contexts).map(([name, c]) => ({ name, current: name === current, url: c.url, user: c.user ?? null, project: c.project ?? null }));
    printList(
      rows,
      [
        { header: 'CURRENT', value: (r) => (r.current ? '*' : '') },
        { header: 'NAME', value: (r) => r.name, color: (r) => (r.current ? 'green' : undefined) },
        { header: 'SERVER', value: (r) => r.url },
        { header: 'USER', value: (r) => r.user ?? '-' },
        { header: 'PROJECT', value: (r) => r.project ?? '-' },
      ],
      opts,
      (r) => r.name,
    );
  });
  examples(ls, ['gureum context ls', 'gureum context ls -o json']);

  const use = context
    .command('use')
    .summary('make a context the current one')
    .argument('<name>', 'context name')
    .action((name: string) => {
      const config = session.loadConfig();
      const context = requireContext(config, name);
      config.current = name;
      session.saveConfig(config);
      process.stderr.write(`Now using context ${name} (${context.url}).\n`);
    });
  examples(use, ['gureum context use lab']);

  const rm = context
    .command('rm')
    .summary('forget a context without revoking its token (see gureum logout)')
    .argument('<name>', 'context name')
    .action((name: string) => {
      const config = session.loadConfig();
      requireContext(config, name);
      delete config.contexts[name];
      if (config.current === name) delete config.current;
      session.saveConfig(config);
    });
  examples(rm, ['gureum context rm old-lab']);
}

function requireContext(config: Config, name: string): Context {
  const context = config.contexts[name];
  if (!context) throw new UsageError(`no context named ${name} (see gureum context ls)`);
  return context;
}
