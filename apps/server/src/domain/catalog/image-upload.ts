import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../core/errors.js';
import type { TarballLimits } from './image-tarball.js';

/** Where uploads wait while they are checked, and what they and all images together may take. */
export interface ImageUploadLimits extends TarballLimits {
  /** Bytes the engine's images may take together (shared layers once); undefined: the disk's. */
  storageBytes: number | undefined;
}

export interface Spooled {
  file: string;
  bytes: number;
  /** Removes the file; safe to call twice. */
  discard(): Promise<void>;
}

/**
 * Writes an upload to a file of its own under `dir`, refusing it past `maxBytes` (the request
 * then ends there), through `check` when given (which may refuse it as the bytes pass). The engine gets the file only after it has been checked, so an upload
 * that is refused, cut short or abandoned never reaches it.
 */
export async function spoolUpload(body: Readable, dir: string, maxBytes: number, check?: Transform): Promise<Spooled> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `upload-${randomUUID()}.tar`);
  const discard = () => fs.rm(file, { force: true });
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(new DomainError('IMAGE_TOO_LARGE', `the image upload is refused: it is larger than ${maxBytes} bytes; an administrator can raise GUREUM_IMAGE_MAX_BYTES`, { limitBytes: maxBytes }));
      else done(null, chunk);
    },
  });
  // The body is piped, not part of the pipeline: a refusal must leave the request (and so the
  // connection the answer goes back on) alone; the rest of the body is read and dropped.
  const written = check ? pipeline(count, check, createWriteStream(file, { mode: 0o600 })) : pipeline(count, createWriteStream(file, { mode: 0o600 }));
  let ended = false;
  body.once('end', () => (ended = true));
  body.once('error', (err) => count.destroy(err));
  body.once('close', () => {
    if (!ended) count.destroy(new Error('the client went away before the upload ended'));
  });
  body.pipe(count);
  try {
    await written;
  } catch (err) {
    body.unpipe(count);
    body.resume();
    await discard();
    if (err instanceof DomainError) throw err;
    throw new DomainError('IMAGE_LOAD_FAILED', `the image upload did not arrive whole: ${(err as Error).message}`);
  }
  return { file, bytes, discard };
}

/** Removes what an earlier run left (a crash mid-upload): nothing in `dir` is anyone's any more. */
export async function clearUploads(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}
