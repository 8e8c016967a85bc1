import type { ReplicaStatus } from '@gureum/contract';
import { isDomainError } from '../domain/errors.js';
import type { EventService } from '../domain/event.service.js';
import { containerName, LABEL } from '../domain/labels.js';
import type { ReconcileQueue } from '../domain/reconcile-queue.js';
import type { InstanceRecord, RenderedComponent } from '../domain/records.js';
import { specHash, substitute } from '../domain/render.js';
import type { EngineEvent, ObservedReplica, ReplicaSpec, Runtime } from '../domain/runtime.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { phaseOf, replicaStatuses, slotKey } from './status.js';
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
}

/** A replica that ran less than this before dying counts towards crash-loop back-off. */
const SHORT_RUN_MS = 10_000;
const ROLLOUT_READY_TIMEOUT_MS = 60_000;
const FAILURE_RETRY_MS = 15_000;

/**
 * Holds the engine to the desired state in the store, one instance at a time, idempotently.
 * Learns of change from the store (enqueue), the engine's event stream and a periodic resync.
 */
export class Reconciler implements ReconcileQueue {
  private readonly queue: WorkQueue;
  private stopEvents: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private engineUp: boolean | undefined;
  /** Containers Gureum itself is stopping or removing: their exits are not failures. */
  private readonly expectedExits = new Set<string>();
  private readonly crashes = new Map<string, { failures: number; lastRestartAt: number }>();

  constructor(private readonly o: ReconcilerOptions) {
    this.queue = new WorkQueue((key) => this.work(key), 4, (key, err) => this.onWorkError(key, err));
  }

  get depth(): number {
    return this.queue.depth;
  }

  get engineReachable(): boolean {
    return this.engineUp === true;
  }

  start(): void {
    this.stopEvents = this.o.runtime.watchEvents((event) => void this.onEngineEvent(event));
    void this.resync();
    this.resyncTimer = setInterval(() => void this.resync(), this.o.resyncMs);
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
    try {
      observed = await this.o.runtime.listReplicas();
      await this.setEngineUp(true);
    } catch (err) {
      if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') return this.setEngineUp(false, err.message);
      throw err;
    }
    const known = new Set(await this.o.store.instances.ids());
    for (const id of known) this.enqueue(id);
    for (const id of new Set(observed.map((o) => o.instanceId))) if (!known.has(id)) this.enqueue(id);
    for (const project of await this.o.store.projects.list()) if (project.deleting) this.enqueueProject(project.name);
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
    const { store, runtime } = this.o;
    const instance = await store.instances.getById(id);
    const observed = await runtime.listReplicas({ instanceId: id });
    await this.setEngineUp(true);

    if (!instance || instance.deleting) {
      await Promise.all(observed.map((o) => this.remove(o)));
      if (instance) {
        await store.instances.delete(instance.id);
        await this.o.events.record('instance.deleted', { project: instance.project, instance: instance.name, message: `instance ${instance.name} deleted` });
        const project = await store.projects.get(instance.project);
        if (project?.deleting) this.enqueueProject(project.name);
      } else if (observed.length > 0) {
        this.o.log.info({ instanceId: id, containers: observed.length }, 'removed stray containers');
      }
      return;
    }

    const restartCounts = new Map(instance.replicas.map((r) => [slotKey(r.component, r.index), r.restartCount]));
    let failure: string | null = null;
    let retryInMs: number | undefined;

    // Containers of components that no longer exist, or beyond the desired count: scale down.
    const wanted = new Map(instance.components.map((c) => [c.name, c.replicas]));
    const extra = observed.filter((o) => o.index >= (wanted.get(o.component) ?? 0));
    await Promise.all(extra.map((o) => this.remove(o, `replica ${o.component}/${o.index} removed (scaled down)`, instance)));
    let live = observed.filter((o) => !extra.includes(o));

    if (instance.desiredState === 'stopped') {
      await Promise.all(live.filter((o) => o.state === 'running' || o.state === 'restarting').map((o) => this.stopContainer(o)));
    } else {
      await runtime.ensureNetwork(instance.project);
      for (const volume of new Set(instance.components.flatMap((c) => c.volumes.map((v) => v.volume)))) await runtime.ensureVolume(instance.project, volume);
      for (const component of instance.components) {
        const outcome = await this.reconcileComponent(instance, component, live, restartCounts);
        failure ??= outcome.failure;
        if (outcome.retryInMs !== undefined) retryInMs = Math.min(retryInMs ?? Infinity, outcome.retryInMs);
      }
      live = await runtime.listReplicas({ instanceId: id });
    }
    if (instance.desiredState === 'stopped') live = await runtime.listReplicas({ instanceId: id });

    await this.writeStatus(instance, replicaStatuses(instance, live, restartCounts), failure);
    if (retryInMs !== undefined) this.enqueue(id, retryInMs);
  }

  private async reconcileComponent(
    instance: InstanceRecord,
    component: RenderedComponent,
    observed: ObservedReplica[],
    restartCounts: Map<string, number>,
  ): Promise<{ failure: string | null; retryInMs?: number }> {
    const hash = specHash(component, instance.restartNonce);
    const mine = observed.filter((o) => o.component === component.name);
    const missing: number[] = [];
    const stale: number[] = [];
    const toRestart: ObservedReplica[] = [];
    for (let index = 0; index < component.replicas; index++) {
      const slot = mine.filter((o) => o.index === index);
      const current = slot.filter((o) => o.specHash === hash);
      // Duplicates (e.g. after an interrupted rollout): keep one current container.
      const keep = current.find((o) => o.state === 'running') ?? current[0];
      const others = slot.filter((o) => o !== keep);
      if (keep) await Promise.all(others.map((o) => this.remove(o)));
      if (!keep && slot.length === 0) missing.push(index);
      else if (!keep) stale.push(index);
      else if (keep.state !== 'running' && keep.state !== 'restarting' && keep.state !== 'removing') toRestart.push(keep);
    }

    if (missing.length + stale.length > 0) {
      const pulled = await this.ensureImage(component.image);
      if (pulled !== null) return { failure: pulled, retryInMs: FAILURE_RETRY_MS };
    }

    let failure: string | null = null;
    let retryInMs: number | undefined;
    const note = (err: unknown) => {
      if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') throw err;
      failure ??= isDomainError(err) ? err.message : `could not create a replica of ${component.name}: ${(err as Error).message}`;
      retryInMs = FAILURE_RETRY_MS;
    };

    // New slots start together; recreated slots (removed by hand) count as a restart.
    await Promise.all(
      missing.map(async (index) => {
        try {
          const recreated = instance.replicas.some((r) => r.component === component.name && r.index === index && r.containerId !== null);
          await this.create(instance, component, index, hash, recreated ? 'replica.restarted' : 'replica.started');
          if (recreated) restartCounts.set(slotKey(component.name, index), (restartCounts.get(slotKey(component.name, index)) ?? 0) + 1);
        } catch (err) {
          note(err);
        }
      }),
    );

    for (const o of toRestart) {
      const key = `${instance.id}/${slotKey(o.component, o.index)}`;
      const crash = this.crashes.get(key) ?? { failures: 0, lastRestartAt: 0 };
      const ranFor = o.startedAt && o.finishedAt ? Date.parse(o.finishedAt) - Date.parse(o.startedAt) : Infinity;
      const failures = ranFor < SHORT_RUN_MS ? crash.failures + 1 : 0;
      const delay = failures <= 1 ? 0 : Math.min(this.o.backoffMaxMs, 1000 * 2 ** (failures - 2));
      const wait = crash.lastRestartAt + delay - Date.now();
      if (wait > 0) {
        retryInMs = Math.min(retryInMs ?? Infinity, wait);
        continue;
      }
      try {
        await this.o.runtime.startReplica(o.id);
        this.crashes.set(key, { failures, lastRestartAt: Date.now() });
        const count = (restartCounts.get(slotKey(o.component, o.index)) ?? 0) + 1;
        restartCounts.set(slotKey(o.component, o.index), count);
        await this.o.events.record('replica.restarted', {
          project: instance.project,
          instance: instance.name,
          message: `replica ${o.component}/${o.index} restarted (exit code ${o.exitCode ?? 'unknown'}, restart ${count})`,
          data: { component: o.component, replica: o.index, containerId: o.id, exitCode: o.exitCode, restartCount: count, backoffMs: delay },
        });
      } catch (err) {
        note(err);
      }
    }

    // Rolling replacement: one slot at a time, each new replica ready before the next goes.
    for (const index of stale) {
      const old = mine.filter((o) => o.index === index);
      try {
        await Promise.all(old.map((o) => this.remove(o)));
        const id = await this.create(instance, component, index, hash, 'replica.replaced');
        restartCounts.set(slotKey(component.name, index), 0);
        const ready = await this.waitReady(instance.id, id);
        if (!ready) {
          retryInMs = Math.min(retryInMs ?? Infinity, 2000);
          break; // stop the rollout: the next replica keeps the old spec until this one is ready
        }
      } catch (err) {
        note(err);
        break;
      }
    }
    return { failure, ...(retryInMs !== undefined && { retryInMs }) };
  }

  /** Answers null when the image is there (pulling it if needed), else why not. */
  private async ensureImage(image: string): Promise<string | null> {
    if (await this.o.runtime.imageExists(image)) return null;
    try {
      await this.o.runtime.pullImage(image, () => {});
      return null;
    } catch (err) {
      if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') throw err;
      return `image ${image} cannot be found: ${(err as Error).message}`;
    }
  }

  private async create(instance: InstanceRecord, component: RenderedComponent, index: number, hash: string, event: 'replica.started' | 'replica.restarted' | 'replica.replaced'): Promise<string> {
    const spec = replicaSpec(instance, component, index, hash);
    const id = await this.o.runtime.createReplica(spec);
    await this.o.events.record(event, {
      project: instance.project,
      instance: instance.name,
      message: `replica ${component.name}/${index} ${event === 'replica.started' ? 'started' : event === 'replica.replaced' ? 'replaced with the new spec' : 'recreated'}`,
      data: { component: component.name, replica: index, containerId: id, specHash: hash },
    });
    return id;
  }

  private async waitReady(instanceId: string, containerId: string): Promise<boolean> {
    const deadline = Date.now() + ROLLOUT_READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const o = (await this.o.runtime.listReplicas({ instanceId })).find((x) => x.id === containerId);
      if (!o) return false;
      if (o.state === 'running' && (o.health === 'none' || o.health === 'healthy')) return true;
      if (o.state === 'exited' || o.state === 'dead' || o.health === 'unhealthy') return false;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  private async remove(o: ObservedReplica, message?: string, instance?: InstanceRecord): Promise<void> {
    this.expectedExits.add(o.id);
    await this.o.runtime.removeReplica(o.id);
    if (message && instance) {
      await this.o.events.record('replica.removed', { project: instance.project, instance: instance.name, message, data: { component: o.component, replica: o.index, containerId: o.id } });
    }
  }

  private async stopContainer(o: ObservedReplica): Promise<void> {
    this.expectedExits.add(o.id);
    await this.o.runtime.stopReplica(o.id, 10);
  }

  private async writeStatus(instance: InstanceRecord, replicas: ReplicaStatus[], failure: string | null): Promise<void> {
    const { phase, reason } = phaseOf(instance, replicas, failure);
    await this.o.store.instances.updateObserved(instance.id, { phase, reason, replicas, observedAt: new Date().toISOString() });
    if (phase !== instance.phase) {
      await this.o.events.record(phase === 'failed' ? 'instance.failed' : 'instance.phase_changed', {
        project: instance.project,
        instance: instance.name,
        message: `instance ${instance.name} is ${phase}${reason ? `: ${reason}` : ''}`,
        data: { from: instance.phase, to: phase, reason },
      });
    }
  }

  private async finishProjectDeletion(name: string): Promise<void> {
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
    await this.o.events.record('project.deleted', { project: name, message: `project ${name} deleted` });
  }

  private async onEngineEvent(event: EngineEvent): Promise<void> {
    try {
      if (event.kind === 'disconnected') return await this.setEngineUp(false, event.error);
      if (event.kind === 'connected') {
        await this.setEngineUp(true);
        return await this.resync();
      }
      const expected = this.expectedExits.has(event.containerId);
      if (event.kind === 'destroy') this.expectedExits.delete(event.containerId);
      const instance = await this.o.store.instances.getById(event.instanceId);
      const where = { project: event.project, instance: instance?.name ?? null };
      const data = { component: event.component, replica: event.index, containerId: event.containerId };
      if (event.kind === 'die' && !expected) {
        await this.o.events.record('replica.died', { ...where, message: `replica ${event.component}/${event.index} died with exit code ${event.exitCode ?? 'unknown'}`, data: { ...data, exitCode: event.exitCode ?? null } });
      } else if (event.kind === 'oom') {
        await this.o.events.record('replica.oom_killed', { ...where, message: `replica ${event.component}/${event.index} was killed: out of memory`, data });
      } else if (event.kind === 'health') {
        await this.o.events.record('replica.health_changed', { ...where, message: `replica ${event.component}/${event.index} is ${event.health}`, data: { ...data, health: event.health } });
      }
      if (event.kind !== 'kill' && event.kind !== 'stop') this.enqueue(event.instanceId);
    } catch (err) {
      this.o.log.warn({ err }, 'could not handle an engine event');
    }
  }

  private async setEngineUp(up: boolean, why?: string): Promise<void> {
    if (this.engineUp === up) return;
    const was = this.engineUp;
    this.engineUp = up;
    if (!up) {
      this.o.log.warn({ why }, 'engine unreachable');
      await this.o.events.record('engine.unreachable', { message: `the ${this.o.runtime.kind} engine does not answer: ${why ?? ''}`, data: { engine: this.o.runtime.kind } });
    } else if (was === false) {
      this.o.log.info('engine reachable again');
      await this.o.events.record('engine.reachable', { message: `the ${this.o.runtime.kind} engine answers again`, data: { engine: this.o.runtime.kind } });
      void this.resync();
    }
  }
}

/** What one replica runs, with its names, labels and DNS aliases. */
export function replicaSpec(instance: InstanceRecord, c: RenderedComponent, index: number, hash: string): ReplicaSpec {
  const values = { replica: index };
  const sub = (s: string) => substitute(s, values);
  const spec: ReplicaSpec = {
    project: instance.project,
    instance: instance.name,
    instanceId: instance.id,
    component: c.name,
    index,
    name: containerName(instance.project, instance.name, c.name, index, hash),
    aliases: [`${instance.name}-${c.name}`, `${instance.name}-${c.name}-${index}`, `${c.name}.${instance.name}`, `${index}.${c.name}.${instance.name}`, ...(instance.components.length === 1 ? [instance.name] : [])],
    hostname: `${instance.name}-${c.name}-${index}`,
    image: c.image,
    env: { ...Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, sub(v)])), GUREUM_PROJECT: instance.project, GUREUM_INSTANCE: instance.name, GUREUM_COMPONENT: c.name, GUREUM_REPLICA: String(index) },
    ports: c.ports,
    mounts: c.volumes.map((v) => ({ project: instance.project, volume: v.volume, mountPath: v.mountPath, readOnly: v.readOnly })),
    specHash: hash,
    labels: {
      [LABEL.managed]: 'true',
      [LABEL.project]: instance.project,
      [LABEL.instance]: instance.name,
      [LABEL.instanceId]: instance.id,
      [LABEL.component]: c.name,
      [LABEL.replica]: String(index),
      [LABEL.specHash]: hash,
    },
  };
  if (c.command) spec.command = c.command.map(sub);
  if (c.args) spec.args = c.args.map(sub);
  if (c.cpus !== undefined) spec.cpus = c.cpus;
  if (c.memoryBytes !== undefined) spec.memoryBytes = c.memoryBytes;
  if (c.healthCheck) spec.healthCheck = c.healthCheck;
  return spec;
}

