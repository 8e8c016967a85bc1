/**
 * The little of the tar format the driver needs: one ustar archive of regular files built in
 * memory (for the engine's "put archive", which writes secret files into a container before
 * it starts, never through a host path), and reading one file back out of "get archive".
 */

const BLOCK = 512;

export interface TarFile {
  /** Absolute path inside the container. */
  path: string;
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`);
  bytes.copy(header, offset);
}

/** A numeric field: zero-padded octal, NUL-terminated. */
function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  writeString(header, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

/** ustar keeps names of up to 100 bytes, or 255 when split at a "/" into prefix (155) + name (100). */
function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest };
  }
  throw new Error(`tar: path ${name} is too long`);
}

function header(file: TarFile): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { prefix, name } = splitName(file.path.replace(/^\/+/, ''));
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, file.mode & 0o7777);
  writeOctal(h, 108, 8, file.uid);
  writeOctal(h, 116, 8, file.gid);
  writeOctal(h, 124, 12, file.content.length);
  writeOctal(h, 136, 12, Math.floor(Date.now() / 1000));
  h.fill(' ', 148, 156); // the checksum counts its own field as spaces
  writeString(h, 156, 1, '0'); // regular file
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** A ustar archive of the files (parent directories are made by the engine as it extracts). */
export function buildTar(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(header(file), file.content);
    const pad = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // end of archive
  return Buffer.concat(parts);
}

/** The content of the first regular file in a tar archive, or null. */
export function firstFileOf(tar: Buffer): Buffer | null {
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const h = tar.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) return null;
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const start = offset + BLOCK;
    if (type === '0' || type === '\0') return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return null;
}
