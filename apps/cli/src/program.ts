import fs from 'node:fs';
import { Command } from 'commander';
import { examples } from './command-kit.js';
import { registerCompleteNames } from './commands/complete-names.js';
import { bashCompletion, zshCompletion } from './completion.js';
import { UsageError } from './errors.js';
import type { Session } from './session.js';
import { registerAlerts } from './commands/alerts.js';
import { registerNodeAlerts } from './commands/node-alerts.js';
import { registerApps } from './commands/apps.js';
import { registerAudit } from './commands/audit.js';
import { registerAutoscale } from './commands/autoscale.js';
import { registerContext } from './commands/context.js';
import { registerEvents } from './commands/events.js';
import { registerExec } from './commands/exec.js';
import { registerImages } from './commands/images.js';
import { registerInstances } from './commands/instances.js';
import { registerLogin } from './commands/login.js';
import { registerLogs } from './commands/logs.js';
import { registerMembers } from './commands/members.js';
import { registerMetrics } from './commands/metrics.js';
import { registerNodes } from './commands/nodes.js';
import { registerPolicy } from './commands/policy.js';
import { registerProjects } from './commands/projects.js';
import { registerQuota } from './commands/quota.js';
import { registerSettings } from './commands/settings.js';
import { registerRun } from './commands/run.js';
import { registerSecrets } from './commands/secrets.js';
import { registerTokens } from './commands/tokens.js';
import { registerTop } from './commands/top.js';
import { registerUsers } from './commands/users.js';
import { registerVolumes } from './commands/volumes.js';

const version = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const FOOTER = `
Environment:
  GUREUM_URL, GUREUM_TOKEN   server and token (win over the context; no config file needed)
  GUREUM_CONTEXT             the context to use (like --context)
  GUREUM_PROJECT             the project of commands without -p
  GUREUM_CONFIG              config directory (default $XDG_CONFIG_HOME/gureum or ~/.config/gureum)
  NO_COLOR                   no colours (there are none when output is not a terminal anyway)

Exit codes:
  0 success, 1 API error (its message and code on stderr), 2 usage error, 130 interrupted;
  exec exits with the code of the remote command.`;

/** The whole command tree. Commander settings come first: subcommands inherit them when made. */
export function buildProgram(session: Session): Command {
  const program = new Command('gureum')
    .description('The command line of Gureum (구름), a self-hosted container cloud.')
    .version(version, '-v, --version')
    .option('--context <name>', 'use this context instead of the current one')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .helpCommand(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });

  registerLogin(program, session);
  registerContext(program, session);
  registerProjects(program, session);
  registerApps(program, session);
  registerImages(program, session);
  registerRun(program, session);
  registerInstances(program, session);
  registerLogs(program, session);
  registerExec(program, session);
  registerTop(program, session);
  registerMetrics(program, session);
  registerAutoscale(program, session);
  registerAlerts(program, session);
  registerNodeAlerts(program, session);
  registerEvents(program, session);
  registerVolumes(program, session);
  registerSecrets(program, session);
  registerMembers(program, session);
  registerQuota(program, session);
  registerPolicy(program, session);
  registerTokens(program, session);
  registerNodes(program, session);
  registerUsers(program, session);
  registerAudit(program, session);
  registerSettings(program, session);
  registerCompleteNames(program, session);

  const completion = program
    .command('completion')
    .summary('print a shell completion script (bash or zsh)')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) => {
      if (shell === 'bash') return void process.stdout.write(bashCompletion(program));
      if (shell === 'zsh') return void process.stdout.write(zshCompletion(program));
      throw new UsageError(`no completion for ${shell}: bash or zsh`);
    });
  examples(completion, ['source <(gureum completion bash)      # in ~/.bashrc', 'source <(gureum completion zsh)       # in ~/.zshrc', 'gureum completion bash > /etc/bash_completion.d/gureum']);

  examples(program, ['gureum login http://gureum.lab:7070', 'gureum projects use lab', 'gureum apps apply -f hello.yaml', 'gureum run hello --param greeting=안녕 --replicas 2 --wait', 'gureum ps', 'gureum logs -f hello', 'gureum exec -it hello -- sh', 'gureum top']);
  program.addHelpText('after', FOOTER);
  return program;
}
