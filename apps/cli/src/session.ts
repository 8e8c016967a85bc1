import { GureumClient } from '@gureum/contract';
import { configDir, loadConfig, saveConfig, type Config, type Context } from './config.js';
import { UsageError } from './errors.js';

/** Where a command talks to, and with what credentials. */
export interface Target {
  url: string;
  token?: string;
  /** The context it came from; absent when GUREUM_URL chose the server. */
  context?: string;
  project?: string;
}

/**
 * What every command shares: the environment, the config file, the server it talks to and the
 * interrupt signal. Built once per run.
 */
export class Session {
  private readonly interrupt = new AbortController();
  private graceful = false;

  constructor(
    readonly env: NodeJS.ProcessEnv,
    /** The --context given on the command line (read late: commander parses it first). */
    private readonly contextFlag: () => string | undefined,
  ) {}

  get configDir(): string {
    return configDir(this.env);
  }

  loadConfig(): Config {
    return loadConfig(this.configDir);
  }

  saveConfig(config: Config): void {
    saveConfig(this.configDir, config);
  }

  /** The context chosen by --context, GUREUM_CONTEXT or `gureum context use`. */
  currentContext(config = this.loadConfig()): { name: string; context: Context } | undefined {
    const name = this.contextFlag() ?? this.env.GUREUM_CONTEXT ?? config.current;
    if (name === undefined) return undefined;
    const context = config.contexts[name];
    if (!context) throw new UsageError(`no context named ${name} (see gureum context ls)`);
    return { name, context };
  }

  /** GUREUM_URL / GUREUM_TOKEN win over the context, so scripts need no config file. */
  target(): Target {
    const current = this.currentContext();
    const url = this.env.GUREUM_URL ?? current?.context.url;
    if (!url) throw new UsageError('not logged in: run gureum login URL (or set GUREUM_URL and GUREUM_TOKEN)');
    const fromContext = current && current.context.url === url ? current : undefined;
    const token = this.env.GUREUM_TOKEN ?? fromContext?.context.token;
    return {
      url,
      ...(token !== undefined && { token }),
      ...(fromContext && { context: fromContext.name }),
      ...(fromContext?.context.project !== undefined && { project: fromContext.context.project }),
    };
  }

  client(): GureumClient {
    const { url, token } = this.target();
    return new GureumClient({ baseUrl: url, ...(token !== undefined && { token }) });
  }

  /** The project of a command: -p, else GUREUM_PROJECT, else the context's. */
  project(flag: string | undefined): string {
    const project = flag ?? this.env.GUREUM_PROJECT ?? this.target().project;
    if (!project) throw new UsageError('no project: pass -p PROJECT, set GUREUM_PROJECT, or run gureum projects use PROJECT');
    return project;
  }

  /**
   * The signal a long-running command (follow, pull, top) stops on when the user presses
   * Ctrl-C; the run then exits 130. Commands that never ask are simply ended by Ctrl-C.
   */
  interruptSignal(): AbortSignal {
    this.graceful = true;
    return this.interrupt.signal;
  }

  get interrupted(): boolean {
    return this.interrupt.signal.aborted;
  }

  /** Called on SIGINT: answers whether the process should exit now. */
  onInterrupt(): boolean {
    const exitNow = !this.graceful || this.interrupt.signal.aborted;
    this.interrupt.abort();
    return exitNow;
  }
}
