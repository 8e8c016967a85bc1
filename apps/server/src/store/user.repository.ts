import type { Kysely, Selectable } from 'kysely';
import type { MembershipRecord, TokenRecord, UserRecord } from '../domain/core/records.js';
import type { Database, TokensTable, UsersTable } from './tables.js';

function toUser(r: Selectable<UsersTable>): UserRecord {
  return { id: r.id, name: r.name, passwordHash: r.password_hash, isAdmin: r.is_admin === 1, disabled: r.disabled === 1, createdAt: r.created_at };
}

function toToken(r: Selectable<TokensTable>): TokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    hash: r.hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    readOnly: r.read_only === 1,
    projects: r.projects === null ? null : (JSON.parse(r.projects) as string[]),
  };
}

export interface SessionRecord {
  hash: string;
  userId: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

/** Users, their tokens, sessions and project memberships. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('name').execute()).map(toUser);
  }

  async getByName(name: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toUser(r);
  }

  async getById(id: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async insert(u: UserRecord): Promise<void> {
    await this.db
      .insertInto('users')
      .values({ id: u.id, name: u.name, password_hash: u.passwordHash, is_admin: u.isAdmin ? 1 : 0, disabled: u.disabled ? 1 : 0, created_at: u.createdAt })
      .execute();
  }

  async update(u: UserRecord): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: u.passwordHash, is_admin: u.isAdmin ? 1 : 0, disabled: u.disabled ? 1 : 0 })
      .where('id', '=', u.id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  async countAdmins(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('is_admin', '=', 1).where('disabled', '=', 0).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async insertToken(t: TokenRecord): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        name: t.name,
        hash: t.hash,
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        last_used_at: t.lastUsedAt,
        read_only: t.readOnly ? 1 : 0,
        projects: t.projects === null ? null : JSON.stringify(t.projects),
      })
      .execute();
  }

  async tokenByHash(hash: string): Promise<TokenRecord | undefined> {
    const r = await this.db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r && toToken(r);
  }

  async tokensOf(userId: string): Promise<TokenRecord[]> {
    return (await this.db.selectFrom('tokens').selectAll().where('user_id', '=', userId).orderBy('created_at').execute()).map(toToken);
  }

  async deleteToken(userId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('tokens').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async insertSession(s: SessionRecord): Promise<void> {
    await this.db.insertInto('sessions').values({ hash: s.hash, user_id: s.userId, csrf: s.csrf, created_at: s.createdAt, expires_at: s.expiresAt }).execute();
  }

  async sessionByHash(hash: string): Promise<SessionRecord | undefined> {
    const r = await this.db.selectFrom('sessions').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r && { hash: r.hash, userId: r.user_id, csrf: r.csrf, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  async deleteSession(hash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('hash', '=', hash).execute();
  }

  /** Ends every session of a user but one (password change, disable). */
  async deleteSessionsOf(userId: string, except?: string): Promise<void> {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (except !== undefined) q = q.where('hash', '!=', except);
    await q.execute();
  }

  async memberships(userId: string): Promise<MembershipRecord[]> {
    const rows = await this.db.selectFrom('memberships').selectAll().where('user_id', '=', userId).orderBy('project').execute();
    return rows.map((r) => ({ project: r.project, userId: r.user_id, role: r.role, addedAt: r.added_at }));
  }

  async members(project: string): Promise<(MembershipRecord & { userName: string })[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['memberships.project', 'memberships.user_id', 'memberships.role', 'memberships.added_at', 'users.name'])
      .where('memberships.project', '=', project)
      .orderBy('users.name')
      .execute();
    return rows.map((r) => ({ project: r.project, userId: r.user_id, role: r.role, addedAt: r.added_at, userName: r.name }));
  }

  async putMembership(m: MembershipRecord): Promise<void> {
    await this.db
      .insertInto('memberships')
      .values({ project: m.project, user_id: m.userId, role: m.role, added_at: m.addedAt })
      .onConflict((oc) => oc.columns(['project', 'user_id']).doUpdateSet({ role: m.role }))
      .execute();
  }

  async deleteMembership(project: string, userId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('memberships').where('project', '=', project).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async pendingMembers(project: string): Promise<{ userName: string; role: MembershipRecord['role']; addedAt: string }[]> {
    const rows = await this.db.selectFrom('pending_memberships').selectAll().where('project', '=', project).orderBy('user_name').execute();
    return rows.map((r) => ({ userName: r.user_name, role: r.role, addedAt: r.added_at }));
  }

  async putPendingMembership(project: string, userName: string, role: MembershipRecord['role'], addedAt: string): Promise<void> {
    await this.db
      .insertInto('pending_memberships')
      .values({ project, user_name: userName, role, added_at: addedAt })
      .onConflict((oc) => oc.columns(['project', 'user_name']).doUpdateSet({ role }))
      .execute();
  }

  async deletePendingMembership(project: string, userName: string): Promise<boolean> {
    const r = await this.db.deleteFrom('pending_memberships').where('project', '=', project).where('user_name', '=', userName).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Makes the pending memberships of a name real for the account just made with it. */
  async claimPendingMemberships(userName: string, userId: string): Promise<void> {
    const rows = await this.db.selectFrom('pending_memberships').selectAll().where('user_name', '=', userName).execute();
    for (const r of rows) await this.putMembership({ project: r.project, userId, role: r.role, addedAt: r.added_at });
    await this.db.deleteFrom('pending_memberships').where('user_name', '=', userName).execute();
  }
}
