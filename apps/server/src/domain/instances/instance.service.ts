import { randomUUID } from 'node:crypto';
import type { Instance, InstanceCreate, InstancePatch } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import type { AppService } from '../catalog/app.service.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { ProjectService } from '../identity/project.service.js';
import type { ReconcileQueue } from '../core/reconcile-queue.js';
import type { LaunchGuard } from './launch-guard.js';
import type { SettingsService } from '../governance/settings.service.js';
import type { InstanceRecord, RenderedComponent } from '../core/records.js';
import { hostPortsOf, renderComponents } from '../catalog/render.js';

/** Records what users want of instances; the reconciler makes it so. */
export class InstanceService {
  constructor(
    private readonly store: Store,
    private readonly projects: ProjectService,
    private readonly apps: AppService,
    private readonly events: EventService,
    private readonly queue: ReconcileQueue,
    private readonly settings: SettingsService,
    private readonly guards: LaunchGuard[] = [],
  ) {}

  async list(project: string): Promise<Instance[]> {
    await this.projects.require(project);
    return (await this.store.instances.list({ project })).map(toInstanceView);
  }

  async get(project: string, name: string): Promise<Instance> {
    return toInstanceView(await this.require(project, name));
  }

  async require(project: string, name: string, store: Store = this.store): Promise<InstanceRecord> {
    await this.projects.require(project, store);
    const instance = await store.instances.get(project, name);
    if (!instance) throw new DomainError('INSTANCE_NOT_FOUND', `instance ${name} does not exist in project ${project}`);
    return instance;
  }

  async create(project: string, input: InstanceCreate): Promise<Instance> {
    const record = await this.store.transaction(async (trx) => {
      const p = await this.projects.require(project, trx);
      if (p.deleting) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} is being deleted`);
      const app = await this.apps.requireFor(project, input.app, trx);
      if (await trx.instances.get(project, input.name)) throw new DomainError('INSTANCE_EXISTS', `instance ${input.name} already exists in project ${project}`);
      const { defaultResources } = await this.settings.get(trx);
      const rendered = renderComponents(app, { project, instance: input.name, parameters: input.parameters, replicas: input.replicas ?? null, env: input.env ?? {}, defaultResources });
      await checkHostPorts(trx, rendered.components, undefined);
      for (const guard of this.guards) await guard.check(trx, p, rendered.components, undefined);
      await createMissingVolumes(trx, project, rendered.components);
      const now = new Date().toISOString();
      const instance: InstanceRecord = {
        id: randomUUID(),
        project,
        name: input.name,
        app: app.name,
        appVersion: app.version,
        parameters: rendered.parameters,
        replicasOverride: rendered.replicasOverride,
        env: input.env ?? {},
        components: rendered.components,
        desiredState: 'running',
        deleting: false,
        generation: 1,
        restartNonce: 0,
        phase: 'pending',
        reason: 'waiting for the reconciler',
        replicas: [],
        observedAt: null,
        observedGeneration: 0,
        createdAt: now,
        updatedAt: now,
      };
      await trx.instances.insert(instance);
      return instance;
    });
    await this.events.record('instance.created', { project, instance: record.name, message: `instance ${record.name} of app ${record.app} created`, data: { app: record.app, parameters: Object.keys(record.parameters) } });
    this.queue.enqueue(record.id);
    return toInstanceView(record);
  }

  /** Changes parameters, env or replica counts; re-renders from the app's current definition. */
  async update(project: string, name: string, patch: InstancePatch): Promise<Instance> {
    const { before, after } = await this.store.transaction(async (trx) => {
      const current = await this.requireLive(project, name, trx);
      const p = await this.projects.require(project, trx);
      const app = await this.apps.require(current.app, trx);
      const replicas = patch.replicas === undefined ? current.replicasOverride : mergeReplicas(current.replicasOverride, patch.replicas, app.components.map((c) => c.name));
      const env = patch.env ?? current.env;
      const { defaultResources } = await this.settings.get(trx);
      const rendered = renderComponents(app, { project, instance: name, parameters: { ...current.parameters, ...(patch.parameters ?? {}) }, replicas, env, defaultResources });
      if (patch.refreshImages !== true) keepPinnedImages(rendered.components, current.components);
      await checkHostPorts(trx, rendered.components, current.id);
      for (const guard of this.guards) await guard.check(trx, p, rendered.components, current.id);
      await createMissingVolumes(trx, project, rendered.components);
      const next: InstanceRecord = {
        ...current,
        appVersion: app.version,
        parameters: rendered.parameters,
        replicasOverride: rendered.replicasOverride,
        env,
        components: rendered.components,
        generation: current.generation + 1,
        updatedAt: new Date().toISOString(),
      };
      await trx.instances.updateDesired(next);
      return { before: current, after: next };
    });
    const scaled = before.components.map((c, i) => ({ name: c.name, from: c.replicas, to: after.components[i]?.replicas })).filter((c) => c.from !== c.to);
    const onlyScaled = patch.parameters === undefined && patch.env === undefined && patch.refreshImages !== true;
    if (scaled.length > 0) await this.events.record('instance.scaled', { project, instance: name, message: `instance ${name} scaled: ${scaled.map((s) => `${s.name} ${s.from}→${s.to}`).join(', ')}`, data: { components: scaled } });
    if (!onlyScaled) await this.events.record('instance.updated', { project, instance: name, message: `instance ${name} updated (generation ${after.generation})`, data: { generation: after.generation } });
    this.queue.enqueue(after.id);
    return toInstanceView(after);
  }

  async setRunState(project: string, name: string, action: 'start' | 'stop' | 'restart'): Promise<Instance> {
    const next = await this.store.transaction(async (trx) => {
      const current = await this.requireLive(project, name, trx);
      const changed: InstanceRecord = {
        ...current,
        desiredState: action === 'stop' ? 'stopped' : 'running',
        restartNonce: action === 'restart' ? current.restartNonce + 1 : current.restartNonce,
        generation: current.generation + 1,
        updatedAt: new Date().toISOString(),
      };
      await trx.instances.updateDesired(changed);
      return changed;
    });
    const type = action === 'start' ? 'instance.started' : action === 'stop' ? 'instance.stopped' : 'instance.restarted';
    await this.events.record(type, { project, instance: name, message: `instance ${name}: ${action} requested` });
    this.queue.enqueue(next.id);
    return toInstanceView(next);
  }

  /** Marks the instance for deletion; the reconciler removes its containers and then the record. */
  async delete(project: string, name: string): Promise<Instance> {
    const next = await this.store.transaction(async (trx) => {
      const current = await this.require(project, name, trx);
      const changed: InstanceRecord = { ...current, deleting: true, phase: 'deleting', reason: 'deletion requested', updatedAt: new Date().toISOString() };
      await trx.instances.updateDesired(changed);
      return changed;
    });
    this.queue.enqueue(next.id);
    return toInstanceView(next);
  }

  private async requireLive(project: string, name: string, store: Store): Promise<InstanceRecord> {
    const instance = await this.require(project, name, store);
    if (instance.deleting) throw new DomainError('INSTANCE_NOT_FOUND', `instance ${name} is being deleted`);
    return instance;
  }
}

function mergeReplicas(current: Record<string, number> | null, patch: number | Record<string, number>, components: string[]): number | Record<string, number> {
  if (typeof patch === 'number') return patch;
  const unknown = Object.keys(patch).filter((c) => !components.includes(c));
  if (unknown.length > 0) throw new DomainError('REPLICAS_INVALID', `no component ${unknown.join(', ')}`);
  return { ...(current ?? {}), ...patch };
}

/** Refuses a fixed host port that another live instance already claims. */
async function checkHostPorts(store: Store, components: RenderedComponent[], selfId: string | undefined): Promise<void> {
  const wanted = new Set(hostPortsOf(components));
  if (wanted.size === 0) return;
  for (const other of await store.instances.list()) {
    if (other.id === selfId || other.deleting) continue;
    const clash = hostPortsOf(other.components).find((p) => wanted.has(p));
    if (clash) throw new DomainError('PORT_CONFLICT', `host port ${clash} is already used by instance ${other.name} in project ${other.project}`, { port: clash, project: other.project, instance: other.name });
  }
}

async function createMissingVolumes(store: Store, project: string, components: RenderedComponent[]): Promise<void> {
  const names = new Set(components.flatMap((c) => c.volumes.map((v) => v.volume)));
  for (const name of names) {
    if (!(await store.volumes.get(project, name))) await store.volumes.insert({ project, name, createdAt: new Date().toISOString(), sizeBytes: null });
  }
}

/** A component that still names the same image keeps the image id it is pinned to: a re-render is no upgrade. */
function keepPinnedImages(next: RenderedComponent[], current: RenderedComponent[]): void {
  for (const c of next) {
    const before = current.find((b) => b.name === c.name && b.image === c.image);
    if (before?.imageId !== undefined) c.imageId = before.imageId;
  }
}

export function toInstanceView(i: InstanceRecord): Instance {
  return {
    project: i.project,
    name: i.name,
    app: i.app,
    appVersion: i.appVersion,
    parameters: i.parameters,
    env: i.env,
    desiredState: i.desiredState,
    phase: i.deleting ? 'deleting' : i.phase,
    reason: i.reason,
    generation: i.generation,
    observedGeneration: i.observedGeneration,
    components: i.components.map((c) => ({
      name: c.name,
      image: c.image,
      imageId: c.imageId ?? null,
      desiredReplicas: i.desiredState === 'stopped' ? 0 : c.replicas,
      readyReplicas: i.replicas.filter((r) => r.component === c.name && r.current && r.state === 'running' && r.health !== 'unhealthy' && r.health !== 'starting').length,
    })),
    replicas: i.replicas,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    observedAt: i.observedAt,
  };
}
