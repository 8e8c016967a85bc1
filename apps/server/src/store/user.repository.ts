import type { Kysely, Selectable } from 'kysely';
import type { TokenRecord, UserRecord } from '../domain/records.js';
import type { Database, TokensTable } from './tables.js';

function toToken(r: Selectable<TokensTable>): TokenRecord {
  return { id: r.id, userId: r.user_id, name: r.name, hash: r.hash, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at };
}

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async getByName(name: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return r && { id: r.id, name: r.name, passwordHash: r.password_hash, isAdmin: r.is_admin === 1, disabled: r.disabled === 1, createdAt: r.created_at };
  }

  async getById(id: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, name: r.name, passwordHash: r.password_hash, isAdmin: r.is_admin === 1, disabled: r.disabled === 1, createdAt: r.created_at };
  }

  async insert(u: UserRecord): Promise<void> {
    await this.db
      .insertInto('users')
      .values({ id: u.id, name: u.name, password_hash: u.passwordHash, is_admin: u.isAdmin ? 1 : 0, disabled: u.disabled ? 1 : 0, created_at: u.createdAt })
      .execute();
  }

  async insertToken(t: TokenRecord): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({ id: t.id, user_id: t.userId, name: t.name, hash: t.hash, created_at: t.createdAt, expires_at: t.expiresAt, last_used_at: t.lastUsedAt })
      .execute();
  }

  async tokenByHash(hash: string): Promise<TokenRecord | undefined> {
    const r = await this.db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r && toToken(r);
  }
}
