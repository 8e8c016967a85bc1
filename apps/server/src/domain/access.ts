import { isWrite, ROLES, type ProjectRole, type RouteSpec } from '@gureum/contract';
import { DomainError } from './errors.js';

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
}

export function scopeOf(p: Principal): Scope {
  const limit = p.token?.projects ?? null;
  if (p.isAdmin) return { all: limit === null, projects: new Set(limit ?? []), isAdmin: true };
  const mine = [...p.roles.keys()].filter((project) => limit === null || limit.includes(project));
  return { all: false, projects: new Set(mine), isAdmin: false };
}

export function canSee(scope: Scope, project: string): boolean {
  return scope.all || scope.projects.has(project);
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
