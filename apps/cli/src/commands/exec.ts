import { ApiError, errorCatalog, isErrorCode } from '@gureum/contract';
import type { Command } from 'commander';
import { WebSocket, type RawData } from 'ws';
import { examples, parseCount, withProject } from '../command-kit.js';
import { ExitWith, Failure } from '../errors.js';
import type { Session } from '../session.js';

interface ExecOptions {
  project?: string;
  interactive?: boolean;
  tty?: boolean;
  component?: string;
  replica?: string;
}

/** What the server's text frames say. */
type ServerMessage = { type: 'exit'; code: number } | { type: 'error'; code: string; message: string; details?: unknown };

/** `gureum exec -it INSTANCE [-- CMD...]`: a terminal in a replica over the exec WebSocket. */
export function registerExec(program: Command, session: Session): void {
  const exec = withProject(
    program
      .command('exec')
      .summary('run a command (default: a shell) in a replica, with a terminal')
      .description(
        'Run a command in a running replica over the exec WebSocket. The remote side always has a terminal; with -t on ' +
          'a terminal, yours is put in raw mode (Ctrl-C and Ctrl-D go to the remote process) and its size follows yours. ' +
          'gureum exits with the exit code of the remote command.',
      )
      .argument('<instance>')
      .argument('[command...]', 'the command and its arguments, after --')
      .option('-i, --interactive', 'send standard input to the command (without it, the command gets no input: use -it for a shell)')
      .option('-t, --tty', 'use this terminal raw (keys go to the remote terminal unchanged)')
      .option('-c, --component <component>', 'a replica of this component')
      .option('--replica <index>', 'this replica index'),
  ).action(async (instance: string, command: string[], opts: ExecOptions) => {
    const client = session.client();
    const stdout = process.stdout;
    const url = new URL(
      client.url('instanceExec', {
        params: { project: session.project(opts.project), instance },
        query: {
          ...(command.length > 0 && { command: JSON.stringify(command) }),
          ...(opts.component !== undefined && { component: opts.component }),
          ...(opts.replica !== undefined && { replica: parseCount(opts.replica, '--replica') }),
          ...(stdout.isTTY && stdout.columns > 0 && stdout.rows > 0 && { cols: stdout.columns, rows: stdout.rows }),
        },
      }),
    );
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    // The token goes in a header: a URL ends up in logs.
    const code = await runTerminal(new WebSocket(url, { headers: client.headers() }), opts);
    if (code !== 0) throw new ExitWith(code);
  });
  examples(exec, ['gureum exec -it hello', 'gureum exec -it hello -- python3', 'gureum exec hello -- cat /etc/hostname', 'gureum exec -it hadoop -c worker --replica 2 -- bash']);
}

/** Bridges this terminal and the socket; answers the remote exit code. */
function runTerminal(ws: WebSocket, opts: ExecOptions): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const raw = opts.tty === true && stdin.isTTY;
  let exitCode: number | undefined;
  let failure: Error | undefined;

  const onInput = (chunk: Buffer) => ws.send(chunk, { binary: true });
  // The remote side is a terminal: end of piped input is the terminal's end-of-file key.
  const onEnd = () => ws.readyState === ws.OPEN && ws.send(Buffer.from('\x04'), { binary: true });
  const onResize = () => ws.readyState === ws.OPEN && stdout.columns > 0 && stdout.rows > 0 && ws.send(JSON.stringify({ type: 'resize', cols: stdout.columns, rows: stdout.rows }));
  const restore = () => {
    if (raw) stdin.setRawMode(false);
  };

  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (d: string) => (body += d));
      response.on('end', () => {
        request.destroy();
        reject(toApiError(response.statusCode ?? 0, body));
      });
    });
    ws.once('open', () => {
      if (opts.interactive) {
        if (raw) stdin.setRawMode(true);
        process.once('exit', restore);
        stdin.on('data', onInput);
        stdin.once('end', onEnd);
        stdin.resume();
      }
      if (stdout.isTTY) stdout.on('resize', onResize);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (isBinary) return void stdout.write(bytes);
      const msg = JSON.parse(bytes.toString('utf8')) as ServerMessage;
      if (msg.type === 'exit') exitCode = msg.code;
      else failure = new ApiError(isErrorCode(msg.code) ? errorCatalog[msg.code] : 500, msg.code, msg.message, msg.details);
    });
    ws.once('error', (err) => {
      failure ??= new ApiError(0, 'NETWORK', `exec connection failed: ${err.message}`);
    });
    ws.once('close', () => {
      restore();
      stdin.off('data', onInput);
      stdin.off('end', onEnd);
      stdin.pause();
      stdout.off('resize', onResize);
      if (exitCode !== undefined) resolve(exitCode);
      else reject(failure ?? new Failure('EXEC_FAILED', 'the exec connection closed before the command ended'));
    });
  });
}

function toApiError(status: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { error?: { code: string; message: string; details?: unknown } };
    if (parsed.error) return new ApiError(status, parsed.error.code, parsed.error.message, parsed.error.details);
  } catch {
    // not JSON
  }
  return new ApiError(status, `HTTP_${status}`, body.slice(0, 500) || 'the exec upgrade was refused');
}
