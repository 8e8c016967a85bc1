import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before } from 'node:test';
import { REPO_ROOT, removeProjects, startGureum, tempDir, uniqueName, waitFor, type TestGureum } from '../../server/test/support/harness.js';

/** The installed entry point, as `gureum` on PATH and `npx gureum` run it. */
export const GUREUM_BIN = path.join(REPO_ROOT, 'apps/cli/bin/gureum.js');

/** Builds the CLI (incremental: quick when nothing changed), so tests run what users get. */
export function buildCli(): void {
  execFileSync('npx', ['tsc', '-b', 'apps/cli'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A user's environment: their own config dir, no server or project chosen by the environment. */
export function cliEnv(configDir = tempDir('gureum-cli-config-'), extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GUREUM_')) env[k] = v;
  return { ...env, GUREUM_CONFIG: configDir, NO_COLOR: '1', ...extra };
}

/** Runs `gureum ARGS` to its end (bounded), with `input` on stdin. */
export function gureum(env: Record<string, string>, args: string[], input?: string, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GUREUM_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gureum ${args.join(' ')} did not end within ${timeoutMs}ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Like gureum(), but a non-zero exit fails the test with what the CLI said. */
export async function ok(env: Record<string, string>, args: string[], input?: string): Promise<string> {
  const r = await gureum(env, args, input);
  if (r.code !== 0) throw new Error(`gureum ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A long-running `gureum` (logs -f, events -f) whose output is read while it runs. */
export class Running {
  stdout = '';
  stderr = '';
  readonly child: ChildProcess;
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>, args: string[]) {
    this.child = spawn(process.execPath, [GUREUM_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString('utf8')));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.ended = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  async waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    return waitFor(() => pattern.exec(this.stdout.slice(from)) ?? undefined, { timeoutMs: 30_000, what: `${pattern} in the output (got ${JSON.stringify(this.stdout.slice(-500))}; stderr ${JSON.stringify(this.stderr)})` });
  }

  /** Ctrl-C, and the exit code it gave (bounded: a CLI that ignores it is killed and fails). */
  async interrupt(): Promise<number | null> {
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const { code } = await this.ended;
    clearTimeout(timer);
    return code;
  }
}

/**
 * `gureum ARGS` on a real pseudo-terminal (util-linux `script`), driven through the test's
 * pipes: what a user at a terminal gets, raw mode, window size and all. The name of the
 * terminal is written to `ttyFile`, so the test can resize it with `stty -F`.
 */
export class OnTerminal {
  output = '';
  readonly child: ChildProcess;
  readonly ended: Promise<number | null>;

  constructor(env: Record<string, string>, args: string[], ttyFile: string, size = { rows: 30, cols: 100 }) {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = `stty rows ${size.rows} cols ${size.cols}; tty > ${quote(ttyFile)}; exec ${[process.execPath, GUREUM_BIN, ...args].map(quote).join(' ')}`;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const read = (d: Buffer) => (this.output += d.toString('utf8'));
    this.child.stdout!.on('data', read);
    this.child.stderr!.on('data', read);
    this.ended = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** Keys typed at the terminal. */
  type(keys: string): void {
    this.child.stdin!.write(keys);
  }

  async waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    return waitFor(() => pattern.exec(this.output.slice(from)) ?? undefined, { timeoutMs: 30_000, what: `${pattern} on the terminal (got ${JSON.stringify(this.output.slice(from).slice(-800))})` });
  }

  /** The exit code, bounded: a terminal session that does not end is killed and fails. */
  async exitCode(): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await this.ended;
    clearTimeout(timer);
    return code;
  }
}

/** A real Gureum and a project on it, with the environment of a CLI user (admin) working in that project. */
export interface ProjectGureum {
  g: TestGureum;
  env: Record<string, string>;
  project: string;
  stop(): Promise<void>;
}

/** Builds the CLI, starts a Gureum whose admin has `password`, and creates a project named after `prefix`. */
async function startProjectGureum(prefix: string, password: string): Promise<ProjectGureum> {
  buildCli();
  const project = uniqueName(prefix);
  const g = await startGureum({ GUREUM_ADMIN_PASSWORD: password });
  const env = cliEnv(undefined, { GUREUM_URL: g.url, GUREUM_TOKEN: g.token, GUREUM_PROJECT: project });
  await ok(env, ['projects', 'create', project]);
  return {
    g,
    env,
    project,
    stop: async () => {
      await g.stop();
      await removeProjects(project);
    },
  };
}

/** A ProjectGureum for the tests of a file: started before them (`ready` receives it), stopped and cleaned after. */
export function useProjectGureum(prefix: string, ready: (started: ProjectGureum) => void, password = 'correct-horse-battery'): void {
  let started: ProjectGureum | undefined;
  before(async () => {
    started = await startProjectGureum(prefix, password);
    ready(started);
  });
  after(async () => {
    await started?.stop();
  });
}
