import type { App, AppCreate, AppUpdate } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { canSee, roleIn, roleRank, scopeOf, type Principal, type Scope } from '../identity/access.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { AppRecord } from '../core/records.js';
import { validateApp } from './render.js';

export class AppService {
  constructor(
    private readonly store: Store,
    private readonly events: EventService,
  ) {}

  async list(scope: Scope): Promise<App[]> {
    return (await this.store.apps.list()).filter((a) => a.project === null || canSee(scope, a.project));
  }

  async get(name: string, scope: Scope, store: Store = this.store): Promise<AppRecord> {
    const app = await this.require(name, store);
    if (app.project !== null && !canSee(scope, app.project)) throw notFound(name);
    return app;
  }

  /** Global apps are the admin's; a project's private apps, its members'. */
  private mayWrite(p: Principal, project: string | null): void {
    if (project === null) {
      if (!p.isAdmin || p.token?.projects) throw new DomainError('FORBIDDEN', 'only an administrator may change the global catalog');
      return;
    }
    const role = roleIn(p, project);
    if (role === null) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} does not exist`);
    if (roleRank(role) < roleRank('member')) throw new DomainError('FORBIDDEN', `this needs the member role in project ${project}`);
  }

  async require(name: string, store: Store = this.store): Promise<AppRecord> {
    const app = await store.apps.get(name);
    if (!app) throw notFound(name);
    return app;
  }

  /** The project an app is private to (undefined when global or unknown): what its changes are audited under. */
  async projectOf(name: string): Promise<string | undefined> {
    return (await this.store.apps.get(name))?.project ?? undefined;
  }

  /** An app an instance of `project` may run: global, or private to that project. */
  async requireFor(project: string, name: string, store: Store = this.store): Promise<AppRecord> {
    const app = await this.require(name, store);
    if (app.project !== null && app.project !== project) throw notFound(name);
    return app;
  }

  async create(input: AppCreate, p: Principal): Promise<App> {
    this.mayWrite(p, input.project ?? null);
    validateApp(input);
    const now = new Date().toISOString();
    const record: AppRecord = {
      name: input.name,
      project: input.project ?? null,
      title: input.title ?? input.name,
      description: input.description ?? '',
      parameters: input.parameters,
      components: input.components,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.transaction(async (trx) => {
      if (record.project !== null && !(await trx.projects.get(record.project))) throw new DomainError('PROJECT_NOT_FOUND', `project ${record.project} does not exist`);
      if (await trx.apps.get(input.name)) throw new DomainError('APP_EXISTS', `app ${input.name} already exists`);
      await trx.apps.insert(record);
    });
    await this.events.record('app.created', { project: record.project, message: `app ${record.name} registered`, data: { app: record.name } });
    return record;
  }

  /** Replaces the definition; running instances keep theirs until they are changed. */
  async update(name: string, input: AppUpdate, p: Principal): Promise<App> {
    validateApp(input);
    const record = await this.store.transaction(async (trx) => {
      const current = await this.get(name, scopeOf(p), trx);
      this.mayWrite(p, current.project);
      const next: AppRecord = {
        ...current,
        title: input.title ?? current.title,
        description: input.description ?? current.description,
        parameters: input.parameters,
        components: input.components,
        version: current.version + 1,
        updatedAt: new Date().toISOString(),
      };
      await trx.apps.update(next);
      return next;
    });
    await this.events.record('app.updated', { project: record.project, message: `app ${name} updated to version ${record.version}`, data: { app: name, version: record.version } });
    return record;
  }

  async delete(name: string, p: Principal): Promise<void> {
    const project = await this.store.transaction(async (trx) => {
      const current = await this.get(name, scopeOf(p), trx);
      this.mayWrite(p, current.project);
      const users = await trx.instances.countByApp(name);
      if (users > 0) throw new DomainError('APP_IN_USE', `app ${name} is used by ${users} instance(s)`);
      await trx.apps.delete(name);
      return current.project;
    });
    await this.events.record('app.deleted', { project, message: `app ${name} deleted`, data: { app: name } });
  }
}

function notFound(name: string): DomainError {
  return new DomainError('APP_NOT_FOUND', `app ${name} is not in the catalog`);
}
