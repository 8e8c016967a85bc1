import type { FastifyReply, FastifyRequest } from 'fastify';
import { canSee, scopeOf, type Principal } from '../../domain/identity/access.js';
import { hashToken } from '../../domain/identity/auth.service.js';
import { DomainError } from '../../domain/core/errors.js';
import { fullQuota } from '../../domain/governance/quota.service.js';
import { toUserView } from '../../domain/identity/user.service.js';
import { cookie, SESSION_COOKIE } from '../auth.hook.js';
import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';

type IdentityHandlers = Pick<
  Handlers,
  | 'login'
  | 'logout'
  | 'whoami'
  | 'changePassword'
  | 'listUsers'
  | 'createUser'
  | 'getUser'
  | 'updateUser'
  | 'deleteUser'
  | 'listTokens'
  | 'createToken'
  | 'deleteToken'
  | 'listMembers'
  | 'putMember'
  | 'deleteMember'
  | 'getUsage'
  | 'updateQuota'
  | 'listAudit'
  | 'listProjectAudit'
>;

const DELETED = { deleted: true } as const;

/** The principal the auth hook attached; routes with access other than public always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('UNAUTHENTICATED', 'credentials are required');
  return request.principal;
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`);
}

export function identityHandlers(s: Services): IdentityHandlers {
  return {
    login: async ({ body }, { request, reply }) => {
      request.auditActor = body.user;
      const { user, session, csrf, expiresAt } = await s.auth.login(body.user, body.password, request.ip);
      setSessionCookie(request, reply, session, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
      return { user: toUserView(user), csrfToken: csrf, expiresAt };
    },
    logout: async (_input, { request, reply }) => {
      await s.auth.logout(cookie(request, SESSION_COOKIE));
      setSessionCookie(request, reply, '', 0);
      return DELETED;
    },
    whoami: async (_input, { request }) => {
      const p = principalOf(request);
      const scope = scopeOf(p);
      const user = await s.users.get(p.userName);
      const { projectCreation } = await s.settings.get();
      return {
        user,
        via: p.via,
        token: p.token && { name: p.token.name, readOnly: p.token.readOnly, projects: p.token.projects, expiresAt: p.token.expiresAt },
        // Through a project-limited token, only the projects within the limit.
        memberships: [...p.roles].filter(([project]) => canSee(scope, project)).map(([project, role]) => ({ project, role })),
        canCreateProjects: !p.token?.projects && (projectCreation === 'everyone' || p.isAdmin),
      };
    },
    changePassword: ({ body }, { request }) => {
      const session = cookie(request, SESSION_COOKIE);
      return s.users.changePassword(principalOf(request), body.currentPassword, body.newPassword, request.ip, session ? hashToken(session) : undefined);
    },
    listUsers: () => s.users.list(),
    createUser: ({ body }) => s.users.create(body),
    getUser: ({ params }) => s.users.get(params.user),
    updateUser: ({ params, body }) => s.users.update(params.user, body),
    deleteUser: async ({ params }) => {
      await s.users.delete(params.user);
      return DELETED;
    },
    listTokens: (_input, { request }) => s.users.listTokens(principalOf(request)),
    createToken: ({ body }, { request }) => s.users.createToken(principalOf(request), body),
    deleteToken: async ({ params }, { request }) => {
      await s.users.revokeToken(principalOf(request), params.id);
      return DELETED;
    },
    listMembers: async ({ params }) => {
      await s.projects.require(params.project);
      return s.users.members(params.project);
    },
    putMember: async ({ params, body }, { request }) => {
      await s.projects.require(params.project);
      return s.users.putMember(params.project, params.user, body.role, principalOf(request).isAdmin);
    },
    deleteMember: async ({ params }) => {
      await s.projects.require(params.project);
      await s.users.deleteMember(params.project, params.user);
      return DELETED;
    },
    getUsage: async ({ params }) => {
      const project = await s.projects.require(params.project);
      const [used, measured] = await Promise.all([s.quotas.usage(project.name), s.volumes.measured(project.name)]);
      return { project: project.name, quota: fullQuota(project.quota), used, measured };
    },
    updateQuota: ({ params, body }) => s.quotas.setQuota(params.project, body),
    listAudit: ({ query }) => s.audit.list(query),
    listProjectAudit: async ({ params, query }) => {
      await s.projects.require(params.project);
      return s.audit.list({ ...query, project: params.project });
    },
  };
}
