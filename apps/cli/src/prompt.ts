import { UsageError } from './errors.js';

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
