import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Rows (events, audit entries) of the project named `project`: while it exists, those written
 * under its id, so a project re-created under a deleted one's name sees nothing of the old
 * one; once no project has the name, those written under it (the admin's view of the history).
 */
export function ofProject(project: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(project_id = (SELECT id FROM projects WHERE name = ${project}) OR (project = ${project} AND NOT EXISTS (SELECT 1 FROM projects WHERE name = ${project})))`;
}

/** The id of the project named `project` now, as a value to write (null when there is none). */
export function projectIdOf(project: string | null): RawBuilder<string | null> | null {
  return project === null ? null : sql<string | null>`(SELECT id FROM projects WHERE name = ${project})`;
}
