import type { Readable } from 'node:stream';
import { DomainError } from '../../domain/core/errors.js';
import type { ImageInfo, PullProgress } from '../../domain/core/runtime.js';
import type { DockerEngine } from './docker-engine.js';
import { engineMessage, isConnectionError, statusOfEngineError } from './docker-errors.js';
import { createJsonLineParser } from './docker-json-lines.js';

/** Registry answers that mean "there is no such image", as opposed to "the pull broke". */
const NOT_FOUND_WORDS = /not found|manifest unknown|pull access denied|repository does not exist|no such image|name unknown/i;

/** One line of the engine's pull / load progress stream. */
interface ProgressLine {
  status?: string;
  id?: string;
  stream?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  text?: string;
}

/** Reads a progress stream to its end; answers the lines, or the engine's error message if one came. */
function followProgress(
  stream: NodeJS.ReadableStream,
  onLine: (line: ProgressLine) => void,
): Promise<{ failure: string | null }> {
  return new Promise((resolve, reject) => {
    let failure: string | null = null;
    const parser = createJsonLineParser((value) => {
      const line = value as ProgressLine;
      if (line.error || line.errorDetail?.message) failure = line.errorDetail?.message ?? line.error ?? 'unknown error';
      else onLine(line);
    });
    stream.on('data', (chunk: Buffer) => parser.push(chunk));
    stream.once('end', () => {
      parser.end();
      resolve({ failure });
    });
    stream.once('error', reject);
  });
}

function toProgress(line: ProgressLine): PullProgress | null {
  const status = line.status ?? line.stream?.trim();
  if (!status) return null;
  return {
    status,
    ...(line.id ? { id: line.id } : {}),
    ...(line.progressDetail?.current !== undefined ? { current: line.progressDetail.current } : {}),
    ...(line.progressDetail?.total !== undefined ? { total: line.progressDetail.total } : {}),
  };
}

function pullError(ref: string, message: string): DomainError {
  const code = NOT_FOUND_WORDS.test(message) ? 'IMAGE_NOT_FOUND' : 'IMAGE_PULL_FAILED';
  return new DomainError(code, `pulling ${ref} failed: ${message}`, { ref });
}

/** Without a tag the engine would pull every tag of the repository; Docker's CLI means ":latest". */
export function withDefaultTag(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

function toImageInfo(image: { Id: string; RepoTags?: string[] | null; Size: number; Created: number | string }): ImageInfo {
  return {
    id: image.Id,
    tags: (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    sizeBytes: image.Size,
    createdAt: typeof image.Created === 'number' ? new Date(image.Created * 1000).toISOString() : image.Created,
  };
}

/** Images on the engine: pulled from a registry, loaded from a tarball, listed, removed. */
export class DockerImages {
  constructor(private readonly engine: DockerEngine) {}

  async pull(ref: string, onProgress: (p: PullProgress) => void): Promise<void> {
    const full = withDefaultTag(ref);
    let stream: NodeJS.ReadableStream;
    try {
      // The engine answers once it has reached the registry: a slow registry gets more than an ordinary call.
      stream = await this.engine.withDeadline(
        (signal) => this.engine.docker.pull(full, { abortSignal: signal }),
        this.engine.timeoutMs * 6,
      );
    } catch (err) {
      if (isConnectionError(err)) throw this.engine.error(err, `pull ${ref}`);
      throw pullError(ref, engineMessage(err));
    }
    let result: { failure: string | null };
    try {
      result = await followProgress(stream, (line) => {
        const p = toProgress(line);
        if (p) onProgress(p);
      });
    } catch (err) {
      throw this.engine.error(err, `pull ${ref}`);
    }
    if (result.failure !== null) throw pullError(ref, result.failure);
  }

  /** Loads a `docker save` tarball; answers what the engine says it loaded ("Loaded image: x" / "Loaded image ID: sha256:..."). */
  async load(tar: Readable, onProgress: (p: PullProgress) => void): Promise<string[]> {
    const loaded: string[] = [];
    let result: { failure: string | null };
    try {
      // No deadline: the engine answers only after the whole upload, which may be large.
      const stream = await this.engine.docker.loadImage(tar, { quiet: false });
      result = await followProgress(stream, (line) => {
        const match = /^Loaded image(?: ID)?:\s*(\S+)/.exec(line.stream?.trim() ?? '');
        if (match?.[1]) loaded.push(match[1]);
        const p = toProgress(line);
        if (p) onProgress(p);
      });
    } catch (err) {
      if (isConnectionError(err)) throw this.engine.error(err, 'load image');
      throw new DomainError('IMAGE_LOAD_FAILED', `loading the image tarball failed: ${engineMessage(err)}`);
    }
    if (result.failure !== null) throw new DomainError('IMAGE_LOAD_FAILED', `loading the image tarball failed: ${result.failure}`);
    if (loaded.length === 0) throw new DomainError('IMAGE_LOAD_FAILED', 'the engine loaded no image from the tarball');
    return loaded;
  }

  async list(): Promise<ImageInfo[]> {
    const images = await this.engine.call('list images', (signal) => this.engine.docker.listImages({ abortSignal: signal }));
    return images.map(toImageInfo);
  }

  async remove(idOrRef: string, force: boolean): Promise<void> {
    await this.engine.call(
      `remove image ${idOrRef}`,
      (signal) => this.engine.docker.getImage(idOrRef).remove({ force, abortSignal: signal }),
      // 400: the engine cannot parse the reference (too long a name, say): the caller's mistake.
      { 400: 'VALIDATION_FAILED', 404: 'IMAGE_NOT_FOUND', 409: 'IMAGE_IN_USE' },
      // Removing a large image's layers takes the engine longer than an ordinary call.
      this.engine.timeoutMs * 6,
    );
  }

  /** What `docker system df` shows for images: their layers, each counted once. */
  async storageBytes(): Promise<number> {
    const df = (await this.engine.call('measure image storage', () => this.engine.docker.df() as Promise<unknown>, {}, this.engine.timeoutMs * 6)) as { LayersSize?: number };
    return df.LayersSize ?? 0;
  }

  /** null when the engine has no such image. */
  async inspect(idOrRef: string): Promise<ImageInfo | null> {
    try {
      // dockerode's image inspect takes no abort signal; the deadline still holds.
      const image = await this.engine.withDeadline(() => this.engine.docker.getImage(idOrRef).inspect());
      return { ...toImageInfo(image), user: image.Config?.User ?? '' };
    } catch (err) {
      if (statusOfEngineError(err) === 404) return null;
      throw this.engine.error(err, `inspect image ${idOrRef}`);
    }
  }
}
