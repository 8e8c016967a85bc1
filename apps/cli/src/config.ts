import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.js';

/** One server the CLI knows, with the credentials to use there. */
export interface Context {
  url: string;
  token: string;
  /** Who the token belongs to (shown by `context ls`). */
  user?: string;
  /** The id of a token `gureum login` created, revoked again by `gureum logout`. */
  tokenId?: string;
  /** The project commands use when neither -p nor GUREUM_PROJECT says one. */
  project?: string;
}

export interface Config {
  current?: string;
  contexts: Record<string, Context>;
}

/** $GUREUM_CONFIG, else $XDG_CONFIG_HOME/gureum, else ~/.config/gureum. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.GUREUM_CONFIG) return path.resolve(env.GUREUM_CONFIG);
  const base = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(os.homedir(), '.config');
  return path.join(base, 'gureum');
}

export function loadConfig(dir: string): Config {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: {} };
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Config>;
    return { ...(parsed.current !== undefined && { current: parsed.current }), contexts: parsed.contexts ?? {} };
  } catch {
    throw new UsageError(`${file} is not valid JSON: fix or remove it`);
  }
}

/**
 * Writes the config holding tokens: the directory 0700, the file 0600 (also when they existed
 * with looser modes), replaced atomically so a crash never leaves half a file.
 */
export function saveConfig(dir: string, config: Config): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'config.json');
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

/** A context name for a server URL: its host and port. */
export function contextNameFor(url: string): string {
  return new URL(url).host;
}
