import { isWrite, ROLES, type ProjectRole, type RouteSpec } from '@gureum/contract';
import { DomainError } from '../core/errors.js';

/** Who is calling, and through what. */
export interface Principal {
  userId: string;
  userName: string;
  isAdmin: boolean;
  via: 'token' | 'session';
  token: { id: string; name: string; readOnly: boolean; projects: string[] | null; expiresAt: string | null } | null;
  /** The session's CSRF secret, for cookie-authenticated writes. */
  csrf: string | null;
  roles: Map<string, ProjectRole>;
}

/** What a principal may see: every project (admin) or some, narrowed by a project-limited token. */
export interface Scope {
  all: boolean;
  projects: Set<string>;
  isAdmin: boolean;
  /**
   * The user whose private events (its tokens) this scope sees, or null: a project-limited
   * token sees none, as it lists only some of its user's tokens.
   */
  userId: string | null;
}

export function scopeOf(p: Principal): Scope {
  const limit = p.token?.projects ?? null;
  const userId = limit === null ? p.userId : null;
  if (p.isAdmin) return { all: limit === null, projects: new Set(limit ?? []), isAdmin: true, userId };
  const mine = [...p.roles.keys()].filter((project) => limit === null || limit.includes(project));
  return { all: false, projects: new Set(mine), isAdmin: false, userId };
}

export function canSee(scope: Scope, project: string): boolean {
  return scope.all || scope.projects.has(project);
}

/** Whether an event (of a project, or private to a user id, or neither: the admin's) is visible in a scope. */
export function canSeeEvent(scope: Scope, project: string | null, privateTo: string | null): boolean {
  return scope.all || (project !== null && scope.projects.has(project)) || (privateTo !== null && privateTo === scope.userId);
}

/**
 * The scope of a long-lived reader (an event stream) after a membership change of its own
 * user: a project joined is seen from then on, a project left no more. A project-limited
 * token never grows past its limit; an admin's scope does not hang on memberships.
 */
export function rescope(scope: Scope, p: Principal, event: { type: string; project: string | null; data: Record<string, unknown> }): Scope {
  if (scope.isAdmin || event.project === null || event.data.user !== p.userName) return scope;
  const limit = p.token?.projects ?? null;
  const projects = new Set(scope.projects);
  if (event.type === 'member.removed') projects.delete(event.project);
  else if ((event.type === 'member.added' || event.type === 'member.updated') && (limit === null || limit.includes(event.project))) projects.add(event.project);
  else return scope;
  return { ...scope, projects };
}

export function roleRank(role: ProjectRole): number {
  return ROLES.indexOf(role);
}

/** The role a principal holds in a project (admins act as owners), or null. */
export function roleIn(p: Principal, project: string): ProjectRole | null {
  if (p.token?.projects && !p.token.projects.includes(project)) return null;
  if (p.isAdmin) return 'owner';
  return p.roles.get(project) ?? null;
}

/**
 * The one authorization decision for a route: throws the refusal, or returns. A project the
 * caller cannot reach is reported as not existing, so its existence is not revealed.
 */
export function authorize(route: Pick<RouteSpec, 'access' | 'method' | 'stream'>, p: Principal, params: Record<string, unknown>): void {
  const access = route.access;
  if (access.kind === 'public') return;
  if (p.token?.readOnly && isWrite(route)) throw new DomainError('READ_ONLY_TOKEN', 'this token is read-only');
  const project = typeof params.project === 'string' ? params.project : undefined;
  if (project !== undefined && p.token?.projects && !p.token.projects.includes(project)) {
    throw new DomainError('PROJECT_NOT_FOUND', `project ${project} does not exist`);
  }
  switch (access.kind) {
    case 'user':
      return;
    case 'admin':
      if (!p.isAdmin) throw new DomainError('FORBIDDEN', 'only an administrator may do this');
      // A token limited to projects administers those projects at most, never the whole installation.
      if (p.token?.projects && project === undefined) throw new DomainError('FORBIDDEN', 'a project-limited token cannot administer Gureum as a whole');
      return;
    case 'project': {
      // A project route always names its project; without one nobody, the admin included, passes.
      const role = project === undefined ? null : roleIn(p, project);
      if (role === null) throw new DomainError('PROJECT_NOT_FOUND', `project ${project} does not exist`);
      if (roleRank(role) < roleRank(access.role)) throw new DomainError('FORBIDDEN', `this needs the ${access.role} role in project ${project}; you are ${role}`);
      return;
    }
  }
}
