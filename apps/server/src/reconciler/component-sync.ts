import { isDomainError } from '../domain/core/errors.js';
import type { EventService } from '../domain/core/event.service.js';
import type { InstanceRecord, RenderedComponent } from '../domain/core/records.js';
import { rootProblem } from '../domain/governance/user-ids.js';
import type { ObservedReplica, Runtime } from '../domain/core/runtime.js';
import { CrashBackoff } from './crash-backoff.js';
import type { ComponentPlan } from './replica-plan.js';
import { replicaSpec } from './replica-spec.js';
import { slotKey } from './status.js';

const ROLLOUT_READY_TIMEOUT_MS = 60_000;
/** How soon a paused rollout looks again. */
const ROLLOUT_RETRY_MS = 2_000;
export const FAILURE_RETRY_MS = 15_000;

/** What one pass over a component left to do. */
export interface SyncOutcome {
  /** Why the component cannot run as asked (the instance is then "failed"). */
  failure: string | null;
  /** A problem that may pass by itself, e.g. a replica the engine would not start again (the instance is then "degraded"). */
  trouble: string | null;
  /** Look again in this many milliseconds (a back-off, a paused rollout, a retry). */
  retryInMs?: number;
}

type CreateEvent = 'replica.started' | 'replica.restarted' | 'replica.replaced';

/** The replicas of one slot that are not the one to keep, when no current one exists. */
interface StaleSlot {
  index: number;
  old: ObservedReplica[];
}

/**
 * How long a replica without a health check must have run before a rollout counts on it (like
 * Kubernetes' minReadySeconds): a process that exits at once is still seen running for a moment,
 * and a rollout that trusted that moment would replace the next good replica with a broken one.
 */
const MIN_READY_MS = 1_500;

function isServing(o: ObservedReplica, now = Date.now()): boolean {
  if (o.state !== 'running' || o.health === 'starting' || o.health === 'unhealthy') return false;
  if (o.health === 'healthy') return true;
  return o.startedAt !== null && now - Date.parse(o.startedAt) >= MIN_READY_MS;
}

function isUp(o: ObservedReplica): boolean {
  return o.state === 'running' || o.state === 'restarting' || o.state === 'removing';
}

/**
 * Brings the replicas of one component to its spec: creates missing ones, starts exited ones
 * (backing off when they crash quickly), replaces outdated ones one at a time. Remembers what
 * it did itself, so that the exits it causes are not taken for failures.
 */
export class ComponentSync {
  /** Containers Gureum is stopping or removing: their exits are not failures. */
  private readonly expectedExits = new Set<string>();
  /** Containers stopped because their instance was stopped: starting them again is not a restart. */
  private readonly stoppedOnRequest = new Set<string>();
  private readonly backoff: CrashBackoff;

  constructor(
    private readonly runtime: Runtime,
    private readonly events: EventService,
    backoffMaxMs: number,
  ) {
    this.backoff = new CrashBackoff(backoffMaxMs);
  }

  /** Whether the exit of this container was caused by Gureum. Must be asked in engine-event order. */
  exitExpected(containerId: string): boolean {
    return this.expectedExits.has(containerId);
  }

  /** The engine removed a container: nothing is expected of it any more. */
  onDestroyed(containerId: string): void {
    this.expectedExits.delete(containerId);
    this.stoppedOnRequest.delete(containerId);
  }

  forgetInstance(instanceId: string): void {
    this.backoff.forget(`${instanceId}/`);
  }

  async sync(instance: InstanceRecord, component: RenderedComponent, plan: ComponentPlan, observed: ObservedReplica[], restartCounts: Map<string, number>): Promise<SyncOutcome> {
    const hash = plan.hash;
    const mine = observed.filter((o) => o.component === component.name);
    const missing: number[] = [];
    const stale: StaleSlot[] = [];
    const kept: ObservedReplica[] = [];
    for (let index = 0; index < component.replicas; index++) {
      const slot = mine.filter((o) => o.index === index);
      const current = slot.filter((o) => o.specHash === hash);
      // Duplicates (e.g. after an interrupted rollout): keep one current container.
      const keep = current.find((o) => o.state === 'running') ?? current[0];
      if (keep) {
        await Promise.all(slot.filter((o) => o !== keep).map((o) => this.remove(o)));
        kept.push(keep);
      } else if (slot.length === 0) missing.push(index);
      else stale.push({ index, old: slot });
    }
    // A rollout goes on only while every replica already on the new spec serves: a spec that
    // does not come up must not take the old replicas down one after the other.
    const holdRollout = kept.some((o) => !isServing(o));

    let failure: string | null = null;
    let trouble: string | null = null;
    let retryInMs: number | undefined;
    const retry = (ms: number) => (retryInMs = Math.min(retryInMs ?? Infinity, ms));
    const note = (err: unknown) => {
      if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') throw err;
      failure ??= isDomainError(err) ? err.message : `could not run a replica of ${component.name}: ${(err as Error).message}`;
      retry(FAILURE_RETRY_MS);
    };

    if (missing.length > 0 || (stale.length > 0 && !holdRollout)) {
      const absent = await this.ensureImage(component);
      if (absent !== null) return { failure: absent, trouble: null, retryInMs: FAILURE_RETRY_MS };
      const refused = plan.checkImageUser ? await this.refuseRootImage(component) : null;
      if (refused !== null) return { failure: refused, trouble: null };
    }

    // New slots start together.
    await Promise.all(
      missing.map(async (index) => {
        try {
          await this.createMissing(instance, component, index, plan, restartCounts);
        } catch (err) {
          note(err);
        }
      }),
    );

    // A replica that ran before and will not start again is most likely a passing engine
    // problem (e.g. an engine shutting down): retried, and shown as trouble, not failure.
    for (const o of kept.filter((k) => !isUp(k))) {
      try {
        const wait = await this.startExited(instance, o, restartCounts);
        if (wait > 0) retry(wait);
      } catch (err) {
        if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') throw err;
        trouble ??= `${o.component}/${o.index} could not be started again: ${(err as Error).message}`;
        retry(FAILURE_RETRY_MS);
      }
    }

    if (stale.length > 0 && holdRollout) retry(ROLLOUT_RETRY_MS);
    if (stale.length > 0 && !holdRollout) {
      // Slots that serve nothing anyway go first.
      stale.sort((a, b) => Number(a.old.some((o) => isServing(o))) - Number(b.old.some((o) => isServing(o))) || a.index - b.index);
      for (const { index, old } of stale) {
        try {
          await Promise.all(old.map((o) => this.remove(o)));
          const id = await this.create(instance, component, index, plan, 'replica.replaced');
          restartCounts.set(slotKey(component.name, index), 0);
          if (!(await this.waitReady(instance.id, id))) {
            retry(ROLLOUT_RETRY_MS);
            break; // the next replica keeps the old spec until this one serves
          }
        } catch (err) {
          note(err);
          break;
        }
      }
    }
    return { failure, trouble, ...(retryInMs !== undefined && { retryInMs }) };
  }

  /**
   * A slot with no container: new (scaled up), removed behind Gureum's back (a restart), or
   * emptied by a rollout that was interrupted (a replacement).
   */
  private async createMissing(instance: InstanceRecord, component: RenderedComponent, index: number, plan: ComponentPlan, restartCounts: Map<string, number>): Promise<void> {
    const hash = plan.hash;
    const key = slotKey(component.name, index);
    const before = instance.replicas.find((r) => r.component === component.name && r.index === index);
    // The status keeps a slot's last spec while it has no container (status.ts): none means it never had one.
    const event: CreateEvent = !before?.specHash ? 'replica.started' : before.specHash === hash ? 'replica.restarted' : 'replica.replaced';
    const count = event === 'replica.restarted' ? (restartCounts.get(key) ?? 0) + 1 : 0;
    await this.create(instance, component, index, plan, event, count);
    restartCounts.set(key, count);
  }

  /**
   * Starts an exited replica of the current spec: at once when its instance was stopped on
   * request or it never ran, else as a restart once its back-off allows. Answers how long is
   * left to wait (0: done).
   */
  private async startExited(instance: InstanceRecord, o: ObservedReplica, restartCounts: Map<string, number>): Promise<number> {
    const key = slotKey(o.component, o.index);
    const where = { project: instance.project, instance: instance.name };
    const data = { component: o.component, replica: o.index, containerId: o.id };
    // From now on its exits are failures again (also those of a replica Gureum had stopped).
    this.expectedExits.delete(o.id);
    if (this.stoppedOnRequest.has(o.id) || instance.phase === 'stopped') {
      await this.runtime.startReplica(o.id);
      this.stoppedOnRequest.delete(o.id);
      await this.events.record('replica.started', { ...where, message: `replica ${key} started again`, data });
      return 0;
    }
    if (o.state === 'created' && o.startedAt === null) {
      // Created but never started (the control plane stopped between the two): a start, not a restart.
      await this.runtime.startReplica(o.id);
      await this.events.record('replica.started', { ...where, message: `replica ${key} started (it had been created, not yet started)`, data });
      return 0;
    }
    const plan = this.backoff.plan(`${instance.id}/${key}`, o);
    if (plan.waitMs > 0) return plan.waitMs;
    await this.runtime.startReplica(o.id);
    const count = (restartCounts.get(key) ?? 0) + 1;
    restartCounts.set(key, count);
    const why = o.oomKilled ? 'killed for lack of memory' : `exit code ${o.exitCode ?? 'unknown'}`;
    await this.events.record('replica.restarted', {
      ...where,
      message: `replica ${key} restarted (${why}, restart ${count}${plan.delayMs > 0 ? `, after ${plan.delayMs / 1000} s back-off` : ''})`,
      data: { ...data, exitCode: o.exitCode, oomKilled: o.oomKilled, restartCount: count, backoffMs: plan.delayMs },
    });
    return 0;
  }

  /**
   * Answers null when the image the component is pinned to is still there, else why not. Pulling
   * and pinning happen before (reconciler/image-pin.ts): a component that wants replicas reaches
   * this pinned, or not at all.
   */
  private async ensureImage(component: RenderedComponent): Promise<string | null> {
    const image = component.imageId ?? component.image;
    if (await this.runtime.imageExists(image)) return null;
    return `IMAGE_NOT_FOUND: image ${component.image} as this instance runs it (${image}) is no longer on the engine: load it again, or upgrade the instance (refreshImages) to run what ${component.image} names now`;
  }

  /**
   * With allowRoot off, a component whose replicas would run as uid 0, gid 0 or in group 0
   * (resolved with the image's own passwd and group files, names mapped to 0 included) gets none.
   */
  private async refuseRootImage(component: RenderedComponent): Promise<string | null> {
    const ids = await this.runtime.userIds(component.imageId ?? component.image, component.security?.user);
    const problem = ids ? rootProblem(ids) : undefined;
    if (problem === undefined) return null;
    return `POLICY_VIOLATION: component ${component.name}: image ${component.image}: ${problem}, which the project's policy forbids (set security.user to a non-root uid:gid)`;
  }

  private async create(instance: InstanceRecord, component: RenderedComponent, index: number, plan: ComponentPlan, event: CreateEvent, restartCount = 0): Promise<string> {
    const hash = plan.hash;
    const id = await this.runtime.createReplica(replicaSpec(instance, component, index, plan));
    const what = event === 'replica.started' ? 'started' : event === 'replica.replaced' ? 'replaced with the new spec' : `recreated (restart ${restartCount})`;
    await this.events.record(event, {
      project: instance.project,
      instance: instance.name,
      message: `replica ${component.name}/${index} ${what}`,
      data: { component: component.name, replica: index, containerId: id, specHash: hash, ...(event === 'replica.restarted' && { restartCount }) },
    });
    return id;
  }

  private async waitReady(instanceId: string, containerId: string): Promise<boolean> {
    const deadline = Date.now() + ROLLOUT_READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const o = (await this.runtime.listReplicas({ instanceId })).find((x) => x.id === containerId);
      if (!o) return false;
      if (isServing(o)) return true;
      if (o.state === 'exited' || o.state === 'dead' || o.health === 'unhealthy') return false;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  async remove(o: ObservedReplica, message?: string, instance?: InstanceRecord): Promise<void> {
    this.expectedExits.add(o.id);
    await this.runtime.removeReplica(o.id);
    if (message && instance) {
      await this.events.record('replica.removed', { project: instance.project, instance: instance.name, message, data: { component: o.component, replica: o.index, containerId: o.id } });
    }
  }

  /** Stops a replica because its instance is to be stopped. */
  async stop(o: ObservedReplica): Promise<void> {
    this.expectedExits.add(o.id);
    this.stoppedOnRequest.add(o.id);
    await this.runtime.stopReplica(o.id, 10);
  }
}
