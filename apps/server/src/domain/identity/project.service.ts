import type { Project, ProjectCreate } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { canSee, type Principal, type Scope } from './access.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { ProjectRecord } from '../core/records.js';
import type { ReconcileQueue } from '../core/reconcile-queue.js';
import type { SettingsService } from '../governance/settings.service.js';

export class ProjectService {
  constructor(
    private readonly store: Store,
    private readonly events: EventService,
    private readonly queue: ReconcileQueue,
    private readonly settings: SettingsService,
  ) {}

  async list(scope: Scope): Promise<Project[]> {
    const [projects, counts] = await Promise.all([this.store.projects.list(), this.store.projects.counts()]);
    return projects.filter((p) => canSee(scope, p.name)).map((p) => toView(p, counts.get(p.name), this.queue));
  }

  async get(name: string): Promise<Project> {
    const project = await this.require(name);
    return toView(project, (await this.store.projects.counts()).get(name), this.queue);
  }

  async require(name: string, store: Store = this.store): Promise<ProjectRecord> {
    const project = await store.projects.get(name);
    if (!project) throw new DomainError('PROJECT_NOT_FOUND', `project ${name} does not exist`);
    return project;
  }

  /** The creator becomes the project's first owner; the project starts with the settings' default quota. */
  async create(input: ProjectCreate, creator: Principal): Promise<Project> {
    if (creator.token?.projects) throw new DomainError('FORBIDDEN', 'a project-limited token cannot create projects');
    const record: ProjectRecord = { name: input.name, description: input.description ?? '', deleting: false, createdAt: new Date().toISOString(), quota: {}, policy: {} };
    await this.store.transaction(async (trx) => {
      const settings = await this.settings.get(trx);
      if (settings.projectCreation === 'admins' && !creator.isAdmin) {
        throw new DomainError('FORBIDDEN', 'on this installation only administrators create projects: ask one to create it and add you (settings: projectCreation)');
      }
      record.quota = { ...settings.defaultQuota };
      const existing = await trx.projects.get(input.name);
      if (existing) throw new DomainError('PROJECT_EXISTS', existing.deleting ? `project ${input.name} is being deleted` : `project ${input.name} already exists`);
      await trx.projects.insert(record);
      await trx.users.putMembership({ project: record.name, userId: creator.userId, role: 'owner', addedAt: record.createdAt });
    });
    await this.events.record('project.created', { project: record.name, message: `project ${record.name} created` });
    return toView(record, undefined, this.queue);
  }

  /**
   * An empty project goes at once; with force, its instances and volumes are deleted by the
   * reconciler, which removes the project when the last of them is gone.
   */
  async delete(name: string, force: boolean): Promise<void> {
    const instanceIds = await this.store.transaction(async (trx) => {
      await this.require(name, trx);
      const instances = await trx.instances.list({ project: name });
      const volumes = await trx.volumes.list(name);
      if (!force && (instances.length > 0 || volumes.length > 0)) {
        throw new DomainError('PROJECT_NOT_EMPTY', `project ${name} has ${instances.length} instance(s) and ${volumes.length} volume(s); delete them first or use force=true`, {
          instances: instances.map((i) => i.name),
          volumes: volumes.map((v) => v.name),
        });
      }
      await trx.projects.markDeleting(name);
      for (const instance of instances) {
        if (!instance.deleting) await trx.instances.updateDesired({ ...instance, deleting: true, phase: 'deleting', reason: 'project deleted', updatedAt: new Date().toISOString() });
      }
      return instances.map((i) => i.id);
    });
    for (const id of instanceIds) this.queue.enqueue(id);
    this.queue.enqueueProject(name);
  }
}

function toView(p: ProjectRecord, counts: { instances: number; volumes: number } | undefined, queue: ReconcileQueue): Project {
  return {
    name: p.name,
    description: p.description,
    createdAt: p.createdAt,
    instanceCount: counts?.instances ?? 0,
    volumeCount: counts?.volumes ?? 0,
    deleting: p.deleting,
    deletionProblem: p.deleting ? queue.deletionProblem(p.name) : null,
  };
}
