import type { Volume } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { ProjectService } from '../identity/project.service.js';
import type { QuotaService } from '../governance/quota.service.js';
import type { InstanceRecord, VolumeRecord } from '../core/records.js';
import type { Runtime } from '../core/runtime.js';
import type { VolumeUsage } from './volume-usage.js';

export class VolumeService {
  constructor(
    private readonly store: Store,
    private readonly projects: ProjectService,
    private readonly runtime: Runtime,
    private readonly events: EventService,
    private readonly quotas: QuotaService,
    private readonly usage: VolumeUsage,
  ) {}

  async list(project: string): Promise<Volume[]> {
    await this.projects.require(project);
    const [volumes, instances] = await Promise.all([this.store.volumes.list(project), this.store.instances.list({ project }), this.usage.refresh()]);
    return volumes.map((v) => toView(v, instances, this.usage.usedBytes(project, v.name)));
  }

  async get(project: string, name: string): Promise<Volume> {
    await this.projects.require(project);
    const volume = await this.store.volumes.get(project, name);
    if (!volume) throw new DomainError('VOLUME_NOT_FOUND', `volume ${name} does not exist in project ${project}`);
    await this.usage.refresh();
    return toView(volume, await this.store.instances.list({ project }), this.usage.usedBytes(project, name));
  }

  /** Records the volume; the engine volume is made by the reconciler when a replica mounts it. */
  async create(project: string, name: string, sizeBytes: number | null): Promise<Volume> {
    const record: VolumeRecord = { project, name, createdAt: new Date().toISOString(), sizeBytes };
    await this.store.transaction(async (trx) => {
      const p = await this.projects.require(project, trx);
      if (p.deleting) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} is being deleted`);
      if (await trx.volumes.get(project, name)) throw new DomainError('VOLUME_EXISTS', `volume ${name} already exists in project ${project}`);
      await this.quotas.checkVolume(trx, p, sizeBytes);
      await trx.volumes.insert(record);
    });
    await this.events.record('volume.created', { project, message: `volume ${name} created`, data: { volume: name } });
    return toView(record, [], null);
  }

  /**
   * Deletes the data now: the engine volume first (503 and nothing changed if the engine is
   * down), then the record, so a volume re-created under the same name never sees old data.
   */
  /** What the project's volumes really hold, against what they declared. */
  async measured(project: string): Promise<{ volumeBytes: number; volumesOverSize: string[] }> {
    await this.usage.refresh();
    const volumes = await this.store.volumes.list(project);
    const used = volumes.map((v) => ({ v, bytes: this.usage.usedBytes(project, v.name) }));
    return {
      volumeBytes: used.reduce((n, u) => n + (u.bytes ?? 0), 0),
      volumesOverSize: used.filter((u) => u.v.sizeBytes !== null && u.bytes !== null && u.bytes > u.v.sizeBytes).map((u) => u.v.name),
    };
  }

  async delete(project: string, name: string): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.projects.require(project, trx);
      if (!(await trx.volumes.get(project, name))) throw new DomainError('VOLUME_NOT_FOUND', `volume ${name} does not exist in project ${project}`);
      const users = usersOf(name, await trx.instances.list({ project }));
      if (users.length > 0) throw new DomainError('VOLUME_IN_USE', `volume ${name} is mounted by instance(s) ${users.join(', ')}`, { instances: users });
      await this.runtime.removeVolume(project, name);
      await trx.volumes.delete(project, name);
    });
    this.usage.forget(project, name);
    await this.events.record('volume.deleted', { project, message: `volume ${name} deleted`, data: { volume: name } });
  }
}

function usersOf(volume: string, instances: InstanceRecord[]): string[] {
  return instances.filter((i) => i.components.some((c) => c.volumes.some((v) => v.volume === volume))).map((i) => i.name);
}

function toView(v: VolumeRecord, instances: InstanceRecord[], usedBytes: number | null): Volume {
  return { project: v.project, name: v.name, createdAt: v.createdAt, sizeBytes: v.sizeBytes, usedBytes, usedBy: usersOf(v.name, instances) };
}
