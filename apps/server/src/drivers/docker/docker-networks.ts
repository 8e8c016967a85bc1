import type Docker from 'dockerode';
import { LABEL, networkName } from '../../domain/core/labels.js';
import type { DockerEngine } from './docker-engine.js';
import { statusOfEngineError } from './docker-errors.js';
import { inScope, scopeLabels } from './docker-mapping.js';
import { DomainError } from '../../domain/core/errors.js';

/**
 * Project networks. A project's own user-defined bridge network is what keeps
 * projects apart: the engine's isolation rules drop traffic between bridge networks.
 */
export class DockerNetworks {
  /** In-flight creations: concurrent ensureNetwork calls of this process share one. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Projects whose network this process has seen exist: ensureNetwork costs no engine call then. */
  private readonly known = new Set<string>();

  constructor(
    private readonly engine: DockerEngine,
    private readonly installation: string | undefined,
  ) {}

  ensureNetwork(project: string): Promise<void> {
    if (this.known.has(project)) return Promise.resolve();
    const pending = this.inFlight.get(project);
    if (pending) return pending;
    const creation = this.createOnce(project)
      .then(() => void this.known.add(project))
      .finally(() => this.inFlight.delete(project));
    this.inFlight.set(project, creation);
    return creation;
  }

  /** Networks named `name` (the engine's name filter matches substrings); one of another installation is refused. */
  private async find(name: string, project: string): Promise<Docker.NetworkInspectInfo[]> {
    const found = await this.engine.call('list networks', (signal) =>
      this.engine.docker.listNetworks({ filters: { name: [name] }, abortSignal: signal }),
    );
    const named = found.filter((n) => n.Name === name);
    const foreign = named.find((n) => n.Labels?.[LABEL.managed] !== 'true' || n.Labels[LABEL.project] !== project || !inScope(n.Labels, this.installation));
    if (foreign) {
      throw new DomainError('INTERNAL', `the engine's network ${name} was not made by this Gureum for project ${project} (another installation's, or made by hand): refusing to use or remove it`);
    }
    return named;
  }

  private async createOnce(project: string): Promise<void> {
    const name = networkName(project, this.installation);
    if ((await this.find(name, project)).length === 1) return;
    try {
      await this.engine.withDeadline((signal) =>
        this.engine.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: { [LABEL.managed]: 'true', [LABEL.project]: project, ...scopeLabels(this.installation) },
          abortSignal: signal,
        }),
      );
    } catch (err) {
      // 409: created by someone else a moment ago, which is what we wanted.
      if (statusOfEngineError(err) !== 409) throw this.engine.error(err, `create network ${name}`);
    }
    // The engine's duplicate check does not hold under concurrency (Docker 20.10 makes one
    // network per parallel create). Every racer keeps the oldest and drops the rest, so the
    // name ends up unambiguous whoever finishes last.
    const twins = await this.find(name, project);
    if (twins.length > 1) {
      twins.sort((a, b) => a.Created.localeCompare(b.Created) || a.Id.localeCompare(b.Id));
      await Promise.all(twins.slice(1).map((n) => this.engine.docker.getNetwork(n.Id).remove().catch(() => undefined)));
    }
  }

  /** Forget what we knew of a project's network (it was found missing). */
  forget(project: string): void {
    this.known.delete(project);
  }

  /**
   * Refused while a replica of the project exists. Once they are gone, whatever is still attached is a
   * stale endpoint (a container the engine lost track of) or a container someone attached by
   * hand: both are disconnected by force first, or the engine refuses the removal for good.
   */
  async removeNetwork(project: string): Promise<void> {
    this.known.delete(project);
    const name = networkName(project, this.installation);
    for (const n of await this.find(name, project)) {
      const network = this.engine.docker.getNetwork(n.Id);
      // Replicas that still exist mean the project is not empty: those are never cut off.
      const replicas = await this.engine.call('list containers on a network', (signal) =>
        this.engine.docker.listContainers({ all: true, filters: { network: [n.Id], label: [`${LABEL.project}=${project}`, LABEL.instance] }, abortSignal: signal }),
      );
      if (replicas.length > 0) {
        throw new DomainError('PROJECT_NOT_EMPTY', `network ${name} still has ${replicas.length} replica(s): ${replicas.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)).join(', ')}`);
      }
      const endpoints = await this.endpointsOf(network);
      for (const container of endpoints.keys()) {
        await this.engine
          .withDeadline((signal) => network.disconnect({ Container: container, Force: true, abortSignal: signal }))
          .catch((err: unknown) => {
            if (statusOfEngineError(err) !== 404) throw this.engine.error(err, `disconnect ${container.slice(0, 12)} from network ${name}`);
          });
      }
      try {
        await this.engine.withDeadline((signal) => network.remove({ abortSignal: signal }));
      } catch (err) {
        if (statusOfEngineError(err) === 404) continue;
        const left = await this.endpointsOf(network).catch(() => new Map<string, string>());
        const why = left.size > 0 ? `network ${name} has ${left.size} endpoint(s) left (${[...left.values()].join(', ')})` : `remove network ${name}`;
        throw this.engine.error(err, why, { 403: 'PROJECT_NOT_EMPTY', 409: 'PROJECT_NOT_EMPTY' });
      }
    }
  }

  /** Container id -> name of what is attached to a network (none when it is gone). */
  private async endpointsOf(network: Docker.Network): Promise<Map<string, string>> {
    try {
      const info = (await this.engine.withDeadline(() => network.inspect())) as { Containers?: Record<string, { Name?: string }> | null };
      return new Map(Object.entries(info.Containers ?? {}).map(([id, c]) => [id, c.Name ?? id.slice(0, 12)]));
    } catch (err) {
      if (statusOfEngineError(err) === 404) return new Map();
      throw this.engine.error(err, 'inspect a network');
    }
  }
}
