import { UsageError } from './errors.js';
import { readStdin } from './command-kit.js';

/** Asks for a line on the terminal, echoed (`hidden`: not echoed, for passwords). */
export function prompt(question: string, hidden = false): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new UsageError(`no terminal to ask "${question.trim()}" on: give it as an option (see --help)`);
  process.stderr.write(question);
  return new Promise((resolve) => {
    let answer = '';
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (): void => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return resolve(answer);
        }
        if (ch === '\x03') {
          finish();
          // Raw mode turns Ctrl-C into a byte: raise the signal it would have been.
          process.kill(process.pid, 'SIGINT');
          return;
        }
        if (ch === '\x7f' || ch === '\b') {
          if (answer.length > 0) {
            answer = [...answer].slice(0, -1).join('');
            if (!hidden) process.stderr.write('\b \b');
          }
          continue;
        }
        answer += ch;
        if (!hidden) process.stderr.write(ch);
      }
    };
    input.on('data', onData);
  });
}

/**
 * Passwords, one per question: asked on the terminal without echo, or read from standard input
 * one a line (`--password-stdin`). `confirmLast` asks the last one twice on a terminal (a new
 * password mistyped would lock its owner out).
 */
export async function readPasswords(fromStdin: boolean, questions: string[], confirmLast = false): Promise<string[]> {
  if (fromStdin) {
    const lines = (await readStdin()).split(/\r?\n/).slice(0, questions.length);
    if (lines.length < questions.length || lines.includes('')) {
      throw new UsageError(`standard input must hold ${questions.map((q) => q.replace(/: *$/, '').toLowerCase()).join(', then ')}, one a line`);
    }
    return lines;
  }
  const answers: string[] = [];
  for (const question of questions) answers.push(await prompt(question, true));
  if (confirmLast && (await prompt('Repeat it: ', true)) !== answers.at(-1)) throw new UsageError('the two passwords differ');
  return answers;
}
