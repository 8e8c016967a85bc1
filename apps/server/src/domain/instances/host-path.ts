import fs from 'node:fs';
import path from 'node:path';

/** More symlinks than this on one path is a loop (Linux gives up at 40 too). */
const MAX_LINKS = 40;

/**
 * The path the engine will really mount for a host path: every symlink followed, like
 * realpath, but also through links that dangle and below parts that do not exist yet (those
 * are kept as written). Sync on purpose: the policy check is synchronous and host mounts are
 * rare and short. Only meaningful where this process sees the engine's filesystem.
 */
export function resolveHostPath(p: string): string {
  const pending = path.posix.normalize(p).split('/').filter(Boolean);
  let resolved = '/';
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      resolved = path.posix.dirname(resolved);
      continue;
    }
    const next = path.posix.join(resolved, part);
    let target: string | undefined;
    try {
      if (fs.lstatSync(next).isSymbolicLink()) target = fs.readlinkSync(next);
    } catch {
      // Missing (or unreadable): the rest is taken as written.
      return path.posix.join(next, ...pending);
    }
    if (target === undefined) {
      resolved = next;
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`too many symbolic links in ${p}`);
    pending.unshift(...target.split('/').filter(Boolean));
    if (target.startsWith('/')) resolved = '/';
  }
  return resolved;
}
