import { randomUUID } from 'node:crypto';
import type { Member, ProjectRole, Token, User } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import type { Principal } from './access.js';
import { hashPassword, type AuthService } from './auth.service.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { TokenRecord, UserRecord } from '../core/records.js';

export function toUserView(u: UserRecord): User {
  return { name: u.name, admin: u.isAdmin, disabled: u.disabled, createdAt: u.createdAt };
}

function toTokenView(t: TokenRecord): Token {
  return { id: t.id, name: t.name, readOnly: t.readOnly, projects: t.projects, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt };
}

/**
 * The tokens a caller may see and revoke: all of its user's, but through a project-limited
 * token only those limited within the same projects (the others would name projects, and
 * could be revoked, from outside the limit).
 */
function reachable(p: Principal, t: TokenRecord): boolean {
  const limit = p.token?.projects ?? null;
  return limit === null || (t.projects !== null && t.projects.every((x) => limit.includes(x)));
}

/** Users (admin), one's own password and tokens, and project members. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly auth: AuthService,
    private readonly events: EventService,
  ) {}

  async list(): Promise<User[]> {
    return (await this.store.users.list()).map(toUserView);
  }

  async get(name: string): Promise<User> {
    return toUserView(await this.require(name));
  }

  private async require(name: string, store: Store = this.store): Promise<UserRecord> {
    const user = await store.users.getByName(name);
    if (!user) throw new DomainError('USER_NOT_FOUND', `user ${name} does not exist`);
    return user;
  }

  async create(input: { name: string; password: string; admin: boolean }): Promise<User> {
    const record: UserRecord = { id: randomUUID(), name: input.name, passwordHash: await hashPassword(input.password), isAdmin: input.admin, disabled: false, createdAt: new Date().toISOString() };
    await this.store.transaction(async (trx) => {
      if (await trx.users.getByName(input.name)) throw new DomainError('USER_EXISTS', `user ${input.name} already exists`);
      await trx.users.insert(record);
      // Projects that added this name before it had an account (see putMember).
      await trx.users.claimPendingMemberships(record.name, record.id);
    });
    return toUserView(record);
  }

  /** Disabling a user ends its sessions at once; its tokens stop working on the next request. */
  async update(name: string, patch: { disabled?: boolean | undefined; admin?: boolean | undefined; password?: string | undefined }): Promise<User> {
    const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
    const next = await this.store.transaction(async (trx) => {
      const user = await this.require(name, trx);
      const changed: UserRecord = { ...user, disabled: patch.disabled ?? user.disabled, isAdmin: patch.admin ?? user.isAdmin, passwordHash: passwordHash ?? user.passwordHash };
      await trx.users.update(changed);
      if (user.isAdmin && !user.disabled && (!changed.isAdmin || changed.disabled) && (await trx.users.countAdmins()) === 0) {
        throw new DomainError('FORBIDDEN', 'this would leave Gureum without an active administrator');
      }
      if (changed.disabled || passwordHash !== undefined) await trx.users.deleteSessionsOf(user.id);
      return changed;
    });
    return toUserView(next);
  }

  async delete(name: string): Promise<void> {
    const memberships = await this.store.transaction(async (trx) => {
      const user = await this.require(name, trx);
      const memberships = await trx.users.memberships(user.id);
      for (const m of memberships) {
        if (m.role === 'owner' && (await trx.users.members(m.project)).filter((x) => x.role === 'owner').length === 1) {
          throw new DomainError('LAST_OWNER', `user ${name} is the last owner of project ${m.project}: give the project another owner first`);
        }
      }
      await trx.users.delete(user.id);
      if ((await trx.users.countAdmins()) === 0) throw new DomainError('FORBIDDEN', 'this would leave Gureum without an active administrator');
      return memberships;
    });
    // Its memberships went with it: each project's member list changed.
    for (const m of memberships) await this.memberEvent('member.removed', m.project, name, m.role, `user ${name} removed from project ${m.project}: the user was deleted`);
  }

  /**
   * The current password is checked behind the login brake: a stolen token or session cannot
   * guess it freely. A wrong one is 403 PASSWORD_INCORRECT, not 401: the caller is still
   * authenticated, and a dashboard takes 401 for "logged out".
   */
  async changePassword(p: Principal, current: string, next: string, address: string, keepSessionHash?: string): Promise<User> {
    await this.auth.checkPassword(p.userName, current, address).catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'LOGIN_FAILED' ? new DomainError('PASSWORD_INCORRECT', 'the current password is wrong') : err;
    });
    const passwordHash = await hashPassword(next);
    const changed = await this.store.transaction(async (trx) => {
      const user = await this.require(p.userName, trx);
      const updated = { ...user, passwordHash };
      await trx.users.update(updated);
      await trx.users.deleteSessionsOf(user.id, keepSessionHash);
      return updated;
    });
    return toUserView(changed);
  }

  async listTokens(p: Principal): Promise<Token[]> {
    return (await this.store.users.tokensOf(p.userId)).filter((t) => reachable(p, t)).map(toTokenView);
  }

  async createToken(p: Principal, input: { name: string; expiresAt?: string | undefined; readOnly: boolean; projects?: string[] | undefined }): Promise<Token & { token: string }> {
    if (input.expiresAt !== undefined && !(Date.parse(input.expiresAt) > Date.now())) throw new DomainError('VALIDATION_FAILED', 'expiresAt must be a time in the future');
    // A token never reaches further than the credentials that made it: not more rights, not
    // other projects, not a longer life.
    if (p.token?.readOnly && !input.readOnly) throw new DomainError('READ_ONLY_TOKEN', 'a read-only token can only create read-only tokens');
    const limit = p.token?.projects ?? null;
    const projects = input.projects ?? limit;
    if (limit !== null && projects!.some((x) => !limit.includes(x))) throw new DomainError('FORBIDDEN', 'a project-limited token cannot create a token for other projects');
    const lifetime = p.token?.expiresAt ?? null;
    const expiresAt = input.expiresAt !== undefined ? new Date(input.expiresAt).toISOString() : lifetime;
    if (lifetime !== null && expiresAt !== null && expiresAt > lifetime) {
      throw new DomainError('FORBIDDEN', `a token that expires at ${lifetime} cannot create one that outlives it`);
    }
    const user = await this.require(p.userName);
    const { token, record } = await this.auth.issueToken(user, input.name, { expiresAt, readOnly: input.readOnly, projects });
    await this.tokenEvent('token.created', p, record);
    return { ...toTokenView(record), token };
  }

  async revokeToken(p: Principal, id: string): Promise<void> {
    const token = (await this.store.users.tokensOf(p.userId)).find((t) => t.id === id);
    if (!token || !reachable(p, token) || !(await this.store.users.deleteToken(p.userId, id))) throw new DomainError('TOKEN_NOT_FOUND', `you have no token ${id}`);
    await this.tokenEvent('token.revoked', p, token);
  }

  /** Token events are the user's own: other users never see them (admins do). Never the token itself. */
  private async tokenEvent(type: 'token.created' | 'token.revoked', p: Principal, t: TokenRecord): Promise<void> {
    await this.events.record(type, {
      message: `token ${t.name} of ${p.userName} ${type === 'token.created' ? 'created' : 'revoked'}`,
      data: { id: t.id, name: t.name, user: p.userName },
      privateTo: p.userId,
    });
  }

  /** Members, and names added before they had an account, alike: who is which is not told. */
  async members(project: string): Promise<Member[]> {
    const [real, pending] = await Promise.all([this.store.users.members(project), this.store.users.pendingMembers(project)]);
    return [...real, ...pending].map((m) => ({ user: m.userName, role: m.role, addedAt: m.addedAt })).sort((a, b) => a.user.localeCompare(b.user));
  }

  /**
   * Adds a member or changes a role. A name without an account is told apart only to an
   * admin (404); for anyone else it is added like any other, as a pending membership that
   * becomes real when an account of that name is made, so the answer says nothing of which
   * names exist.
   */
  async putMember(project: string, name: string, role: ProjectRole, byAdmin: boolean): Promise<Member> {
    const { member, previous } = await this.store.transaction(async (trx) => {
      const user = await trx.users.getByName(name);
      if (!user) {
        if (byAdmin) throw new DomainError('USER_NOT_FOUND', `user ${name} does not exist`);
        const pending = (await trx.users.pendingMembers(project)).find((m) => m.userName === name);
        const addedAt = pending?.addedAt ?? new Date().toISOString();
        await trx.users.putPendingMembership(project, name, role, addedAt);
        return { member: { user: name, role, addedAt }, previous: pending?.role };
      }
      const existing = (await trx.users.members(project)).find((m) => m.userId === user.id);
      if (existing?.role === 'owner' && role !== 'owner') await this.keepAnOwner(trx, project, user.id);
      const addedAt = existing?.addedAt ?? new Date().toISOString();
      await trx.users.putMembership({ project, userId: user.id, role, addedAt });
      return { member: { user: name, role, addedAt }, previous: existing?.role };
    });
    if (previous === undefined) await this.memberEvent('member.added', project, name, role, `user ${name} added to project ${project} as ${role}`);
    else if (previous !== role) await this.memberEvent('member.updated', project, name, role, `user ${name} is now ${role} in project ${project} (was ${previous})`, { previousRole: previous });
    return member;
  }

  async deleteMember(project: string, name: string): Promise<void> {
    const role = await this.store.transaction(async (trx) => {
      const notMember = new DomainError('MEMBER_NOT_FOUND', `${name} is not a member of project ${project}`);
      const user = await trx.users.getByName(name);
      if (!user) {
        const pending = (await trx.users.pendingMembers(project)).find((m) => m.userName === name);
        if (!pending || !(await trx.users.deletePendingMembership(project, name))) throw notMember;
        return pending.role;
      }
      const existing = (await trx.users.members(project)).find((m) => m.userId === user.id);
      if (!existing) throw notMember;
      if (existing.role === 'owner') await this.keepAnOwner(trx, project, user.id);
      await trx.users.deleteMembership(project, user.id);
      return existing.role;
    });
    await this.memberEvent('member.removed', project, name, role, `user ${name} removed from project ${project}`);
  }

  private async memberEvent(type: 'member.added' | 'member.updated' | 'member.removed', project: string, user: string, role: ProjectRole, message: string, extra: Record<string, unknown> = {}): Promise<void> {
    await this.events.record(type, { project, message, data: { user, role, ...extra } });
  }

  private async keepAnOwner(store: Store, project: string, leaving: string): Promise<void> {
    const owners = (await store.users.members(project)).filter((m) => m.role === 'owner' && m.userId !== leaving);
    if (owners.length === 0) throw new DomainError('LAST_OWNER', `project ${project} needs at least one owner`);
  }
}
