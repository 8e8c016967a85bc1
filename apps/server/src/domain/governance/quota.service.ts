import type { Quota } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { DomainError } from '../core/errors.js';
import type { LaunchGuard } from '../instances/launch-guard.js';
import type { InstanceRecord, ProjectRecord, RenderedComponent } from '../core/records.js';

type Used = { instances: number; replicas: number; cpus: number; memoryBytes: number; volumes: number; volumeBytes: number };
const KEYS = ['instances', 'replicas', 'cpus', 'memoryBytes', 'volumes', 'volumeBytes'] as const;

export function fullQuota(q: Partial<Quota>): Quota {
  return Object.fromEntries(KEYS.map((k) => [k, q[k] ?? null])) as Quota;
}

function instanceUse(components: RenderedComponent[]): Pick<Used, 'replicas' | 'cpus' | 'memoryBytes'> & { unlimitedCpu: boolean; unlimitedMemory: boolean } {
  let replicas = 0;
  let cpus = 0;
  let memoryBytes = 0;
  let unlimitedCpu = false;
  let unlimitedMemory = false;
  for (const c of components) {
    replicas += c.replicas;
    if (c.replicas > 0 && c.cpus === undefined) unlimitedCpu = true;
    if (c.replicas > 0 && c.memoryBytes === undefined) unlimitedMemory = true;
    cpus += (c.cpus ?? 0) * c.replicas;
    memoryBytes += (c.memoryBytes ?? 0) * c.replicas;
  }
  return { replicas, cpus, memoryBytes, unlimitedCpu, unlimitedMemory };
}

/**
 * Quotas per project. Checked inside the same transaction that writes, so concurrent
 * requests cannot together pass a limit (the store serialises write transactions).
 */
export class QuotaService implements LaunchGuard {
  constructor(private readonly store: Store) {}

  async usage(project: string, store: Store = this.store, except?: string): Promise<Used> {
    const instances = (await store.instances.list({ project })).filter((i: InstanceRecord) => !i.deleting && i.id !== except);
    const volumes = await store.volumes.list(project);
    const used: Used = { instances: instances.length, replicas: 0, cpus: 0, memoryBytes: 0, volumes: volumes.length, volumeBytes: volumes.reduce((n, v) => n + (v.sizeBytes ?? 0), 0) };
    for (const i of instances) {
      const u = instanceUse(i.components);
      used.replicas += u.replicas;
      used.cpus += u.cpus;
      used.memoryBytes += u.memoryBytes;
    }
    return used;
  }

  async check(store: Store, project: ProjectRecord, components: RenderedComponent[], selfId: string | undefined): Promise<void> {
    const quota = fullQuota(project.quota);
    if (KEYS.every((k) => quota[k] === null)) return;
    const used = await this.usage(project.name, store, selfId);
    const wanted = instanceUse(components);
    if (quota.cpus !== null && wanted.unlimitedCpu) throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} has a CPU quota: every component must set resources.cpus`, { limit: 'cpus' });
    if (quota.memoryBytes !== null && wanted.unlimitedMemory) throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} has a memory quota: every component must set resources.memoryBytes`, { limit: 'memoryBytes' });
    await this.checkImplicitVolumes(store, project, quota, used, components);
    const after = { instances: used.instances + 1, replicas: used.replicas + wanted.replicas, cpus: used.cpus + wanted.cpus, memoryBytes: used.memoryBytes + wanted.memoryBytes };
    for (const key of ['instances', 'replicas', 'cpus', 'memoryBytes'] as const) {
      const limit = quota[key];
      if (limit !== null && after[key] > limit + 1e-9) {
        throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} would use ${round(after[key])} ${key} of its quota of ${limit}`, { limit: key, quota: limit, wouldUse: round(after[key]) });
      }
    }
  }

  /**
   * A launch creates the volumes its components mount that do not exist yet: they count
   * against the volume quota like volumes created by hand. They have no declared size, so
   * under a size quota they must be created first, with one.
   */
  private async checkImplicitVolumes(store: Store, project: ProjectRecord, quota: Quota, used: Used, components: RenderedComponent[]): Promise<void> {
    if (quota.volumes === null && quota.volumeBytes === null) return;
    const created: string[] = [];
    for (const name of new Set(components.flatMap((c) => c.volumes.map((v) => v.volume)))) {
      if (!(await store.volumes.get(project.name, name))) created.push(name);
    }
    if (created.length === 0) return;
    if (quota.volumes !== null && used.volumes + created.length > quota.volumes) {
      throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} would have ${used.volumes + created.length} volumes (new: ${created.join(', ')}) of its quota of ${quota.volumes}`, { limit: 'volumes', quota: quota.volumes, wouldUse: used.volumes + created.length });
    }
    if (quota.volumeBytes !== null) {
      throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} has a volume size quota: create volume(s) ${created.join(', ')} first, with a sizeBytes`, { limit: 'volumeBytes', quota: quota.volumeBytes });
    }
  }

  /** For volume creation: count and declared size. */
  async checkVolume(store: Store, project: ProjectRecord, sizeBytes: number | null): Promise<void> {
    const quota = fullQuota(project.quota);
    if (quota.volumes === null && quota.volumeBytes === null) return;
    const used = await this.usage(project.name, store);
    if (quota.volumes !== null && used.volumes + 1 > quota.volumes) {
      throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} already has ${used.volumes} of its ${quota.volumes} volumes`, { limit: 'volumes', quota: quota.volumes });
    }
    if (quota.volumeBytes !== null) {
      if (sizeBytes === null) throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} has a volume size quota: give the volume a sizeBytes`, { limit: 'volumeBytes' });
      if (used.volumeBytes + sizeBytes > quota.volumeBytes) {
        throw new DomainError('QUOTA_EXCEEDED', `project ${project.name} would use ${used.volumeBytes + sizeBytes} volume bytes of its quota of ${quota.volumeBytes}`, { limit: 'volumeBytes', quota: quota.volumeBytes });
      }
    }
  }

  async setQuota(project: string, patch: Partial<Quota>): Promise<Quota> {
    return this.store.transaction(async (trx) => {
      const p = await trx.projects.get(project);
      if (!p) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} does not exist`);
      const next = { ...p.quota, ...patch };
      await trx.projects.setQuota(project, next);
      return fullQuota(next);
    });
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
