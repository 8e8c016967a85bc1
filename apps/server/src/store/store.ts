import type { Kysely } from 'kysely';
import { AlertRepository } from './alert.repository.js';
import { AppRepository } from './app.repository.js';
import { AuditRepository } from './audit.repository.js';
import { AutoscaleRepository } from './autoscale.repository.js';
import { EventRepository } from './event.repository.js';
import { InstanceRepository } from './instance.repository.js';
import { ProjectRepository } from './project.repository.js';
import { SecretRepository } from './secret.repository.js';
import { SettingsRepository } from './settings.repository.js';
import type { Database } from './tables.js';
import { UserRepository } from './user.repository.js';
import { VolumeRepository } from './volume.repository.js';

/** All repositories over one connection (or one transaction). */
export class Store {
  readonly projects: ProjectRepository;
  readonly apps: AppRepository;
  readonly instances: InstanceRepository;
  readonly volumes: VolumeRepository;
  readonly events: EventRepository;
  readonly users: UserRepository;
  readonly audit: AuditRepository;
  readonly secrets: SecretRepository;
  readonly alerts: AlertRepository;
  readonly autoscale: AutoscaleRepository;
  readonly settings: SettingsRepository;

  constructor(private readonly db: Kysely<Database>) {
    this.projects = new ProjectRepository(db);
    this.apps = new AppRepository(db);
    this.instances = new InstanceRepository(db);
    this.volumes = new VolumeRepository(db);
    this.events = new EventRepository(db);
    this.users = new UserRepository(db);
    this.audit = new AuditRepository(db);
    this.secrets = new SecretRepository(db);
    this.alerts = new AlertRepository(db);
    this.autoscale = new AutoscaleRepository(db);
    this.settings = new SettingsRepository(db);
  }

  /** Runs fn in one transaction: all of its writes land, or none. */
  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new Store(trx)));
  }

  async ping(): Promise<void> {
    await this.db.selectFrom('schema_migrations').select('id').limit(1).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
