import type { App, AppCreate, AppUpdate } from '@gureum/contract';
import type { Store } from '../store/store.js';
import { DomainError } from './errors.js';
import type { EventService } from './event.service.js';
import type { AppRecord } from './records.js';
import { validateApp } from './render.js';

export class AppService {
  constructor(
    private readonly store: Store,
    private readonly events: EventService,
  ) {}

  async list(): Promise<App[]> {
    return this.store.apps.list();
  }

  async get(name: string): Promise<App> {
    return this.require(name);
  }

  async require(name: string, store: Store = this.store): Promise<AppRecord> {
    const app = await store.apps.get(name);
    if (!app) throw new DomainError('APP_NOT_FOUND', `app ${name} is not in the catalog`);
    return app;
  }

  async create(input: AppCreate): Promise<App> {
    validateApp(input);
    const now = new Date().toISOString();
    const record: AppRecord = {
      name: input.name,
      title: input.title ?? input.name,
      description: input.description ?? '',
      parameters: input.parameters,
      components: input.components,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.transaction(async (trx) => {
      if (await trx.apps.get(input.name)) throw new DomainError('APP_EXISTS', `app ${input.name} already exists`);
      await trx.apps.insert(record);
    });
    await this.events.record('app.created', { message: `app ${record.name} registered`, data: { app: record.name } });
    return record;
  }

  /** Replaces the definition; running instances keep theirs until they are changed. */
  async update(name: string, input: AppUpdate): Promise<App> {
    validateApp(input);
    const record = await this.store.transaction(async (trx) => {
      const current = await this.require(name, trx);
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
    await this.events.record('app.updated', { message: `app ${name} updated to version ${record.version}`, data: { app: name, version: record.version } });
    return record;
  }

  async delete(name: string): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.require(name, trx);
      const users = await trx.instances.countByApp(name);
      if (users > 0) throw new DomainError('APP_IN_USE', `app ${name} is used by ${users} instance(s)`);
      await trx.apps.delete(name);
    });
    await this.events.record('app.deleted', { message: `app ${name} deleted`, data: { app: name } });
  }
}
