import type { UnknownUser, UserIds } from '../../domain/governance/user-ids.js';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { DomainError } from '../../domain/core/errors.js';
import type {
  EngineEvent,
  ExecSession,
  ImageInfo,
  NodeCounters,
  NodeInfo,
  ObservedReplica,
  PullProgress,
  ReplicaCounters,
  ReplicaSpec,
  Runtime,
} from '../../domain/core/runtime.js';
import { DockerEngine, type ByStatus, type DockerEngineOptions } from './docker-engine.js';
import { engineMessage } from './docker-errors.js';
import { watchDockerEvents } from './docker-events.js';
import { DockerImages } from './docker-images.js';
import { DockerNetworks } from './docker-networks.js';
import { DockerReplicas } from './docker-replicas.js';
import { startExecSession, toLogText } from './docker-streams.js';
import { DockerVolumes } from './docker-volumes.js';
import { HOST_ROOTS } from './cgroup-reader.js';
import { DockerSampler } from './docker-stats.js';
import { readHost } from './host-stats.js';

export interface DockerDriverOptions extends DockerEngineOptions {
  /** Node name to report instead of the engine's own host name. */
  nodeName?: string;
  /**
   * Name of this Gureum installation, for engines shared by several (a test run beside a
   * running Gureum, staging beside production): its containers and volumes carry it, and it
   * sees only its own. Without one it sees only objects that carry no installation name.
   */
  installation?: string;
  /**
   * Where replica counters come from: the kernel's cgroup files (default for a local engine;
   * Gureum must run on the engine's host, not in a cgroup namespace) or the engine's stats API
   * (always for a remote engine; far costlier per sample).
   */
  metricsSource?: 'cgroup' | 'engine';
}

/**
 * Runtime on one Docker engine, local (unix socket, the default) or remote (TCP host + port).
 * Every call has a deadline (10 s unless `timeoutMs` says otherwise) and every failure comes
 * out as a DomainError: ENGINE_UNAVAILABLE when the engine cannot be reached.
 */
export class DockerDriver implements Runtime {
  readonly kind = 'docker';
  private readonly engine: DockerEngine;
  private readonly networks: DockerNetworks;
  private readonly volumes: DockerVolumes;
  private readonly replicas: DockerReplicas;
  private readonly images: DockerImages;
  private readonly installation: string | undefined;
  private nodeName: Promise<string> | undefined;
  private readonly sampler: DockerSampler;
  /** The engine runs on this host: its /proc and cgroup files are ours to read. */
  private readonly local: boolean;
  private rootDir: Promise<string | null> | undefined;

  constructor(options: DockerDriverOptions = {}) {
    this.engine = new DockerEngine(options);
    this.installation = options.installation || undefined;
    this.networks = new DockerNetworks(this.engine, this.installation);
    this.volumes = new DockerVolumes(this.engine, this.installation);
    this.images = new DockerImages(this.engine);
    this.replicas = new DockerReplicas(
      this.engine,
      {
        // Called when a create found the network missing: look again, whatever we knew.
        ensureNetwork: (project) => {
          this.networks.forget(project);
          return this.networks.ensureNetwork(project);
        },
        ensureVolume: (project, volume) => this.volumes.ensureVolume(project, volume),
        nodeName: () => this.node(),
      },
      this.installation,
    );
    if (options.nodeName) this.nodeName = Promise.resolve(options.nodeName);
    this.local = !options.host;
    this.sampler = new DockerSampler(this.engine, this.local ? (options.metricsSource ?? 'cgroup') : 'engine');
  }

  async ping(): Promise<void> {
    try {
      await this.engine.withDeadline((signal) => this.engine.untyped.ping({ abortSignal: signal }));
    } catch (err) {
      const mapped = this.engine.error(err, 'ping');
      if (mapped.code === 'ENGINE_UNAVAILABLE') throw mapped;
      // Whatever answers without Docker's "OK" is no usable engine either.
      throw new DomainError('ENGINE_UNAVAILABLE', `the Docker engine at ${this.engine.address} does not answer: ${engineMessage(err)}`, {
        engine: this.engine.address,
      });
    }
  }

  async nodes(): Promise<NodeInfo[]> {
    const [info, version] = await Promise.all([
      this.engine.call('read engine info', (signal) => this.engine.untyped.info({ abortSignal: signal })),
      this.engine.call('read engine version', (signal) => this.engine.untyped.version({ abortSignal: signal })),
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

  /** The engine's host name, asked once (a failure is not remembered). */
  private node(): Promise<string> {
    this.nodeName ??= this.engine.call('read engine info', (signal) => this.engine.untyped.info({ abortSignal: signal })).then(
      (info) => info.Name,
      (err: unknown) => {
        this.nodeName = undefined;
        throw err;
      },
    );
    return this.nodeName;
  }

  ensureNetwork(project: string): Promise<void> {
    return this.networks.ensureNetwork(project);
  }

  removeNetwork(project: string): Promise<void> {
    return this.networks.removeNetwork(project);
  }

  async ensureVolume(project: string, volume: string): Promise<void> {
    await this.volumes.ensureVolume(project, volume);
  }

  removeVolume(project: string, volume: string): Promise<void> {
    return this.volumes.removeVolume(project, volume);
  }

  listVolumes(): Promise<{ project: string; volume: string }[]> {
    return this.volumes.listVolumes();
  }

  volumeUsage(): Promise<{ project: string; volume: string; usedBytes: number | null }[]> {
    return this.volumes.usage();
  }

  listReplicas(filter: { project?: string; instanceId?: string } = {}): Promise<ObservedReplica[]> {
    return this.replicas.list(filter);
  }

  createReplica(spec: ReplicaSpec): Promise<string> {
    return this.replicas.create(spec);
  }

  startReplica(id: string): Promise<void> {
    return this.replicas.start(id);
  }

  stopReplica(id: string, timeoutSeconds = 10): Promise<void> {
    return this.replicas.stop(id, timeoutSeconds);
  }

  removeReplica(id: string): Promise<void> {
    return this.replicas.remove(id);
  }

  watchEvents(onEvent: (event: EngineEvent) => void): () => void {
    // An event means the container changed: drop its cached inspect, whose list summary may
    // not show the change yet (right after a die, the list still says "running").
    return watchDockerEvents(this.engine.docker, this.engine.address, this.engine.timeoutMs, this.installation, (event) => {
      if ('containerId' in event) this.replicas.forget(event.containerId);
      onEvent(event);
    });
  }

  async logs(id: string, options: { tail?: number; follow?: boolean; timestamps?: boolean }): Promise<Readable> {
    const container = this.engine.docker.getContainer(id);
    // 409: the engine is removing it (a rolling update replaced it a moment ago): it is gone for logs too.
    const notFound: ByStatus = { 404: 'REPLICA_NOT_FOUND', 409: 'REPLICA_NOT_FOUND' };
    const info = await this.engine.call(`read logs of ${id}`, (signal) => container.inspect({ abortSignal: signal }), notFound);
    const follow = options.follow ?? false;
    const source = await this.engine.call(
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
      notFound,
      // Without follow the whole log comes in one answer: a long log needs longer than a call.
      follow ? this.engine.timeoutMs : this.engine.timeoutMs * 6,
    );
    return toLogText(this.engine.docker.modem, source, info.Config.Tty);
  }

  async exec(id: string, options: { command: string[]; tty: boolean; cols?: number; rows?: number; env?: string[] }): Promise<ExecSession> {
    const byStatus: ByStatus = { 404: 'REPLICA_NOT_FOUND', 409: 'INSTANCE_NOT_RUNNING' };
    const exec = await this.engine.call(
      `exec in ${id}`,
      (signal) =>
        this.engine.docker.getContainer(id).exec({
          Cmd: options.command,
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Tty: options.tty,
          ...(options.env ? { Env: options.env } : {}),
          abortSignal: signal,
        }),
      byStatus,
    );
    return startExecSession(exec, this.engine.docker.modem, options.tty, { cols: options.cols, rows: options.rows }, (what, fn) =>
      this.engine.call(`${what} in ${id}`, () => fn(), byStatus),
    );
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.images.inspect(ref)) !== null;
  }

  pullImage(ref: string, onProgress: (p: PullProgress) => void): Promise<void> {
    return this.images.pull(ref, onProgress);
  }

  loadImage(tar: Readable, onProgress: (p: PullProgress) => void): Promise<string[]> {
    return this.images.load(tar, onProgress);
  }

  listImages(): Promise<ImageInfo[]> {
    return this.images.list();
  }

  removeImage(idOrRef: string, force: boolean): Promise<void> {
    return this.images.remove(idOrRef, force);
  }

  inspectImage(idOrRef: string): Promise<ImageInfo | null> {
    return this.images.inspect(idOrRef);
  }

  userIds(image: string, user: string | undefined): Promise<UserIds | UnknownUser | null> {
    return this.replicas.userIds(image, user);
  }

  imageStorageBytes(): Promise<number> {
    return this.images.storageBytes();
  }

  sampleReplicas(ids: readonly string[]): Promise<ReplicaCounters[]> {
    return this.sampler.sample(ids);
  }

  async sampleNode(diskPaths: readonly string[]): Promise<NodeCounters | null> {
    if (!this.local) return null;
    // The engine's root dir holds images and container layers: part of the node's disk when readable.
    this.rootDir ??= this.engine
      .call('read engine info', (signal) => this.engine.untyped.info({ abortSignal: signal }))
      .then((info) => info.DockerRootDir ?? null)
      .catch(() => ((this.rootDir = undefined), null));
    const rootDir = await this.rootDir;
    return readHost(await this.node(), rootDir ? [...diskPaths, rootDir] : diskPaths, HOST_ROOTS);
  }
}
