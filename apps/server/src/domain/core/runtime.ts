import type { UnknownUser, UserIds } from '../governance/user-ids.js';
import type { Duplex, Readable } from 'node:stream';

/**
 * The one interface between Gureum and a container engine. Each engine (docker, swarm,
 * kubernetes) has a driver in its own folder that passes the same conformance suite.
 * Drivers translate engine failures to DomainError('ENGINE_UNAVAILABLE') when the engine
 * cannot be reached, and to other catalogue codes where one fits (IMAGE_NOT_FOUND, ...).
 */
export interface Runtime {
  readonly kind: string;
  /** Resolves when the engine answers; throws ENGINE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  nodes(): Promise<NodeInfo[]>;

  /** The project's own network: replicas of one project reach each other, other projects cannot. */
  ensureNetwork(project: string): Promise<void>;
  removeNetwork(project: string): Promise<void>;

  ensureVolume(project: string, volume: string): Promise<void>;
  /** Throws VOLUME_IN_USE if a container still mounts it. */
  removeVolume(project: string, volume: string): Promise<void>;
  /** Every volume Gureum created, as {project, volume}. */
  listVolumes(): Promise<{ project: string; volume: string }[]>;
  /** Bytes each of Gureum's volumes holds on disk, as the engine measures it (null: the engine could not tell). */
  volumeUsage(): Promise<{ project: string; volume: string; usedBytes: number | null }[]>;

  /** Every container carrying Gureum's labels (optionally of one project / instance id). */
  listReplicas(filter?: { project?: string; instanceId?: string }): Promise<ObservedReplica[]>;
  /** Create and start. Answers the container id. Throws IMAGE_NOT_FOUND if the image is absent locally. */
  createReplica(spec: ReplicaSpec): Promise<string>;
  startReplica(id: string): Promise<void>;
  stopReplica(id: string, timeoutSeconds?: number): Promise<void>;
  /** Force-removes; no error if already gone. */
  removeReplica(id: string): Promise<void>;

  /** Follows the engine's container events, reconnecting by itself; answers a stop function. */
  watchEvents(onEvent: (event: EngineEvent) => void): () => void;

  /** Demultiplexed log text of one replica, each line prefixed by nothing. Ends when the replica's log ends (or never with follow). */
  logs(id: string, options: { tail?: number; follow?: boolean; timestamps?: boolean }): Promise<Readable>;
  exec(id: string, options: { command: string[]; tty: boolean; cols?: number; rows?: number; env?: string[] }): Promise<ExecSession>;

  imageExists(ref: string): Promise<boolean>;
  /** Throws IMAGE_PULL_FAILED (or IMAGE_NOT_FOUND) with the registry's words. */
  pullImage(ref: string, onProgress: (p: PullProgress) => void): Promise<void>;
  /** Loads a `docker save` tarball; answers the image references (or ids) it loaded. Throws IMAGE_LOAD_FAILED. */
  loadImage(tar: Readable, onProgress: (p: PullProgress) => void): Promise<string[]>;
  listImages(): Promise<ImageInfo[]>;
  /** Accepts an id, a short id or a reference. Throws IMAGE_NOT_FOUND / IMAGE_IN_USE. */
  removeImage(idOrRef: string, force: boolean): Promise<void>;
  inspectImage(idOrRef: string): Promise<ImageInfo | null>;
  /**
   * The ids a container of `image` runs with as `user` (its USER when undefined), resolved with
   * the image's own /etc/passwd and /etc/group. Null when the engine has no such image.
   */
  userIds(image: string, user: string | undefined): Promise<UserIds | UnknownUser | null>;
  /** Bytes the engine's images take on its disk, layers shared between images counted once. */
  imageStorageBytes(): Promise<number>;

  /**
   * Cumulative counters of running replicas: from the kernel's cgroup files (v1 or v2) when
   * the engine runs on this host, from the engine's stats API otherwise. Replicas that could
   * not be read (gone, not running) are left out.
   */
  sampleReplicas(ids: readonly string[]): Promise<ReplicaCounters[]>;
  /**
   * The counters of the node the engine runs on, when that is this host (null otherwise).
   * `diskPaths`: directories whose filesystems make up the node's disk figures.
   */
  sampleNode(diskPaths: readonly string[]): Promise<NodeCounters | null>;
}

/** What the kernel has counted for one replica since it started; rates come from two readings. */
export interface ReplicaCounters {
  id: string;
  /** When read (unix ms). */
  time: number;
  cpuSeconds: number;
  cpuLimitCores: number | null;
  /** Working set: usage less inactive file cache, as the kubelet and `docker stats` count it. */
  memoryBytes: number;
  memoryLimitBytes: number | null;
  netRxBytes: number;
  netTxBytes: number;
  blkReadBytes: number;
  blkWriteBytes: number;
  source: 'cgroup' | 'engine';
}

export interface NodeCounters {
  node: string;
  time: number;
  /** Cumulative CPU ticks busy and in total, over all CPUs. */
  cpuBusyTicks: number;
  cpuTotalTicks: number;
  cpus: number;
  memoryBytes: number;
  memoryTotalBytes: number;
  load1: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
}

export interface NodeInfo {
  name: string;
  cpus: number;
  memoryBytes: number;
  engine: string;
  engineVersion: string;
  os: string;
  arch: string;
  status: 'ready' | 'unreachable';
  labels: Record<string, string>;
}

export interface ImageInfo {
  id: string;
  tags: string[];
  sizeBytes: number;
  createdAt: string;
  /** The image's USER ('' when unset: root). Set by inspectImage. */
  user?: string;
}

export interface PullProgress {
  status: string;
  id?: string;
  current?: number;
  total?: number;
}

export interface ReplicaPort {
  name: string;
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** Fixed host port; with `publish` and no hostPort the engine picks one. */
  hostPort?: number;
  publish?: boolean;
}

/** Everything a driver needs to run one replica; computed by the domain, never by drivers. */
export interface ReplicaSpec {
  project: string;
  instance: string;
  instanceId: string;
  component: string;
  index: number;
  /** Engine-level name, unique (see labels.ts). */
  name: string;
  /** DNS names this replica answers to inside the project network. */
  aliases: string[];
  hostname: string;
  image: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  ports: ReplicaPort[];
  cpus?: number;
  memoryBytes?: number;
  mounts: { project: string; volume: string; mountPath: string; readOnly: boolean }[];
  /** Host paths bind-mounted (already allowed by the project's policy). */
  binds?: { hostPath: string; mountPath: string; readOnly: boolean }[];
  /** Written into the container before it starts (secret files), owned by the user it runs as. */
  files?: { path: string; content: Buffer; mode: number }[];
  /** Absent: the hardened default (no extra capability, default pids limit; see domain/policy.ts). */
  security?: ReplicaSecurity;
  healthCheck?: { command: string[]; intervalSeconds: number; timeoutSeconds: number; retries: number; startPeriodSeconds: number };
  specHash: string;
  /** Applied as-is (the io.gureum.* set). */
  labels: Record<string, string>;
}

/** How a replica is confined. Drivers drop every capability, then add back exactly `capAdd`. */
export interface ReplicaSecurity {
  privileged: boolean;
  hostNetwork: boolean;
  hostPid: boolean;
  hostIpc: boolean;
  /** The complete set kept: the default set plus what the policy allowed. */
  capAdd: string[];
  user?: string;
  pidsLimit: number;
  noNewPrivileges: true;
}

export type ReplicaState = 'created' | 'running' | 'restarting' | 'exited' | 'dead' | 'paused' | 'removing';

export interface ObservedReplica {
  id: string;
  name: string;
  project: string;
  instance: string;
  instanceId: string;
  component: string;
  index: number;
  specHash: string;
  state: ReplicaState;
  exitCode: number | null;
  oomKilled: boolean;
  health: 'none' | 'starting' | 'healthy' | 'unhealthy';
  startedAt: string | null;
  finishedAt: string | null;
  node: string | null;
  ip: string | null;
  ports: { name: string; containerPort: number; protocol: 'tcp' | 'udp'; hostIp?: string; hostPort?: number }[];
  image: string;
}

/** What the engine tells about a Gureum container; drivers drop events of other containers. */
export type EngineEvent =
  | {
      kind: 'start' | 'die' | 'oom' | 'destroy' | 'health' | 'stop' | 'kill';
      containerId: string;
      project: string;
      instanceId: string;
      component: string;
      index: number;
      exitCode?: number;
      health?: string;
      time: number;
    }
  | { kind: 'disconnected'; error: string }
  | { kind: 'connected' };

export interface ExecSession {
  /** Terminal bytes both ways (with tty=false: stdout+stderr interleaved, demultiplexed). */
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the exit code once the process ends. */
  wait(): Promise<number>;
}
