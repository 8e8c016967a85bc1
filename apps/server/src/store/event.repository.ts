import type { Kysely } from 'kysely';
import type { EventType } from '@gureum/contract';
import type { EventRecord } from '../domain/core/records.js';
import { ofProject, projectIdOf } from './project-key.js';
import type { Database } from './tables.js';

export interface EventFilter {
  project?: string;
  instance?: string;
  type?: string;
  afterId?: number;
  /** Only events of these projects (events of no project are left out too)... */
  projects?: string[];
  /** ...and, with `projects`, the events private to this user id (its tokens). */
  privateTo?: string;
  sinceTime?: string;
  limit: number;
}

export class EventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** `privateTo`: the user id the event belongs to, when only that user (and admins) may see it. */
  async insert(e: Omit<EventRecord, 'id'>, privateTo: string | null = null): Promise<EventRecord> {
    const row = await this.db
      .insertInto('events')
      .values({
        time: e.time,
        type: e.type,
        project: e.project,
        project_id: projectIdOf(e.project),
        instance: e.instance,
        message: e.message,
        data: JSON.stringify(e.data),
        private_to: privateTo,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...e, id: Number(row.id) };
  }

  async list(filter: EventFilter): Promise<EventRecord[]> {
    let query = this.db.selectFrom('events').select(['id', 'time', 'type', 'project', 'instance', 'message', 'data']);
    if (filter.project !== undefined) {
      const project = filter.project;
      query = query.where(ofProject(project));
    }
    if (filter.instance !== undefined) query = query.where('instance', '=', filter.instance);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.projects !== undefined) {
      const projects = filter.projects;
      const privateTo = filter.privateTo;
      query = query.where((eb) =>
        eb.or([
          ...(projects.length > 0 ? [eb('project_id', 'in', eb.selectFrom('projects').select('projects.id').where('name', 'in', projects))] : []),
          ...(privateTo !== undefined ? [eb('private_to', '=', privateTo)] : []),
          eb.lit(false),
        ]),
      );
    }
    if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
    if (filter.sinceTime !== undefined) query = query.where('time', '>=', filter.sinceTime);
    const rows = await query.orderBy('id').limit(filter.limit).execute();
    return rows.map((r) => ({ id: Number(r.id), time: r.time, type: r.type as EventType, project: r.project, instance: r.instance, message: r.message, data: JSON.parse(r.data) as Record<string, unknown> }));
  }
}
