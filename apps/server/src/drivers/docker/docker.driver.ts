import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type { ErrorCode } from '@gureum/contract';
import { DomainError } from '../../domain/errors.js';
import { LABEL, networkName, volumeName } from '../../domain/labels.js';
import type {
  EngineEvent,
  ExecSession,
  ImageInfo,
  NodeInfo,
  ObservedReplica,
  PullProgress,
  ReplicaSpec,
  Runtime,
} from '../../domain/runtime.js';
import { EngineTimeoutError, engineMessage, isConnectionError, statusOfEngineError, toDomainError } from './docker-errors.js';
import { watchDockerEvents } from './docker-events.js';
import { loadWithProgress, pullWithProgress, toImageInfo } from './docker-images.js';
import { toCreateOptions, toObservedReplica } from './docker-mapping.js';
import { startExecSession, toLogText } from './docker-streams.js';

export interface DockerDriverOptions {
  /** Local engine socket; the default when no host is given. */
  socketPath?: string;
  /** Remote engine over TCP (plain HTTP, e.g. `tcp://host:2375` -> host + port). */
  host?: string;
  port?: number;
  /** Node name to report instead of the engine's own host name. */
  nodeName?: string;
  /** Deadline of ordinary engine calls, so a hung engine cannot hang the API. */
  timeoutMs?: number;
}

type ByStatus = Partial<Record<number, ErrorCode>>;

/** What Gureum reads of `docker info`. */
interface EngineInfo {
  Name: string;
  NCPU: number;
  MemTotal: number;
  ServerVersion: string;
  OperatingSystem: string;
  Architecture: string;
  Labels: string[] | null;
}

interface UntypedCalls {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
  info(options: { abortSignal: AbortSignal }): Promise<EngineInfo>;
  version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
}

/** How many containers listReplicas inspects at once. */
const INSPECT_CONCURRENCY = 16;
/** Engine words for "the host port is taken" (userland proxy or iptables). */
const PORT_TAKEN = /port is already allocated|address already in use|bind for .* failed/i;

async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** What the container list tells of a container that any change listReplicas reports would alter. */
function summaryKey(s: Docker.ContainerInfo): string {
  const ips = Object.values(s.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress);
  const ports = (s.Ports ?? []).map((p) => `${p.PrivatePort}/${p.Type}:${p.PublicPort ?? ''}`);
  return `${s.State}|${s.Status}|${ips.join(',')}|${ports.join(',')}`;
}

/** Runtime on one Docker engine, local (unix socket) or remote (TCP). */
export class DockerDriver implements Runtime {
  readonly kind = 'docker';
  private readonly docker: Docker;
  /** Where the engine is, for messages. */
  private readonly engine: string;
  private readonly timeoutMs: number;
  private nodeName: Promise<string> | undefined;
  /** In-flight network creations: concurrent ensureNetwork calls of this process share one. */
  private readonly networkCreations = new Map<string, Promise<void>>();
  /** Last inspect of each container, keyed by what the list said of it then. */
  private readonly observedCache = new Map<string, { key: string; replica: ObservedReplica }>();

  constructor(options: DockerDriverOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (options.host) {
      const port = options.port ?? 2375;
      this.docker = new Docker({ host: options.host, port, protocol: 'http' });
      this.engine = `tcp://${options.host}:${port}`;
    } else {
      const socketPath = options.socketPath ?? '/var/run/docker.sock';
      this.docker = new Docker({ socketPath });
      this.engine = `unix://${socketPath}`;
    }
    if (options.nodeName) this.nodeName = Promise.resolve(options.nodeName);
  }

  /** Runs one engine call under the deadline; engine failures come out raw (timeouts as EngineTimeoutError). */
  private async withDeadline<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
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
  private async call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, byStatus: ByStatus = {}, timeoutMs?: number): Promise<T> {
    try {
      return await this.withDeadline(fn, timeoutMs);
    } catch (err) {
      throw toDomainError(err, this.engine, what, byStatus);
    }
  }

  /** The calls whose typings lack the abortSignal option dockerode accepts on every call. */
  private get untyped(): UntypedCalls {
    return this.docker as unknown as UntypedCalls;
  }

  async ping(): Promise<void> {
    try {
      await this.withDeadline((signal) => this.untyped.ping({ abortSignal: signal }));
    } catch (err) {
      // Whatever answers without a Docker "OK" is no usable engine.
      const mapped = toDomainError(err, this.engine, 'ping');
      if (mapped.code === 'ENGINE_UNAVAILABLE') throw mapped;
      throw new DomainError('ENGINE_UNAVAILABLE', `the Docker engine at ${this.engine} does not answer: ${engineMessage(err)}`, { engine: this.engine });
    }
  }

  async nodes(): Promise<NodeInfo[]> {
    const [info, version] = await Promise.all([
      this.call('read engine info', (signal) => this.untyped.info({ abortSignal: signal })),
      this.call('read engine version', (signal) => this.untyped.version({ abortSignal: signal })),
    ]);
    const labels: Record<string, string> = {};
    for (const entry of info.Labels ?? []) {
      const eq = entry.indexOf('=');
      if (eq > 0) labels[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return [
      {
        name: await this.node(),
        cpus: info.NCPU,
        memoryBytes: info.MemTotal,
        engine: 'docker',
        engineVersion: version.Version || info.ServerVersion,
        os: info.OperatingSystem || version.Os,
        arch: info.Architecture || version.Arch,
        status: 'ready',
        labels,
      },
    ];
  }

  /** The engine's host name, asked once (a failure is not cached). */
  private node(): Promise<string> {
    this.nodeName ??= this.call('read engine info', (signal) => this.untyped.info({ abortSignal: signal })).then(
      (info) => info.Name,
      (err: unknown) => {
        this.nodeName = undefined;
        throw err;
      },
    );
    return this.nodeName;
  }

  // --- networks -------------------------------------------------------------------------

  async ensureNetwork(project: string): Promise<void> {
    const inFlight = this.networkCreations.get(project);
    if (inFlight) return inFlight;
    const creation = this.createNetworkOnce(project).finally(() => this.networkCreations.delete(project));
    this.networkCreations.set(project, creation);
    return creation;
  }

  private async findNetworks(name: string): Promise<Docker.NetworkInspectInfo[]> {
    const found = await this.call('list networks', (signal) => this.docker.listNetworks({ filters: { name: [name] }, abortSignal: signal }));
    // The engine's name filter matches substrings.
    return found.filter((n) => n.Name === name);
  }

  private async createNetworkOnce(project: string): Promise<void> {
    const name = networkName(project);
    if ((await this.findNetworks(name)).length === 1) return;
    try {
      await this.withDeadline((signal) =>
        this.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: { [LABEL.managed]: 'true', [LABEL.project]: project },
          abortSignal: signal,
        } as Docker.NetworkCreateOptions),
      );
    } catch (err) {
      // 409: someone else created it a moment ago, which is what we wanted.
      if (statusOfEngineError(err) !== 409) throw toDomainError(err, this.engine, `create network ${name}`);
    }
    // Duplicate checking is best effort in the engine: two control planes racing can still make
    // twins. All of them agree on keeping the oldest, so the name stays unambiguous.
    const twins = await this.findNetworks(name);
    if (twins.length > 1) {
      twins.sort((a, b) => a.Created.localeCompare(b.Created) || a.Id.localeCompare(b.Id));
      await Promise.all(twins.slice(1).map((n) => this.docker.getNetwork(n.Id).remove().catch(() => undefined)));
    }
  }

  async removeNetwork(project: string): Promise<void> {
    const name = networkName(project);
    for (const n of await this.findNetworks(name)) {
      try {
        await this.withDeadline((signal) => this.docker.getNetwork(n.Id).remove({ abortSignal: signal }));
      } catch (err) {
        if (statusOfEngineError(err) === 404) continue;
        throw toDomainError(err, this.engine, `remove network ${name}`, { 403: 'PROJECT_NOT_EMPTY', 409: 'PROJECT_NOT_EMPTY' });
      }
    }
  }

  // --- volumes --------------------------------------------------------------------------

  async ensureVolume(project: string, volume: string): Promise<void> {
    const name = volumeName(project, volume);
    // Creating an existing volume answers the existing one: idempotent by the engine itself.
    await this.call(`create volume ${name}`, (signal) =>
      this.docker.createVolume({
        Name: name,
        Labels: { [LABEL.managed]: 'true', [LABEL.project]: project, [LABEL.volume]: volume },
        abortSignal: signal,
      }),
    );
  }

  async removeVolume(project: string, volume: string): Promise<void> {
    const name = volumeName(project, volume);
    try {
      await this.withDeadline((signal) => this.docker.getVolume(name).remove({ abortSignal: signal }));
    } catch (err) {
      if (statusOfEngineError(err) === 404) return;
      throw toDomainError(err, this.engine, `remove volume ${volume} of project ${project}`, { 409: 'VOLUME_IN_USE' });
    }
  }

  async listVolumes(): Promise<{ project: string; volume: string }[]> {
    const answer = await this.call('list volumes', (signal) =>
      this.docker.listVolumes({ filters: { label: [`${LABEL.managed}=true`] }, abortSignal: signal }),
    );
    return (answer.Volumes ?? []).flatMap((v) => {
      const project = v.Labels?.[LABEL.project];
      const volume = v.Labels?.[LABEL.volume];
      return project && volume ? [{ project, volume }] : [];
    });
  }

  // --- replicas -------------------------------------------------------------------------

  async listReplicas(filter: { project?: string; instanceId?: string } = {}): Promise<ObservedReplica[]> {
    const labels = [`${LABEL.managed}=true`];
    if (filter.project) labels.push(`${LABEL.project}=${filter.project}`);
    if (filter.instanceId) labels.push(`${LABEL.instanceId}=${filter.instanceId}`);
    const summaries = await this.call('list containers', (signal) =>
      this.docker.listContainers({ all: true, filters: { label: labels }, abortSignal: signal }),
    );
    const node = await this.node();
    // The list lacks exit code, OOM, health and start time, so each container is inspected (a
    // bounded number at a time) -- unless its State and Status text ("Up 3 minutes (healthy)",
    // "Exited (3) 2 seconds ago") are what they were at its last inspect: then nothing it reports has changed.
    const observed = await mapBounded(summaries, INSPECT_CONCURRENCY, async (s) => {
      const key = summaryKey(s);
      const cached = this.observedCache.get(s.Id);
      if (cached?.key === key) return cached.replica;
      const info = await this.inspectOrNull(s.Id);
      if (!info) return null;
      const replica = toObservedReplica(info, node);
      this.observedCache.set(s.Id, { key, replica });
      return replica;
    });
    const present = new Set(summaries.map((s) => s.Id));
    for (const [id, { replica }] of this.observedCache) {
      const inScope = (!filter.project || replica.project === filter.project) && (!filter.instanceId || replica.instanceId === filter.instanceId);
      if (inScope && !present.has(id)) this.observedCache.delete(id);
    }
    return observed.flatMap((r) => (r ? [structuredClone(r)] : []));
  }

  /** null when the container vanished between the list and the inspect. */
  private async inspectOrNull(id: string): Promise<Docker.ContainerInspectInfo | null> {
    try {
      return await this.withDeadline((signal) => this.docker.getContainer(id).inspect({ abortSignal: signal }));
    } catch (err) {
      if (statusOfEngineError(err) === 404) return null;
      throw toDomainError(err, this.engine, `inspect container ${id}`);
    }
  }

  async createReplica(spec: ReplicaSpec): Promise<string> {
    // Volumes the engine would create on the fly would lack Gureum's labels (and so be invisible).
    await Promise.all(spec.mounts.map((m) => this.ensureVolume(m.project, m.volume)));
    const id = await this.createContainer(spec, true);
    try {
      await this.withDeadline((signal) => this.docker.getContainer(id).start({ abortSignal: signal }));
    } catch (err) {
      // Nothing half-done stays behind: a replica that cannot start is not kept.
      await this.removeReplica(id).catch(() => undefined);
      throw this.startError(err, spec.name);
    }
    return id;
  }

  private async createContainer(spec: ReplicaSpec, mayEnsureNetwork: boolean): Promise<string> {
    try {
      const container = await this.withDeadline((signal) => this.docker.createContainer({ ...toCreateOptions(spec), abortSignal: signal }));
      return container.id;
    } catch (err) {
      const status = statusOfEngineError(err);
      const message = engineMessage(err);
      if (status === 404 && /network/i.test(message) && mayEnsureNetwork) {
        await this.ensureNetwork(spec.project);
        return this.createContainer(spec, false);
      }
      if (status === 404) {
        throw new DomainError('IMAGE_NOT_FOUND', `image ${spec.image} is not on the engine (pull or load it first): ${message}`, { ref: spec.image });
      }
      if (status === 409) return this.adoptExisting(spec, message);
      throw toDomainError(err, this.engine, `create replica ${spec.name}`);
    }
  }

  /**
   * The name is taken. If it is this very replica (same instance and spec hash, e.g. created by
   * an attempt that died before answering), creating is already done: make sure it runs.
   */
  private async adoptExisting(spec: ReplicaSpec, message: string): Promise<string> {
    const info = await this.inspectOrNull(spec.name);
    const labels = info?.Config?.Labels ?? {};
    if (!info || labels[LABEL.instanceId] !== spec.instanceId || labels[LABEL.specHash] !== spec.specHash) {
      throw new DomainError('INTERNAL', `cannot create replica ${spec.name}: ${message}`);
    }
    if (!info.State.Running) await this.startReplica(info.Id);
    return info.Id;
  }

  private startError(err: unknown, name: string): DomainError {
    const message = engineMessage(err);
    if (!isConnectionError(err) && PORT_TAKEN.test(message)) {
      return new DomainError('PORT_CONFLICT', `replica ${name} cannot start: a host port it publishes is taken: ${message}`);
    }
    return toDomainError(err, this.engine, `start replica ${name}`, { 404: 'REPLICA_NOT_FOUND' });
  }

  async startReplica(id: string): Promise<void> {
    try {
      await this.withDeadline((signal) => this.docker.getContainer(id).start({ abortSignal: signal }));
    } catch (err) {
      if (statusOfEngineError(err) === 304) return; // already running
      throw this.startError(err, id);
    }
  }

  async stopReplica(id: string, timeoutSeconds = 10): Promise<void> {
    try {
      await this.withDeadline(
        (signal) => this.docker.getContainer(id).stop({ t: timeoutSeconds, abortSignal: signal }),
        timeoutSeconds * 1000 + this.timeoutMs,
      );
    } catch (err) {
      if (statusOfEngineError(err) === 304) return; // already stopped
      throw toDomainError(err, this.engine, `stop replica ${id}`, { 404: 'REPLICA_NOT_FOUND' });
    }
  }

  async removeReplica(id: string): Promise<void> {
    this.observedCache.delete(id);
    try {
      await this.withDeadline((signal) => this.docker.getContainer(id).remove({ force: true, v: true, abortSignal: signal }));
    } catch (err) {
      const status = statusOfEngineError(err);
      // 404: already gone; 409: the engine is removing it already.
      if (status === 404 || (status === 409 && /already in progress/i.test(engineMessage(err)))) return;
      throw toDomainError(err, this.engine, `remove replica ${id}`);
    }
  }

  watchEvents(onEvent: (event: EngineEvent) => void): () => void {
    return watchDockerEvents(this.docker, this.engine, this.timeoutMs, onEvent);
  }

  // --- logs and exec --------------------------------------------------------------------

  async logs(id: string, options: { tail?: number; follow?: boolean; timestamps?: boolean }): Promise<Readable> {
    const container = this.docker.getContainer(id);
    const info = await this.call(`read logs of ${id}`, (signal) => container.inspect({ abortSignal: signal }), { 404: 'REPLICA_NOT_FOUND' });
    const follow = options.follow ?? false;
    const source = await this.call(
      `read logs of ${id}`,
      (signal): Promise<NodeJS.ReadableStream | Buffer> => {
        const base: Docker.ContainerLogsOptions = {
          stdout: true,
          stderr: true,
          timestamps: options.timestamps ?? false,
          ...(options.tail !== undefined ? { tail: options.tail } : {}),
          abortSignal: signal,
        };
        return follow ? container.logs({ ...base, follow: true }) : container.logs({ ...base, follow: false });
      },
      { 404: 'REPLICA_NOT_FOUND' },
      // Without follow the whole log comes in one answer: give a long one time.
      follow ? this.timeoutMs : this.timeoutMs * 6,
    );
    return toLogText(this.docker.modem, source, info.Config.Tty);
  }

  async exec(id: string, options: { command: string[]; tty: boolean; cols?: number; rows?: number; env?: string[] }): Promise<ExecSession> {
    const byStatus: ByStatus = { 404: 'REPLICA_NOT_FOUND', 409: 'INSTANCE_NOT_RUNNING' };
    const exec = await this.call(
      `exec in ${id}`,
      (signal) =>
        this.docker.getContainer(id).exec({
          Cmd: options.command,
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Tty: options.tty,
          ...(options.env ? { Env: options.env } : {}),
          abortSignal: signal,
        } as Docker.ExecCreateOptions),
      byStatus,
    );
    return startExecSession(exec, this.docker.modem, options.tty, { cols: options.cols, rows: options.rows }, (what, fn) =>
      this.call(`${what} in ${id}`, () => fn(), byStatus),
    );
  }

  // --- images ---------------------------------------------------------------------------

  async imageExists(ref: string): Promise<boolean> {
    return (await this.inspectImage(ref)) !== null;
  }

  async pullImage(ref: string, onProgress: (p: PullProgress) => void): Promise<void> {
    // The engine answers once it has reached the registry: allow a slow registry more than an ordinary call.
    await pullWithProgress(this.docker, this.engine, ref, (fn) => this.withDeadline(fn, this.timeoutMs * 6), onProgress);
  }

  async loadImage(tar: Readable, onProgress: (p: PullProgress) => void): Promise<string[]> {
    // No deadline: the engine answers only after the whole upload, which may be large.
    return loadWithProgress(this.docker, this.engine, tar, onProgress);
  }

  async listImages(): Promise<ImageInfo[]> {
    const images = await this.call('list images', (signal) => this.docker.listImages({ abortSignal: signal }));
    return images.map(toImageInfo);
  }

  async removeImage(idOrRef: string, force: boolean): Promise<void> {
    await this.call(`remove image ${idOrRef}`, (signal) => this.docker.getImage(idOrRef).remove({ force, abortSignal: signal }), {
      404: 'IMAGE_NOT_FOUND',
      409: 'IMAGE_IN_USE',
    });
  }

  async inspectImage(idOrRef: string): Promise<ImageInfo | null> {
    try {
      const image = await this.withDeadline(() => this.docker.getImage(idOrRef).inspect());
      return toImageInfo(image);
    } catch (err) {
      if (statusOfEngineError(err) === 404) return null;
      throw toDomainError(err, this.engine, `inspect image ${idOrRef}`);
    }
  }
}
