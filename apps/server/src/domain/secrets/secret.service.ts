import path from 'node:path';
import type { Secret } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { LaunchGuard } from '../instances/launch-guard.js';
import type { ProjectService } from '../identity/project.service.js';
import type { ProjectRecord, RenderedComponent, SecretRecord } from '../core/records.js';
import type { ReconcileQueue } from '../core/reconcile-queue.js';
import type { SecretBox } from '../core/secret-box.js';

/** A secret in clear, for the reconciler (replica env and files) and for masking logs. */
export interface OpenedSecret {
  version: number;
  value: string;
}

/** What the reconciler and the logs stream read of secrets. */
export interface SecretSource {
  /** The named secrets of a project that exist (a missing name is absent from the map). */
  read(project: string, names: readonly string[]): Promise<Map<string, OpenedSecret>>;
  /** Every value of a project's secrets, for masking. */
  values(project: string): Promise<string[]>;
}

function contextOf(project: string, name: string): string {
  return `${project}/${name}`;
}

function toView(s: SecretRecord): Secret {
  return { project: s.project, name: s.name, version: s.version, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

/** The secret names an instance's components use. */
export function secretsUsed(components: readonly RenderedComponent[]): Set<string> {
  return new Set(components.flatMap((c) => (c.secrets ?? []).map((s) => s.secret)));
}

/** Opens sealed secrets from the store (for the reconciler and for masking). */
export class SecretReader implements SecretSource {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  async read(project: string, names: readonly string[]): Promise<Map<string, OpenedSecret>> {
    const opened = new Map<string, OpenedSecret>();
    for (const name of new Set(names)) {
      const record = await this.store.secrets.get(project, name);
      if (record) opened.set(name, { version: record.version, value: this.box.open(record.ciphertext, contextOf(project, name)) });
    }
    return opened;
  }

  async values(project: string): Promise<string[]> {
    return (await this.store.secrets.list(project)).map((r) => this.box.open(r.ciphertext, contextOf(r.project, r.name)));
  }
}

/**
 * Project secrets: written, listed by name and version, deleted; never answered in clear.
 * Values are sealed by the SecretBox before they reach the store.
 */
export class SecretService {
  private readonly reader: SecretReader;

  constructor(
    private readonly store: Store,
    private readonly projects: ProjectService,
    private readonly box: SecretBox,
    private readonly events: EventService,
    private readonly queue: ReconcileQueue,
  ) {
    this.reader = new SecretReader(store, box);
  }

  async list(project: string): Promise<Secret[]> {
    await this.projects.require(project);
    return (await this.store.secrets.list(project)).map(toView);
  }

  /** Creates or replaces a secret; the instances that use it roll onto the new version. */
  async put(project: string, name: string, value: string): Promise<Secret> {
    const { record, users } = await this.store.transaction(async (trx) => {
      const p = await this.projects.require(project, trx);
      if (p.deleting) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} is being deleted`);
      const existing = await trx.secrets.get(project, name);
      const now = new Date().toISOString();
      const record: SecretRecord = {
        project,
        name,
        ciphertext: this.box.seal(value, contextOf(project, name)),
        version: (existing?.version ?? 0) + 1,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await trx.secrets.upsert(record);
      const users = (await trx.instances.list({ project })).filter((i) => !i.deleting && secretsUsed(i.components).has(name));
      return { record, users };
    });
    await this.events.record('secret.updated', {
      project,
      message: `secret ${name} of project ${project} ${record.version === 1 ? 'created' : `replaced (version ${record.version})`}`,
      data: { secret: name, version: record.version, instances: users.map((i) => i.name) },
    });
    for (const i of users) this.queue.enqueue(i.id);
    return toView(record);
  }

  /** Refuses SECRET_IN_USE while an instance (not being deleted) uses it. */
  async delete(project: string, name: string): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.projects.require(project, trx);
      if (!(await trx.secrets.get(project, name))) throw new DomainError('SECRET_NOT_FOUND', `secret ${name} does not exist in project ${project}`);
      const users = (await trx.instances.list({ project })).filter((i) => !i.deleting && secretsUsed(i.components).has(name)).map((i) => i.name);
      if (users.length > 0) throw new DomainError('SECRET_IN_USE', `secret ${name} is used by instance(s) ${users.join(', ')}`, { instances: users });
      await trx.secrets.delete(project, name);
    });
    await this.events.record('secret.deleted', { project, message: `secret ${name} of project ${project} deleted`, data: { secret: name } });
  }

  /** Every value of the project's secrets, for masking logs. */
  values(project: string): Promise<string[]> {
    return this.reader.values(project);
  }
}

/**
 * Refuses a launch or change whose components name a secret the project does not have, or
 * use secrets in ways that cannot work (two secrets as one variable or one file, a file at a
 * directory, a file inside a mounted volume, where it would outlive the replica).
 */
export class SecretsGuard implements LaunchGuard {
  async check(store: Store, project: ProjectRecord, components: RenderedComponent[]): Promise<void> {
    const problems: string[] = [];
    for (const c of components) {
      const envs = new Set<string>();
      const files = new Set<string>();
      const mounts = [...c.volumes, ...(c.hostMounts ?? [])].map((m) => path.posix.normalize(m.mountPath).replace(/\/+$/, ''));
      for (const use of c.secrets ?? []) {
        if (use.env !== undefined) {
          if (envs.has(use.env)) problems.push(`component ${c.name}: two secrets set variable ${use.env}`);
          envs.add(use.env);
        }
        if (use.path !== undefined) {
          const file = path.posix.normalize(use.path);
          if (file === '/' || use.path.endsWith('/')) problems.push(`component ${c.name}: secret ${use.secret} needs a file path, not a directory (${use.path})`);
          else if (files.has(file)) problems.push(`component ${c.name}: two secrets are written to ${file}`);
          else if (mounts.some((m) => m === '' || file === m || file.startsWith(m + '/'))) problems.push(`component ${c.name}: secret file ${file} would be written into a mounted volume`);
          files.add(file);
        }
      }
    }
    if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', `invalid use of secrets: ${problems.join('; ')}`, { problems });
    const names = [...secretsUsed(components)];
    const missing: string[] = [];
    for (const name of names) if (!(await store.secrets.get(project.name, name))) missing.push(name);
    if (missing.length > 0) {
      throw new DomainError('SECRET_NOT_FOUND', `project ${project.name} has no secret ${missing.join(', ')}: create it first (PUT /api/v1/projects/${project.name}/secrets/${missing[0]})`, { secrets: missing });
    }
  }
}
