import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routes, type ProjectRole, type RouteSpec } from '@gureum/contract';
import { authorize, canSee, canSeeEvent, rescope, roleIn, scopeOf, type Principal } from './access.js';
import { DomainError } from '../core/errors.js';

function principal(o: { admin?: boolean; roles?: Record<string, ProjectRole>; readOnly?: boolean; projects?: string[] | null; via?: 'token' | 'session' } = {}): Principal {
  const via = o.via ?? 'token';
  return {
    userId: 'u1',
    userName: 'ana',
    isAdmin: o.admin ?? false,
    via,
    token: via === 'token' ? { id: 't1', name: 't', readOnly: o.readOnly ?? false, projects: o.projects ?? null, expiresAt: null } : null,
    csrf: via === 'session' ? 'c' : null,
    roles: new Map(Object.entries(o.roles ?? {})),
  };
}

/** The refusal code of authorize, or 'ok'. */
function decide(route: Pick<RouteSpec, 'access' | 'method' | 'stream'>, p: Principal, params: Record<string, unknown> = {}): string {
  try {
    authorize(route, p, params);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof DomainError);
    return err.code;
  }
}

const r = routes;
const inA = { project: 'a' };

describe('authorize', () => {
  it('lets anyone through a public route, whatever the token', () => {
    assert.equal(decide(r.login, principal({ readOnly: true })), 'ok');
    assert.equal(decide(r.healthz, principal({ projects: ['x'] })), 'ok');
  });

  it('orders project roles viewer < member < owner; non-members get 404, never 403', () => {
    const table: [ProjectRole | null, keyof typeof r, string][] = [
      ['viewer', 'getProject', 'ok'],
      ['viewer', 'createInstance', 'FORBIDDEN'],
      ['viewer', 'instanceExec', 'FORBIDDEN'],
      ['member', 'createInstance', 'ok'],
      ['member', 'instanceExec', 'ok'],
      ['member', 'putMember', 'FORBIDDEN'],
      ['member', 'listProjectAudit', 'FORBIDDEN'],
      ['owner', 'putMember', 'ok'],
      ['owner', 'deleteProject', 'ok'],
      [null, 'getProject', 'PROJECT_NOT_FOUND'],
      [null, 'deleteProject', 'PROJECT_NOT_FOUND'],
    ];
    for (const [role, id, expected] of table) {
      const p = principal({ roles: role ? { a: role } : { b: 'owner' } });
      assert.equal(decide(r[id], p, inA), expected, `${role ?? 'non-member'} on ${id}`);
    }
  });

  it('treats the administrator as owner of every project, and alone passes admin routes', () => {
    const admin = principal({ admin: true });
    assert.equal(decide(r.deleteProject, admin, inA), 'ok');
    assert.equal(decide(r.updateQuota, admin, inA), 'ok');
    assert.equal(decide(r.updateQuota, principal({ roles: { a: 'owner' } }), inA), 'FORBIDDEN');
    assert.equal(decide(r.listUsers, principal({ roles: { a: 'owner' } })), 'FORBIDDEN');
  });

  it('refuses every write to a read-only token (exec included), before any role check', () => {
    const ro = principal({ roles: { a: 'owner' }, readOnly: true });
    assert.equal(decide(r.listInstances, ro, inA), 'ok');
    assert.equal(decide(r.instanceLogs, ro, inA), 'ok');
    for (const id of ['createInstance', 'deleteProject', 'instanceExec', 'createToken', 'logout'] as const) assert.equal(decide(r[id], ro, inA), 'READ_ONLY_TOKEN', id);
    assert.equal(decide(r.createUser, principal({ admin: true, readOnly: true })), 'READ_ONLY_TOKEN');
  });

  it('hides the projects outside a project-limited token, even from an administrator', () => {
    const limited = principal({ roles: { a: 'owner', b: 'owner' }, projects: ['b'] });
    assert.equal(decide(r.getProject, limited, inA), 'PROJECT_NOT_FOUND');
    assert.equal(decide(r.getProject, limited, { project: 'b' }), 'ok');
    assert.equal(decide(r.listProjects, limited), 'ok');
    const adminLimited = principal({ admin: true, projects: ['b'] });
    assert.equal(decide(r.getProject, adminLimited, inA), 'PROJECT_NOT_FOUND');
    assert.equal(decide(r.updateQuota, adminLimited, inA), 'PROJECT_NOT_FOUND');
    assert.equal(decide(r.deleteProject, adminLimited, { project: 'b' }), 'ok');
  });

  it('lets an administrator\'s project-limited token administer its projects, not the installation', () => {
    const adminLimited = principal({ admin: true, projects: ['b'] });
    assert.equal(decide(r.updateQuota, adminLimited, { project: 'b' }), 'ok');
    for (const id of ['listUsers', 'createUser', 'listAudit', 'deleteImage'] as const) assert.equal(decide(r[id], adminLimited, id === 'deleteImage' ? { id: 'x' } : {}), 'FORBIDDEN', id);
  });

  it('needs a project in the path for every project route of the table', () => {
    for (const [id, route] of Object.entries(routes)) {
      if (route.access.kind === 'project') assert.match(route.path, /:project(\/|$)/, `${id} has access project but no :project`);
    }
    assert.equal(decide({ access: { kind: 'project', role: 'viewer' }, method: 'GET' }, principal({ admin: true }), {}), 'PROJECT_NOT_FOUND');
  });
});

describe('scopeOf and roleIn', () => {
  it('gives an administrator every project, narrowed by a limited token', () => {
    assert.equal(scopeOf(principal({ admin: true })).all, true);
    const limited = scopeOf(principal({ admin: true, projects: ['b'] }));
    assert.equal(limited.all, false);
    assert.deepEqual([...limited.projects], ['b']);
    assert.equal(canSee(limited, 'a'), false);
  });

  it('gives a user the projects it belongs to, narrowed by a limited token', () => {
    const p = principal({ roles: { a: 'viewer', b: 'owner', c: 'member' } });
    assert.deepEqual([...scopeOf(p).projects].sort(), ['a', 'b', 'c']);
    const limited = principal({ roles: { a: 'viewer', b: 'owner' }, projects: ['b', 'z'] });
    assert.deepEqual([...scopeOf(limited).projects], ['b'], 'a limit naming a project the user is not in grants nothing');
    assert.equal(roleIn(limited, 'a'), null);
    assert.equal(roleIn(limited, 'b'), 'owner');
    assert.equal(roleIn(limited, 'z'), null);
  });
});

describe('events a scope sees', () => {
  it("shows a user's private events (its tokens) to that user and admins only, never through a project-limited token", () => {
    assert.equal(canSeeEvent(scopeOf(principal()), null, 'u1'), true, 'its own');
    assert.equal(canSeeEvent(scopeOf(principal()), null, 'u2'), false, "another user's");
    assert.equal(canSeeEvent(scopeOf(principal({ roles: { a: 'owner' } })), 'b', 'u2'), false);
    assert.equal(canSeeEvent(scopeOf(principal({ admin: true })), null, 'u2'), true, 'the admin sees all');
    assert.equal(canSeeEvent(scopeOf(principal({ projects: ['a'], roles: { a: 'owner' } })), null, 'u1'), false, 'a project-limited token lists only some of its tokens');
    assert.equal(canSeeEvent(scopeOf(principal({ admin: true, projects: ['a'] })), null, 'u2'), false);
    assert.equal(canSeeEvent(scopeOf(principal()), null, null), false, "events of no project and no user are the admin's");
    assert.equal(canSeeEvent(scopeOf(principal({ roles: { a: 'viewer' } })), 'a', null), true);
  });

  it("follows its own user's memberships: a project joined is seen, one left no more", () => {
    const p = principal({ roles: { a: 'viewer' } });
    const scope = scopeOf(p);
    const joined = rescope(scope, p, { type: 'member.added', project: 'b', data: { user: 'ana', role: 'member' } });
    assert.deepEqual([...joined.projects].sort(), ['a', 'b']);
    assert.deepEqual([...scope.projects], ['a'], 'the old scope is left as it was');
    const left = rescope(joined, p, { type: 'member.removed', project: 'a', data: { user: 'ana', role: 'viewer' } });
    assert.deepEqual([...left.projects], ['b']);
    assert.equal(rescope(scope, p, { type: 'member.removed', project: 'a', data: { user: 'bob', role: 'viewer' } }), scope, "another user's change changes nothing");
    assert.equal(rescope(scope, p, { type: 'instance.created', project: 'c', data: { user: 'ana' } }), scope);
  });

  it('never grows a project-limited token past its limit, nor hangs an admin on memberships', () => {
    const limited = principal({ roles: { a: 'viewer' }, projects: ['a'] });
    assert.deepEqual([...rescope(scopeOf(limited), limited, { type: 'member.added', project: 'b', data: { user: 'ana', role: 'owner' } }).projects], ['a']);
    const admin = principal({ admin: true, projects: ['a'] });
    assert.deepEqual([...rescope(scopeOf(admin), admin, { type: 'member.removed', project: 'a', data: { user: 'ana', role: 'owner' } }).projects], ['a']);
  });
});
