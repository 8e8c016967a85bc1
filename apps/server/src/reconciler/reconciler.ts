import type { ReplicaStatus } from '@gureum/contract';
import { isDomainError } from '../domain/core/errors.js';
import type { EventService } from '../domain/core/event.service.js';
import type { PolicyOptions } from '../domain/governance/policy.js';
import type { ReconcileQueue } from '../domain/core/reconcile-queue.js';
import type { InstanceRecord } from '../domain/core/records.js';
import type { EngineEvent, ObservedReplica, Runtime } from '../domain/core/runtime.js';
import type { SecretSource } from '../domain/secrets/secret.service.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { ComponentSync, FAILURE_RETRY_MS } from './component-sync.js';
import { pinImages } from './image-pin.js';
import { planComponents } from './replica-plan.js';
import { phaseOf, replicaStatuses, slotKey, statusUnchanged } from './status.js';
import { WorkQueue } from './work-queue.js';

export interface ReconcilerOptions {
  store: Store;
  runtime: Runtime;
  events: EventService;
  log: Logger;
  resyncMs: number;
  backoffMaxMs: number;
  /** Called with each reconcile's duration (for /metrics). */
  onReconciled?: (ms: number) => void;
  /** Called once a project is gone from the store: what else keeps data by its name forgets it (metric series). */
  onProjectDeleted?: (project: string) => Promise<void>;
  /** Where replicas' secrets come from; without one, an instance that uses secrets cannot run. */
  secrets?: SecretSource;
  policy?: PolicyOptions;
}

type ContainerEvent = Extract<EngineEvent, { containerId: string }>;

/**
 * Holds the engine to the desired state in the store, one instance at a time, idempotently.
 * Learns of change from the store (enqueue), the engine's event stream and a periodic resync.
 */
export class Reconciler implements ReconcileQueue {
  private readonly queue: WorkQueue;
  private readonly replicas: ComponentSync;
  private stopEvents: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  /** The last resync's engine listing per instance, consumed by the next reconcile of each. */
  private readonly snapshot = new Map<string, { at: number; replicas: ObservedReplica[] }>();
  private readonly lastFinished = new Map<string, number>();
  /** Instances whose status this process has written once (see writeStatus). */
  private readonly statusWritten = new Set<string>();
  /** Why the last attempt to finish deleting a project failed, per project. */
  private readonly deletionProblems = new Map<string, string>();
  private engineUp: boolean | undefined;

  constructor(private readonly o: ReconcilerOptions) {
    this.queue = new WorkQueue((key) => this.work(key), 4, (key, err) => this.onWorkError(key, err));
    this.replicas = new ComponentSync(o.runtime, o.events, o.backoffMaxMs);
  }

  get depth(): number {
    return this.queue.depth;
  }

  get engineReachable(): boolean {
    return this.engineUp === true;
  }

  start(): void {
    this.stopEvents = this.o.runtime.watchEvents((event) => this.onEngineEvent(event));
    this.resyncInBackground();
    this.resyncTimer = setInterval(() => this.resyncInBackground(), this.o.resyncMs);
    this.resyncTimer.unref();
  }

  stop(): void {
    this.stopEvents?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.queue.stop();
  }

  enqueue(instanceId: string, delayMs = 0): void {
    this.queue.enqueue(`i:${instanceId}`, delayMs);
  }

  deletionProblem(project: string): string | null {
    return this.deletionProblems.get(project) ?? null;
  }

  enqueueProject(project: string): void {
    this.queue.enqueue(`p:${project}`);
  }

  /** Resolves once nothing is waiting or running (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.queue.idle();
  }

  /** Compares every instance with the engine: finds drift, strays and missed events. */
  async resync(): Promise<void> {
    let observed: ObservedReplica[];
    const listedAt = performance.now();
    try {
      observed = await this.o.runtime.listReplicas();
      await this.setEngineUp(true);
    } catch (err) {
      if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') return this.setEngineUp(false, err.message);
      throw err;
    }
    const known = new Set(await this.o.store.instances.ids());
    const projects = await this.o.store.projects.list();
    const projectNames = new Set(projects.map((p) => p.name));
    const byInstance = new Map<string, ObservedReplica[]>([...known].map((id) => [id, []]));
    for (const o of observed) byInstance.get(o.instanceId)?.push(o);
    for (const [id, replicas] of byInstance) this.snapshot.set(id, { at: listedAt, replicas });
    for (const id of known) this.enqueue(id);
    // Containers of unknown instances in this control plane's projects are strays to remove;
    // those of other projects may be another control plane's (see removeStrays).
    for (const o of observed) if (!known.has(o.instanceId) && projectNames.has(o.project)) this.enqueue(o.instanceId);
    for (const project of projects) if (project.deleting) this.enqueueProject(project.name);
  }

  /** A resync whose failure is logged, never thrown into a timer or an event callback. */
  private resyncInBackground(): void {
    this.resync().catch((err: unknown) => this.o.log.error({ err }, 'resync failed'));
  }

  private async work(key: string): Promise<void> {
    const started = performance.now();
    if (key.startsWith('i:')) await this.reconcileInstance(key.slice(2));
    else await this.finishProjectDeletion(key.slice(2));
    this.o.onReconciled?.(performance.now() - started);
  }

  private onWorkError(key: string, err: unknown): void {
    if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') {
      void this.setEngineUp(false, err.message);
      return; // the resync after the engine comes back picks the key up again
    }
    this.o.log.error({ err, key }, 'reconcile failed');
    this.queue.enqueue(key, FAILURE_RETRY_MS);
  }

  private async reconcileInstance(id: string): Promise<void> {
    try {
      await this.reconcileOnce(id);
    } finally {
      this.lastFinished.set(id, performance.now());
    }
  }

  /**
   * What the engine shows of an instance: the resync's listing when it was taken after this
   * instance's last reconcile finished (and no engine event came since), else a fresh one.
   */
  private async observe(id: string): Promise<ObservedReplica[]> {
    const snap = this.snapshot.get(id);
    this.snapshot.delete(id);
    if (snap && snap.at > (this.lastFinished.get(id) ?? -1)) return snap.replicas;
    return this.o.runtime.listReplicas({ instanceId: id });
  }

  private async reconcileOnce(id: string): Promise<void> {
    const { store, runtime } = this.o;
    const stored = await store.instances.getById(id);
    const observed = await this.observe(id);
    await this.setEngineUp(true);
    if (!stored) return this.removeStrays(id, observed);
    if (stored.deleting) return this.finishInstanceDeletion(stored, observed);
    const { instance, problems: unpinned } = stored.desiredState === 'running' ? await pinImages(runtime, store, stored) : { instance: stored, problems: new Map<string, string>() };

    const restartCounts = new Map(instance.replicas.map((r) => [slotKey(r.component, r.index), r.restartCount]));
    const project = await store.projects.get(instance.project);
    const plans = await planComponents(instance, project?.policy ?? {}, this.o.secrets, this.o.policy);
    let failure: string | null = null;
    let trouble: string | null = null;
    let retryInMs: number | undefined;

    // Containers of components that no longer exist, or beyond the desired count: scale down.
    const wanted = new Map(instance.components.map((c) => [c.name, c.replicas]));
    const extra = observed.filter((o) => o.index >= (wanted.get(o.component) ?? 0));
    await Promise.all(extra.map((o) => this.replicas.remove(o, `replica ${o.component}/${o.index} removed (scaled down)`, instance)));
    const live = observed.filter((o) => !extra.includes(o));

    if (instance.desiredState === 'stopped') {
      await Promise.all(live.filter((o) => o.state === 'running' || o.state === 'restarting').map((o) => this.replicas.stop(o)));
    } else {
      await runtime.ensureNetwork(instance.project);
      // A volume the engine will not give this installation (another's, or made by hand) is the instance's failure, retried.
      for (const volume of new Set(instance.components.flatMap((c) => c.volumes.map((v) => v.volume)))) {
        try {
          await runtime.ensureVolume(instance.project, volume);
        } catch (err) {
          if (!isDomainError(err) || err.code === 'ENGINE_UNAVAILABLE') throw err;
          failure ??= `${err.code}: ${err.message}`;
          retryInMs = FAILURE_RETRY_MS;
        }
      }
      for (const component of failure === null ? instance.components : []) {
        const plan = plans.get(component.name)!;
        if (plan.refused !== null) {
          // Nothing the policy refuses keeps running, whenever the refusal came.
          failure ??= plan.refused;
          const running = live.filter((o) => o.component === component.name);
          await Promise.all(running.map((o) => this.replicas.remove(o, `replica ${o.component}/${o.index} removed: the project's policy does not allow it`, instance)));
          continue;
        }
        const imageProblem = unpinned.get(component.name);
        if (imageProblem !== undefined) {
          failure ??= imageProblem;
          retryInMs = Math.min(retryInMs ?? Infinity, FAILURE_RETRY_MS);
          continue;
        }
        if (plan.blocked !== null) {
          failure ??= plan.blocked;
          retryInMs = Math.min(retryInMs ?? Infinity, FAILURE_RETRY_MS);
          continue;
        }
        const outcome = await this.replicas.sync(instance, component, plan, live, restartCounts);
        failure ??= outcome.failure;
        trouble ??= outcome.trouble;
        if (outcome.retryInMs !== undefined) retryInMs = Math.min(retryInMs ?? Infinity, outcome.retryInMs);
      }
    }

    const now = await runtime.listReplicas({ instanceId: id });
    const hashes = new Map([...plans].map(([name, plan]) => [name, plan.hash]));
    await this.writeStatus(instance, replicaStatuses(instance, now, restartCounts, hashes), failure, trouble);
    if (retryInMs !== undefined) this.enqueue(id, retryInMs);
  }

  /**
   * Containers of an instance id the store does not know. In a project of this control plane
   * they are leftovers (of a deleted instance, or made by hand) and go; in any other project
   * they may belong to another control plane sharing the engine, and are left alone.
   */
  private async removeStrays(instanceId: string, observed: ObservedReplica[]): Promise<void> {
    const ours: ObservedReplica[] = [];
    for (const o of observed) if (await this.o.store.projects.get(o.project)) ours.push(o);
    if (ours.length === 0) return;
    await Promise.all(ours.map((o) => this.replicas.remove(o)));
    this.o.log.info({ instanceId, containers: ours.map((o) => o.name) }, 'removed stray containers');
  }

  private async finishInstanceDeletion(instance: InstanceRecord, observed: ObservedReplica[]): Promise<void> {
    const { store } = this.o;
    await Promise.all(observed.map((o) => this.replicas.remove(o)));
    await store.instances.delete(instance.id);
    this.replicas.forgetInstance(instance.id);
    this.statusWritten.delete(instance.id);
    await this.o.events.record('instance.deleted', { project: instance.project, instance: instance.name, message: `instance ${instance.name} deleted` });
    const project = await store.projects.get(instance.project);
    if (project?.deleting) this.enqueueProject(project.name);
  }

  private async writeStatus(instance: InstanceRecord, replicas: ReplicaStatus[], failure: string | null, trouble: string | null = null): Promise<void> {
    const { phase, reason } = phaseOf(instance, replicas, failure, trouble);
    // The first status this process writes is always written: observedAt then tells a status
    // confirmed since this start from one left by an earlier process.
    const now = Date.now();
    if (this.statusWritten.has(instance.id) && instance.observedGeneration === instance.generation && statusUnchanged(instance, { phase, reason, replicas }, now)) return;
    await this.o.store.instances.updateObserved(instance.id, { phase, reason, replicas, observedAt: new Date(now).toISOString(), observedGeneration: instance.generation });
    this.statusWritten.add(instance.id);
    if (phase !== instance.phase) {
      await this.o.events.record(phase === 'failed' ? 'instance.failed' : 'instance.phase_changed', {
        project: instance.project,
        instance: instance.name,
        message: `instance ${instance.name} is ${phase}${reason ? `: ${reason}` : ''}`,
        data: { from: instance.phase, to: phase, reason },
      });
    }
  }

  /**
   * A deletion that fails is retried; what failed is kept for the project's answer and
   * reported as an event whenever it changes, so a stuck deletion is visible, not silent.
   */
  private async finishProjectDeletion(name: string): Promise<void> {
    try {
      await this.finishProjectDeletionOnce(name);
      this.deletionProblems.delete(name);
    } catch (err) {
      if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') throw err;
      const reason = err instanceof Error ? err.message : String(err);
      const before = this.deletionProblems.get(name);
      this.deletionProblems.set(name, reason);
      if (before !== reason) {
        await this.o.events
          .record('project.deletion_failed', { project: name, message: `deleting project ${name} failed, retrying: ${reason}`, data: { reason, ...(isDomainError(err) && { code: err.code }) } })
          .catch((e: unknown) => this.o.log.warn({ err: e }, 'could not record an event'));
      }
      throw err;
    }
  }

  private async finishProjectDeletionOnce(name: string): Promise<void> {
    const { store, runtime } = this.o;
    const project = await store.projects.get(name);
    if (!project?.deleting) return;
    if ((await store.instances.list({ project: name })).length > 0) return; // the last instance's deletion enqueues us again
    for (const volume of await store.volumes.list(name)) {
      await runtime.removeVolume(name, volume.name);
      await store.volumes.delete(name, volume.name);
    }
    await runtime.removeNetwork(name);
    await store.projects.delete(name);
    await this.o.onProjectDeleted?.(name);
    await this.o.events.record('project.deleted', { project: name, message: `project ${name} deleted` });
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.kind === 'disconnected') {
      void this.setEngineUp(false, event.error);
      return;
    }
    if (event.kind === 'connected') {
      // Events may have been missed while the stream was down: look at everything.
      void this.setEngineUp(true).then(() => this.resyncInBackground());
      return;
    }
    this.snapshot.delete(event.instanceId); // the resync's listing of this instance is stale now
    // Read synchronously, in the engine's order: a later event must not change how this one reads.
    const expected = this.replicas.exitExpected(event.containerId);
    if (event.kind === 'destroy') this.replicas.onDestroyed(event.containerId);
    this.recordEngineEvent(event, expected)
      .catch((err: unknown) => this.o.log.warn({ err }, 'could not record an engine event'))
      .finally(() => {
        if (event.kind !== 'kill' && event.kind !== 'stop') this.enqueue(event.instanceId);
      });
  }

  /** Records what happened to a replica of one of this control plane's instances. */
  private async recordEngineEvent(event: ContainerEvent, exitExpected: boolean): Promise<void> {
    if (event.kind !== 'die' && event.kind !== 'oom' && event.kind !== 'health') return;
    if (event.kind === 'die' && exitExpected) return;
    const instance = await this.o.store.instances.getById(event.instanceId);
    if (!instance) return; // a stray, or another control plane's replica
    const replica = `${event.component}/${event.index}`;
    const where = { project: instance.project, instance: instance.name };
    const data = { component: event.component, replica: event.index, containerId: event.containerId };
    if (event.kind === 'die') {
      await this.o.events.record('replica.died', { ...where, message: `replica ${replica} died with exit code ${event.exitCode ?? 'unknown'}`, data: { ...data, exitCode: event.exitCode ?? null } });
    } else if (event.kind === 'oom') {
      await this.o.events.record('replica.oom_killed', { ...where, message: `replica ${replica} was killed: out of memory`, data });
    } else {
      await this.o.events.record('replica.health_changed', { ...where, message: `replica ${replica} is ${event.health}`, data: { ...data, health: event.health } });
    }
  }

  private async setEngineUp(up: boolean, why?: string): Promise<void> {
    if (this.engineUp === up) return;
    const was = this.engineUp;
    this.engineUp = up;
    try {
      if (!up) {
        this.o.log.warn({ why }, 'engine unreachable');
        await this.o.events.record('engine.unreachable', { message: `the ${this.o.runtime.kind} engine does not answer: ${why ?? ''}`, data: { engine: this.o.runtime.kind } });
      } else if (was === false) {
        this.o.log.info('engine reachable again');
        await this.o.events.record('engine.reachable', { message: `the ${this.o.runtime.kind} engine answers again`, data: { engine: this.o.runtime.kind } });
        this.resyncInBackground();
      }
    } catch (err) {
      this.o.log.warn({ err }, 'could not record an engine reachability change');
    }
  }
}
