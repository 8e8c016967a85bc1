import type Docker from 'dockerode';
import { DomainError } from '../../domain/core/errors.js';
import { LABEL } from '../../domain/core/labels.js';
import type { ObservedReplica, ReplicaSpec } from '../../domain/core/runtime.js';
import { resolveUserIds, type UnknownUser, type UserIds } from '../../domain/governance/user-ids.js';
import { buildTar, firstFileOf } from './docker-archive.js';
import type { DockerEngine } from './docker-engine.js';
import { engineMessage, isConnectionError, statusOfEngineError } from './docker-errors.js';
import { inScope, scopeFilters, toCreateOptions, toObservedReplica } from './docker-mapping.js';

/** How many containers listReplicas inspects at once. */
const INSPECT_CONCURRENCY = 16;
/** Engine words for "the host port is taken" (userland proxy or iptables). */
const PORT_TAKEN = /port is already allocated|address already in use|bind for .* failed/i;

export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

/**
 * What the container list says of a container that changes whenever anything listReplicas
 * reports changes: state, the status text ("Up 3 minutes (healthy)", "Exited (3) 2 seconds
 * ago"), addresses and published ports.
 */
function summaryKey(s: Docker.ContainerInfo): string {
  const ips = Object.values(s.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress);
  const ports = (s.Ports ?? []).map((p) => `${p.PrivatePort}/${p.Type}:${p.PublicPort ?? ''}`);
  return `${s.State}|${s.Status}|${ips.join(',')}|${ports.join(',')}`;
}

/** Gureum's containers: created from a ReplicaSpec, observed back from labels and inspects. */
export class DockerReplicas {
  /** Last inspect of each container, with the list summary it was made under. */
  private readonly observed = new Map<string, { key: string; replica: ObservedReplica }>();
  /** What an image id resolves a user to (image content never changes under its id). */
  private readonly userIdsCache = new Map<string, UserIds | UnknownUser>();

  constructor(
    private readonly engine: DockerEngine,
    private readonly prepare: {
      ensureNetwork(project: string): Promise<void>;
      /** Answers the volume's engine name. */
      ensureVolume(project: string, volume: string): Promise<string>;
      nodeName(): Promise<string>;
    },
    private readonly installation: string | undefined,
  ) {}

  async list(filter: { project?: string; instanceId?: string }): Promise<ObservedReplica[]> {
    const labels = [`${LABEL.managed}=true`, ...scopeFilters(this.installation)];
    if (filter.project) labels.push(`${LABEL.project}=${filter.project}`);
    if (filter.instanceId) labels.push(`${LABEL.instanceId}=${filter.instanceId}`);
    const listed = await this.engine.call('list containers', (signal) =>
      this.engine.docker.listContainers({ all: true, filters: { label: labels }, abortSignal: signal }),
    );
    const summaries = listed.filter((s) => inScope(s.Labels, this.installation));
    const node = await this.prepare.nodeName();
    // The list lacks exit code, OOM, health and start time, so containers are inspected, a
    // bounded number at a time -- but only those whose summary changed since their last inspect:
    // a resync of hundreds of unchanged containers then costs one list call.
    const replicas = await mapBounded(summaries, INSPECT_CONCURRENCY, async (s) => {
      const key = summaryKey(s);
      const cached = this.observed.get(s.Id);
      if (cached?.key === key) return cached.replica;
      const info = await this.inspectOrNull(s.Id);
      if (!info) return null;
      const replica = toObservedReplica(info, node);
      this.observed.set(s.Id, { key, replica });
      return replica;
    });
    const present = new Set(summaries.map((s) => s.Id));
    for (const [id, { replica }] of this.observed) {
      const inScope = (!filter.project || replica.project === filter.project) && (!filter.instanceId || replica.instanceId === filter.instanceId);
      if (inScope && !present.has(id)) this.observed.delete(id);
    }
    return replicas.flatMap((r) => (r ? [structuredClone(r)] : []));
  }

  /** null when the container vanished (e.g. between the list and the inspect). */
  private async inspectOrNull(idOrName: string): Promise<Docker.ContainerInspectInfo | null> {
    try {
      return await this.engine.withDeadline((signal) => this.engine.docker.getContainer(idOrName).inspect({ abortSignal: signal }));
    } catch (err) {
      if (statusOfEngineError(err) === 404) return null;
      throw this.engine.error(err, `inspect container ${idOrName}`);
    }
  }

  async create(spec: ReplicaSpec): Promise<string> {
    // Volumes the engine would make on the fly would lack Gureum's labels (and so be invisible).
    const sources = new Map(await Promise.all(spec.mounts.map(async (m) => [m.volume, await this.prepare.ensureVolume(m.project, m.volume)] as const)));
    const id = await this.createContainer(spec, true, sources);
    try {
      await this.writeFiles(id, spec);
    } catch (err) {
      await this.remove(id).catch(() => undefined);
      throw err instanceof DomainError ? err : this.engine.error(err, `write the files of replica ${spec.name}`);
    }
    try {
      await this.engine.withDeadline((signal) => this.engine.docker.getContainer(id).start({ abortSignal: signal }));
    } catch (err) {
      // Nothing half-done stays behind: a replica that cannot start is not kept.
      await this.remove(id).catch(() => undefined);
      throw this.startError(err, spec.name);
    }
    return id;
  }

  private async createContainer(spec: ReplicaSpec, mayEnsureNetwork: boolean, volumeSources: ReadonlyMap<string, string>): Promise<string> {
    try {
      const container = await this.engine.withDeadline((signal) =>
        this.engine.docker.createContainer({ ...toCreateOptions(spec, this.installation, volumeSources), abortSignal: signal }),
      );
      return container.id;
    } catch (err) {
      const status = statusOfEngineError(err);
      const message = engineMessage(err);
      if (status === 404 && /network/i.test(message) && mayEnsureNetwork) {
        await this.prepare.ensureNetwork(spec.project);
        return this.createContainer(spec, false, volumeSources);
      }
      if (status === 404) {
        throw new DomainError('IMAGE_NOT_FOUND', `image ${spec.image} is not on the engine (pull or load it first): ${message}`, {
          ref: spec.image,
        });
      }
      if (status === 409) return this.adoptExisting(spec, message);
      throw this.engine.error(err, `create replica ${spec.name}`);
    }
  }

  /**
   * The name is taken. If it is this very replica (same instance and spec hash, e.g. made by an
   * attempt that died before it could answer), creating is already done: make sure it runs.
   */
  private async adoptExisting(spec: ReplicaSpec, message: string): Promise<string> {
    const info = await this.inspectOrNull(spec.name);
    const labels = info?.Config?.Labels ?? {};
    const same = labels[LABEL.instanceId] === spec.instanceId && labels[LABEL.specHash] === spec.specHash && inScope(labels, this.installation);
    if (!info || !same) {
      throw new DomainError('INTERNAL', `cannot create replica ${spec.name}: ${message}`);
    }
    if (!info.State.Running) {
      // The attempt that made it may have died before it wrote the files.
      await this.writeFiles(info.Id, spec);
      await this.start(info.Id);
    }
    return info.Id;
  }

  /**
   * Writes the spec's files (secrets) into a created container, before it starts: through the
   * engine's archive API, so no copy ever lands on the host. Each file belongs to the user the
   * container runs as, so that mode 0400 still lets it read.
   */
  private async writeFiles(id: string, spec: ReplicaSpec): Promise<void> {
    const files = spec.files ?? [];
    if (files.length === 0) return;
    const container = this.engine.docker.getContainer(id);
    const info = await this.engine.withDeadline((signal) => container.inspect({ abortSignal: signal }));
    const owner = await this.ownerOf(id, info.Config?.User ?? '');
    const tar = buildTar(files.map((f) => ({ path: f.path, content: f.content, mode: f.mode, ...owner })));
    await this.engine.withDeadline((signal) => container.putArchive(tar, { path: '/', abortSignal: signal }));
  }

  /** uid and gid of a container's user, from its own passwd and group files (root's when they do not say). */
  private async ownerOf(id: string, user: string): Promise<{ uid: number; gid: number }> {
    const ids = await this.idsIn(id, user);
    return 'unknown' in ids ? { uid: 0, gid: 0 } : { uid: ids.uid, gid: ids.gid };
  }

  private async idsIn(id: string, user: string): Promise<UserIds | UnknownUser> {
    const [passwd, group] = await Promise.all([this.readFile(id, '/etc/passwd'), this.readFile(id, '/etc/group')]);
    return resolveUserIds(user, passwd, group);
  }

  /**
   * The ids a container of `image` runs with as `user` (its USER when undefined): read from the
   * image's own files through a container created for it, never started, and removed at once.
   * Null when the engine has no such image.
   */
  async userIds(image: string, user: string | undefined): Promise<UserIds | UnknownUser | null> {
    // An image id names fixed content: what it resolves a user to never changes.
    let imageId: string;
    try {
      imageId = (await this.engine.withDeadline(() => this.engine.docker.getImage(image).inspect())).Id;
    } catch (err) {
      if (statusOfEngineError(err) === 404) return null;
      throw this.engine.error(err, `inspect image ${image}`);
    }
    const key = `${imageId}\0${user ?? ''}\0${user === undefined ? 'image' : 'given'}`;
    const known = this.userIdsCache.get(key);
    if (known) return known;
    const ids = await this.probeUserIds(imageId, user);
    if (ids) {
      if (this.userIdsCache.size >= 512) this.userIdsCache.delete(this.userIdsCache.keys().next().value!);
      this.userIdsCache.set(key, ids);
    }
    return ids;
  }

  private async probeUserIds(image: string, user: string | undefined): Promise<UserIds | UnknownUser | null> {
    let id: string;
    try {
      const container = await this.engine.withDeadline((signal) =>
        this.engine.docker.createContainer({ Image: image, Cmd: ['true'], Entrypoint: [], NetworkDisabled: true, HostConfig: { NetworkMode: 'none' }, Labels: { [LABEL.probe]: 'user', [LABEL.managed]: 'false' } /* an image's own labels cannot make it a replica */, abortSignal: signal }),
      );
      id = container.id;
    } catch (err) {
      if (statusOfEngineError(err) === 404) return null;
      throw this.engine.error(err, `look at the users of image ${image}`);
    }
    try {
      const info = await this.engine.withDeadline((signal) => this.engine.docker.getContainer(id).inspect({ abortSignal: signal }));
      return await this.idsIn(id, user ?? info.Config?.User ?? '');
    } finally {
      await this.remove(id).catch(() => undefined);
    }
  }

  /** A file of a (created, not necessarily started) container; '' when it has none. */
  private async readFile(id: string, file: string): Promise<string> {
    try {
      const stream = await this.engine.withDeadline((signal) => this.engine.docker.getContainer(id).getArchive({ path: file, abortSignal: signal }));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
      return firstFileOf(Buffer.concat(chunks))?.toString('utf8') ?? '';
    } catch (err) {
      if (statusOfEngineError(err) === 404) return '';
      throw err;
    }
  }

  private startError(err: unknown, name: string): DomainError {
    const message = engineMessage(err);
    if (!isConnectionError(err) && PORT_TAKEN.test(message)) {
      return new DomainError('PORT_CONFLICT', `replica ${name} cannot start: a host port it publishes is taken: ${message}`);
    }
    return this.engine.error(err, `start replica ${name}`, { 404: 'REPLICA_NOT_FOUND' });
  }

  async start(id: string): Promise<void> {
    try {
      await this.engine.withDeadline((signal) => this.engine.docker.getContainer(id).start({ abortSignal: signal }));
    } catch (err) {
      if (statusOfEngineError(err) === 304) return; // already running
      throw this.startError(err, id);
    }
  }

  async stop(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.engine.withDeadline(
        (signal) => this.engine.docker.getContainer(id).stop({ t: timeoutSeconds, abortSignal: signal }),
        timeoutSeconds * 1000 + this.engine.timeoutMs,
      );
    } catch (err) {
      if (statusOfEngineError(err) === 304) return; // already stopped
      throw this.engine.error(err, `stop replica ${id}`, { 404: 'REPLICA_NOT_FOUND' });
    }
  }

  /** Drop the cached inspect of a container (it changed). */
  forget(id: string): void {
    this.observed.delete(id);
  }

  async remove(id: string): Promise<void> {
    this.observed.delete(id);
    try {
      // A removal cut off mid-way can leave a stale network endpoint behind (the project's
      // network then cannot be removed): give it far longer than an ordinary call.
      await this.engine.withDeadline((signal) => this.engine.docker.getContainer(id).remove({ force: true, v: true, abortSignal: signal }), this.engine.timeoutMs * 6);
    } catch (err) {
      const status = statusOfEngineError(err);
      // 404: already gone; 409: the engine is removing it already.
      if (status === 404 || (status === 409 && /already in progress/i.test(engineMessage(err)))) return;
      throw this.engine.error(err, `remove replica ${id}`);
    }
  }
}

/** The lines of /etc/passwd or /etc/group, split at ":". */
