#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT, ExitWith, describeError, exitCodeOf } from './errors.js';
import { buildProgram } from './program.js';
import { Session } from './session.js';

async function main(argv: string[]): Promise<number> {
  const session = new Session(process.env, () => program.opts<{ context?: string }>().context);
  const program = buildProgram(session);
  process.on('SIGINT', () => {
    if (session.onInterrupt()) process.exit(EXIT.interrupted);
  });
  // `gureum logs -f | head` closes the pipe: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(session.interrupted ? EXIT.interrupted : EXIT.ok);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // Commander printed its own message (unknown option, missing argument) or the help.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (session.interrupted) return EXIT.interrupted;
    if (!(err instanceof ExitWith)) process.stderr.write(describeError(err) + '\n');
    return exitCodeOf(err);
  }
  return session.interrupted ? EXIT.interrupted : EXIT.ok;
}

// Explicit exit: an open stdin or socket must not keep a finished command alive.
main(process.argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(describeError(err) + '\n');
    process.exit(EXIT.api);
  },
);
