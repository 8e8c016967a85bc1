import { Duplex, PassThrough, Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import type { ExecSession } from '../../domain/core/runtime.js';

const EXEC_POLL_MS = 200;

/** Writes every chunk into `target`'s readable side, pausing `source` while the consumer is behind. */
function pushInto(target: Duplex | PassThrough, source: NodeJS.ReadableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!target.push(chunk)) source.pause();
      done();
    },
  });
}

/**
 * Log text of one container as a plain Readable: the engine's 8-byte frame headers removed
 * (containers Gureum creates have no TTY), stdout and stderr in one stream. Destroying the
 * result destroys the engine stream, so a followed log stops costing anything.
 */
export function toLogText(modem: Docker['modem'], source: NodeJS.ReadableStream | Buffer, tty: boolean): Readable {
  const engine = Buffer.isBuffer(source) ? Readable.from([source]) : (source as Readable);
  const out = new PassThrough();
  if (tty) {
    engine.on('data', (chunk: Buffer) => {
      if (!out.write(chunk)) engine.pause();
    });
  } else {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (!out.write(chunk)) engine.pause();
        done();
      },
    });
    modem.demuxStream(engine, sink, sink);
  }
  out.on('drain', () => engine.resume());
  engine.once('end', () => out.end());
  engine.on('error', (err: Error) => out.destroy(err));
  out.once('close', () => engine.destroy());
  return out;
}

/**
 * The hijacked exec connection as a Duplex: writes go to the process's stdin, reads are its
 * output (demultiplexed when there is no TTY). Destroying it closes the connection.
 */
class ExecStream extends Duplex {
  constructor(
    private readonly socket: Duplex,
    modem: Docker['modem'],
    tty: boolean,
  ) {
    super();
    if (tty) {
      socket.on('data', (chunk: Buffer) => {
        if (!this.push(chunk)) socket.pause();
      });
    } else {
      const sink = pushInto(this, socket);
      modem.demuxStream(socket, sink, sink);
    }
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.push(null);
    };
    socket.once('end', end);
    socket.once('close', end);
    socket.on('error', (err: Error) => this.destroy(err));
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.socket.write(chunk, encoding, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.socket.end();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.socket.destroy();
    done(err);
  }
}

/**
 * Starts a created exec and answers the session. `inspect` and `resize` go through the
 * driver's error mapping; `wait` polls until the engine reports the process ended, checking at
 * once when the connection closes (which is how the end is usually noticed).
 */
export async function startExecSession(
  exec: Docker.Exec,
  modem: Docker['modem'],
  tty: boolean,
  size: { cols?: number; rows?: number },
  call: <T>(what: string, fn: () => Promise<T>) => Promise<T>,
): Promise<ExecSession> {
  const socket = await call('start exec', () => exec.start({ hijack: true, stdin: true, Tty: tty }));
  const stream = new ExecStream(socket, modem, tty);
  let closed = false;
  const closedOnce = new Promise<void>((resolve) => {
    socket.once('close', () => {
      closed = true;
      resolve();
    });
  });
  const resize = async (cols: number, rows: number): Promise<void> => {
    await call('resize exec', () => exec.resize({ h: rows, w: cols }));
  };
  if (tty && size.cols && size.rows) {
    // The process may already be gone (a command that ends at once): a size it never sees is no error.
    await resize(size.cols, size.rows).catch(() => undefined);
  }
  let exitCode: Promise<number> | undefined;
  const wait = (): Promise<number> =>
    (exitCode ??= (async () => {
      // Once the stream has closed the process is usually gone: poll quickly, then back off.
      for (let polls = 0; ; polls++) {
        const info = await call('inspect exec', () => exec.inspect());
        if (!info.Running) return info.ExitCode ?? -1;
        await (closed ? sleep(Math.min(1000, 25 * 2 ** Math.min(polls, 6))) : Promise.race([sleep(EXEC_POLL_MS), closedOnce]));
      }
    })());
  return { stream, resize, wait };
}
