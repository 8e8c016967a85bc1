import Docker from 'dockerode';
import type { ErrorCode } from '@gureum/contract';
import type { DomainError } from '../../domain/core/errors.js';
import { EngineTimeoutError, toDomainError } from './docker-errors.js';

/** Which catalogue code an HTTP status of the engine means for one particular call. */
export type ByStatus = Partial<Record<number, ErrorCode>>;

export interface DockerEngineOptions {
  /** Local engine socket; the default when no host is given. */
  socketPath?: string;
  /** Remote engine over TCP (plain HTTP): `tcp://host:2375` is host + port. */
  host?: string;
  port?: number;
  /** Deadline of ordinary engine calls, so a hung engine cannot hang the API. */
  timeoutMs?: number;
}

/** What Gureum reads of `docker info`. */
export interface EngineInfo {
  Name: string;
  NCPU: number;
  MemTotal: number;
  ServerVersion: string;
  OperatingSystem: string;
  Architecture: string;
  Labels: string[] | null;
  DockerRootDir?: string;
}

/** dockerode accepts an abortSignal on every call; its typings omit it on these. */
interface UntypedCalls {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
  info(options: { abortSignal: AbortSignal }): Promise<EngineInfo>;
  version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
}

/**
 * One Docker engine connection (local socket or remote TCP) with the two ways of calling it:
 * `withDeadline` (raw engine errors, for callers that read statuses themselves) and `call`
 * (errors mapped to the catalogue).
 */
export class DockerEngine {
  readonly docker: Docker;
  /** Where the engine is, for messages: unix:///var/run/docker.sock, tcp://host:2375. */
  readonly address: string;
  readonly timeoutMs: number;

  constructor(options: DockerEngineOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (options.host) {
      const port = options.port ?? 2375;
      this.docker = new Docker({ host: options.host, port, protocol: 'http' });
      this.address = `tcp://${options.host}:${port}`;
    } else {
      const socketPath = options.socketPath ?? '/var/run/docker.sock';
      this.docker = new Docker({ socketPath });
      this.address = `unix://${socketPath}`;
    }
  }

  get untyped(): UntypedCalls {
    return this.docker;
  }

  /** Runs one engine call under the deadline; failures come out raw (a timeout as EngineTimeoutError). */
  async withDeadline<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new EngineTimeoutError(timeoutMs));
        abort.abort();
      }, timeoutMs);
    });
    try {
      return await Promise.race([fn(abort.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** An engine call under the deadline, failures mapped to the catalogue. */
  async call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, byStatus: ByStatus = {}, timeoutMs?: number): Promise<T> {
    try {
      return await this.withDeadline(fn, timeoutMs);
    } catch (err) {
      throw this.error(err, what, byStatus);
    }
  }

  error(err: unknown, what: string, byStatus: ByStatus = {}): DomainError {
    return toDomainError(err, this.address, what, byStatus);
  }
}
