import { Transform } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { DomainError } from '../core/errors.js';

/** What an upload may expand to, checked before the engine sees a byte of it. */
export interface TarballLimits {
  /** The tar archive's size once decompressed. */
  maxExpandedBytes: number;
  /** Decompressed / compressed: a gzip of zeros reaches about 1000, a real image 2 to 10. */
  maxExpansionRatio: number;
  /** Layers of any one image in the archive (overlay2 stacks at most 128). */
  maxLayers: number;
}

export interface TarballFacts {
  compressed: boolean;
  expandedBytes: number;
  /** The most layers any image of the archive has. */
  layers: number;
}

const BLOCK = 512;
/** manifest.json of a `docker save` lists a few entries per image: a bigger one is not one. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Compressions the engine would take but Gureum cannot look inside while streaming. */
const OTHER_COMPRESSIONS: [string, Buffer][] = [
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['bzip2', Buffer.from('BZh')],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
];

function refused(message: string): DomainError {
  return new DomainError('IMAGE_LOAD_FAILED', message);
}

function octal(header: Buffer, offset: number, length: number): number {
  const field = header.subarray(offset, offset + length);
  // GNU base-256: the high bit of the first byte set, the rest a big-endian number.
  if ((field[0]! & 0x80) !== 0) return field.subarray(1).reduce((n, b) => n * 256 + b, field[0]! & 0x7f);
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === octal(header, 148, 8);
}

function cString(b: Buffer): string {
  return b.toString('utf8').replace(/\0.*$/s, '');
}

/** A pax extended header's `path=` record, if it has one. */
function paxPath(data: Buffer): string | undefined {
  return /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
}

/** Reads tar headers as the bytes pass, keeping only the data of entries it needs (names, manifest.json). */
class TarScanner {
  private pending = Buffer.alloc(0);
  private remaining = 0; // data bytes (with padding) of the current entry still to come
  private keep: { kind: 'manifest' | 'longname' | 'pax'; size: number; chunks: Buffer[] } | undefined;
  private nextName: string | undefined;
  private ended = false;
  manifest: Buffer | undefined;
  layerFiles = 0;

  push(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0 && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        if (this.keep) this.keep.chunks.push(data.subarray(0, take));
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.finishEntry();
        continue;
      }
      if (data.length < BLOCK) {
        this.pending = Buffer.from(data);
        return;
      }
      this.header(data.subarray(0, BLOCK));
      data = data.subarray(BLOCK);
    }
  }

  /** True once the archive ended properly (its zero block came). */
  get complete(): boolean {
    return this.ended;
  }

  /** True between entries: the archive may end here (some writers leave out the zero blocks). */
  get atBoundary(): boolean {
    return this.ended || (this.remaining === 0 && this.pending.length === 0);
  }

  private header(h: Buffer): void {
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    if (!checksumMatches(h)) throw refused('the upload is not a tar archive (a header checksum does not match): send what `docker save` writes, plain or gzip-compressed');
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const prefix = h.subarray(257, 263).toString('latin1').startsWith('ustar') ? cString(h.subarray(345, 500)) : '';
    const name = this.nextName ?? (prefix ? `${prefix}/${cString(h.subarray(0, 100))}` : cString(h.subarray(0, 100)));
    this.nextName = undefined;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    this.keep = undefined;
    if (type === 'L') this.keep = { kind: 'longname', size, chunks: [] };
    else if (type === 'x') this.keep = { kind: 'pax', size, chunks: [] };
    else if (type === '0' || type === '\0') {
      const path = name.replace(/^\.\//, '');
      if (path === 'manifest.json') {
        if (size > MAX_MANIFEST_BYTES) throw refused(`the tarball's manifest.json is ${size} bytes: not one that docker save writes`);
        this.keep = { kind: 'manifest', size, chunks: [] };
      } else if (path.endsWith('/layer.tar')) this.layerFiles++;
    }
    this.remaining = padded;
    if (padded === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const kept = this.keep;
    this.keep = undefined;
    if (!kept) return;
    const data = Buffer.concat(kept.chunks).subarray(0, kept.size);
    if (kept.kind === 'manifest') this.manifest = data;
    else if (kept.kind === 'longname') this.nextName = cString(data);
    else this.nextName = paxPath(data);
  }
}

/** The most layers any image of a `docker save` manifest has. */
function layersOf(manifest: Buffer): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest.toString('utf8'));
  } catch {
    throw refused('the tarball\'s manifest.json is not JSON: send what `docker save` writes');
  }
  if (!Array.isArray(parsed)) throw refused('the tarball\'s manifest.json is not a list of images: send what `docker save` writes');
  return parsed.reduce((most: number, image: unknown) => {
    const layers = (image as { Layers?: unknown } | null)?.Layers;
    return Math.max(most, Array.isArray(layers) ? layers.length : 0);
  }, 0);
}

const SMALLEST_BOUND = 64 * 1024 * 1024;

/**
 * Checks an image tarball (plain or gzip) as its bytes pass on their way to a file, in the one
 * pass that receives it: refuses it as soon as it expands past a limit (a decompression bomb
 * stops after a few megabytes), when it is not a tar archive, or (at its end) when it is not an
 * image or an image in it has too many layers. `transform` passes every byte through unchanged;
 * `facts` holds the findings once it has flushed.
 */
export class TarballCheck {
  private readonly scanner = new TarScanner();
  private head = Buffer.alloc(0);
  private gunzip: Gunzip | undefined;
  private decided = false;
  private compressed = false;
  private received = 0;
  private expanded = 0;
  /** The first refusal, kept when it comes from the gunzip's output rather than a write. */
  private failure: DomainError | undefined;
  facts: TarballFacts | undefined;

  constructor(private readonly limits: TarballLimits) {}

  readonly transform = new Transform({
    transform: (chunk: Buffer, _encoding, done) => {
      this.received += chunk.length;
      this.take(chunk).then(
        () => done(null, chunk),
        (err: unknown) => done(err as Error),
      );
    },
    flush: (done) => {
      this.finish().then(
        () => done(),
        (err: unknown) => done(err as Error),
      );
    },
  });

  private async take(chunk: Buffer): Promise<void> {
    if (!this.decided) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 6) return;
      this.decide();
      chunk = this.head;
    }
    await this.feed(chunk);
  }

  private decide(): void {
    this.decided = true;
    const other = OTHER_COMPRESSIONS.find(([, magic]) => this.head.subarray(0, magic.length).equals(magic));
    if (other) throw refused(`the upload is ${other[0]}-compressed, which Gureum cannot check before loading: send a plain tar or a gzip (docker save IMAGE | gzip)`);
    this.compressed = this.head[0] === 0x1f && this.head[1] === 0x8b;
    if (this.compressed) {
      this.gunzip = createGunzip();
      this.gunzip.on('data', (data: Buffer) => this.expand(data));
      // Errors are also caught where bytes are written in; this one keeps a late one from going uncaught.
      this.gunzip.on('error', (err) => (this.failure ??= err instanceof DomainError ? err : refused(`the upload could not be read as a gzip: ${err.message}`)));
    }
  }

  private async feed(chunk: Buffer): Promise<void> {
    if (!this.gunzip) return this.expand(chunk);
    const gunzip = this.gunzip;
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      gunzip.once('error', failed);
      gunzip.write(chunk, () => {
        gunzip.off('error', failed);
        resolve();
      });
    }).catch((err: unknown) => {
      throw err instanceof DomainError ? err : refused(`the upload could not be read as a gzip: ${(err as Error).message}`);
    });
    if (this.failure) throw this.failure;
  }


  /** Counts and scans what the archive expands to; a limit passed stops everything. */
  private expand(data: Buffer): void {
    if (this.failure) return;
    this.expanded += data.length;
    const limits = this.limits;
    const bound = this.compressed ? Math.min(limits.maxExpandedBytes, Math.max(SMALLEST_BOUND, this.received * limits.maxExpansionRatio)) : limits.maxExpandedBytes;
    try {
      if (this.expanded > bound) {
        const why = bound < limits.maxExpandedBytes ? `it expands more than ${limits.maxExpansionRatio} times its ${this.received} bytes (a decompression bomb?)` : `it expands past ${limits.maxExpandedBytes} bytes`;
        throw new DomainError('IMAGE_TOO_LARGE', `the image upload is refused: ${why}; an administrator can raise GUREUM_IMAGE_MAX_BYTES or GUREUM_IMAGE_MAX_EXPANSION`, { limitBytes: bound });
      }
      // Past the archive's end the bytes are only counted: the engine would read them too.
      if (!this.scanner.complete) this.scanner.push(data);
    } catch (err) {
      this.failure = err instanceof DomainError ? err : refused(`the upload could not be read as a tar archive: ${(err as Error).message}`);
      if (!this.gunzip) throw this.failure;
      this.gunzip.destroy(this.failure);
    }
  }

  private async finish(): Promise<void> {
    if (!this.decided) {
      if (this.head.length === 0) throw refused('the upload is empty: send the image tarball (docker save) as the request body');
      this.decide();
      await this.feed(this.head);
    }
    if (this.gunzip) {
      const gunzip = this.gunzip;
      await new Promise<void>((resolve, reject) => {
        gunzip.once('end', resolve);
        gunzip.once('error', (err) => reject(refused(`the upload could not be read as a gzip: ${err.message}`)));
        gunzip.end();
        gunzip.resume();
      });
    }
    if (this.failure) throw this.failure;
    const scanner = this.scanner;
    if (this.expanded === 0) throw refused('the upload is empty: send the image tarball (docker save) as the request body');
    if (!scanner.atBoundary) throw refused('the upload ends in the middle of the tar archive: was it cut short?');
    if (!scanner.manifest && scanner.layerFiles === 0) throw refused('the upload is a tar archive but not an image: it has no manifest.json (send what `docker save` writes)');
    const layers = scanner.manifest ? layersOf(scanner.manifest) : scanner.layerFiles;
    if (layers > this.limits.maxLayers) {
      throw new DomainError('IMAGE_TOO_MANY_LAYERS', `the image upload is refused: an image in it has ${layers} layers, more than the ${this.limits.maxLayers} allowed (GUREUM_IMAGE_MAX_LAYERS)`, { layers, limit: this.limits.maxLayers });
    }
    this.facts = { compressed: this.compressed, expandedBytes: this.expanded, layers };
  }
}
