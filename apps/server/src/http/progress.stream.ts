import type { ImageProgress } from '@gureum/contract';
import type { FastifyReply } from 'fastify';
import type { PullProgress } from '../domain/core/runtime.js';
import { toHttpError } from './errors.js';

/**
 * Answers an operation's progress as NDJSON. The status line waits for the first progress
 * report, so an operation that fails at once gets its real error status; one that fails
 * later ends the stream with an `error` line.
 */
export async function streamProgress(reply: FastifyReply, run: (onProgress: (p: PullProgress) => void) => Promise<ImageProgress>): Promise<void> {
  let started = false;
  const write = (line: ImageProgress) => {
    if (!started) {
      started = true;
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    }
    reply.raw.write(JSON.stringify(line) + '\n');
  };
  try {
    const last = await run((p) => write(p));
    write(last);
    reply.raw.end();
  } catch (err) {
    if (!started) throw err;
    const { body } = toHttpError(err);
    reply.raw.end(JSON.stringify({ status: 'error', error: { code: body.error.code, message: body.error.message } }) + '\n');
  }
}
