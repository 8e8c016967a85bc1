import { createHash, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Store } from '../../store/store.js';
import { DomainError } from '../core/errors.js';
import type { Principal } from './access.js';
import { LoginLimiter, type AttemptKey } from './login-limiter.js';
import type { TokenRecord, UserRecord } from '../core/records.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Hashes a password with scrypt (memory-hard); the result carries its own parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly limiter: LoginLimiter = new LoginLimiter(),
    /** How long a password login's session lasts (GUREUM_SESSION_HOURS). */
    private readonly sessionMs: number = 12 * 3600 * 1000,
  ) {}

  /**
   * First start: creates `admin` (password given, or generated and answered once). Whenever
   * `admin.token` is missing, writes a fresh admin token there (mode 0600).
   */
  async bootstrap(dataDir: string, adminPassword: string | undefined): Promise<{ generatedPassword?: string; tokenFile: string; newToken: boolean }> {
    let admin = await this.store.users.getByName('admin');
    let generatedPassword: string | undefined;
    if (!admin) {
      generatedPassword = adminPassword ? undefined : randomBytes(12).toString('base64url');
      admin = { id: randomUUID(), name: 'admin', passwordHash: await hashPassword(adminPassword ?? generatedPassword!), isAdmin: true, disabled: false, createdAt: new Date().toISOString() };
      await this.store.users.insert(admin);
    }
    const tokenFile = path.join(dataDir, 'admin.token');
    const exists = await fs.stat(tokenFile).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const { token } = await this.issueToken(admin, 'admin.token');
      await fs.mkdir(dataDir, { recursive: true });
      await fs.writeFile(tokenFile, token + '\n', { mode: 0o600 });
      await fs.chmod(tokenFile, 0o600);
    }
    return { ...(generatedPassword !== undefined && { generatedPassword }), tokenFile, newToken: !exists };
  }

  async issueToken(user: UserRecord, name: string, options: { expiresAt?: string | null; readOnly?: boolean; projects?: string[] | null } = {}): Promise<{ token: string; record: TokenRecord }> {
    const token = `gur_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: randomUUID(),
      userId: user.id,
      name,
      hash: hashToken(token),
      createdAt: new Date().toISOString(),
      expiresAt: options.expiresAt ?? null,
      lastUsedAt: null,
      readOnly: options.readOnly ?? false,
      projects: options.projects ?? null,
    };
    await this.store.users.insertToken(record);
    return { token, record };
  }

  /**
   * Checks a user's password behind the brute-force brake: every place a password is tried
   * (login, the current password of a change) counts alike. The rule (docs/security.md, "The
   * login brake") locks guessing, never the account:
   * - a name guessed at from one address is refused there after `lockAfter` failures (`pair`);
   * - failures at one real account from anywhere slow its logins but never refuse them (`user`),
   *   so nobody can lock another user out from elsewhere;
   * - an address that guesses at many real accounts is refused after twice `lockAfter` (`known`);
   * - an address that keeps trying names that do not exist gets 429 for every wrong password
   *   (`unknown`), real account or not, so the answers tell nothing; a right password still passes.
   */
  async checkPassword(name: string, password: string, address: string): Promise<UserRecord> {
    const user = await this.store.users.getByName(name);
    const lock = this.limiter.lockAfter;
    const pair = `pair:${name}@${address}`;
    const unknown = `unknown:${address}`;
    const keys: AttemptKey[] = [
      { key: pair, lockAfter: lock },
      // Checked for every attempt, so that its refusal does not tell real names from others; counted for real ones.
      { key: `known:${address}`, lockAfter: 2 * lock, slows: false, counts: user !== undefined },
      user ? { key: `user:${name}`, lockAfter: null } : { key: unknown, lockAfter: null },
    ];
    const unknownLocked = this.limiter.count(unknown) >= lock;
    const attempt = await this.limiter.begin(keys);
    const ok = user !== undefined && !user.disabled && (await verifyPassword(password, user.passwordHash));
    if (!ok || !user) {
      if (!user) await hashPassword(password); // same cost whether or not the user exists
      if (unknownLocked) this.limiter.refuseIfLocked(unknown, lock);
      throw new DomainError('LOGIN_FAILED', 'wrong user name or password'); // the attempt stays counted
    }
    this.limiter.succeed(attempt, [pair, `user:${name}`]);
    return user;
  }

  /** Password login: a new session (cookie value) and its CSRF token. Slowed, then refused, after repeated failures. */
  async login(name: string, password: string, address: string): Promise<{ user: UserRecord; session: string; csrf: string; expiresAt: string }> {
    const user = await this.checkPassword(name, password, address);
    const session = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.sessionMs).toISOString();
    await this.store.users.insertSession({ hash: hashToken(session), userId: user.id, csrf, createdAt: new Date().toISOString(), expiresAt });
    return { user, session, csrf, expiresAt };
  }

  async logout(session: string | undefined): Promise<void> {
    if (session) await this.store.users.deleteSession(hashToken(session));
  }

  /** The principal behind a bearer token or a session cookie; UNAUTHENTICATED for anything else. */
  async authenticate(credentials: { bearer?: string | undefined; session?: string | undefined }): Promise<Principal> {
    const now = new Date().toISOString();
    if (credentials.bearer) {
      const record = await this.store.users.tokenByHash(hashToken(credentials.bearer));
      if (!record) throw new DomainError('UNAUTHENTICATED', 'the API token is not valid (revoked or never issued)');
      if (record.expiresAt !== null && record.expiresAt <= now) throw new DomainError('UNAUTHENTICATED', 'the API token has expired');
      const user = await this.activeUser(record.userId);
      void this.store.users.touchToken(record.id, now).catch(() => {});
      return this.principal(user, 'token', { id: record.id, name: record.name, readOnly: record.readOnly, projects: record.projects, expiresAt: record.expiresAt }, null);
    }
    if (credentials.session) {
      const session = await this.store.users.sessionByHash(hashToken(credentials.session));
      if (!session || session.expiresAt <= now) throw new DomainError('UNAUTHENTICATED', 'the session has ended: log in again');
      const user = await this.activeUser(session.userId);
      return this.principal(user, 'session', null, session.csrf);
    }
    throw new DomainError('UNAUTHENTICATED', 'credentials are required: Authorization: Bearer <token>, or log in');
  }

  private async activeUser(id: string): Promise<UserRecord> {
    const user = await this.store.users.getById(id);
    if (!user || user.disabled) throw new DomainError('UNAUTHENTICATED', 'these credentials belong to no active user');
    return user;
  }

  private async principal(user: UserRecord, via: Principal['via'], token: Principal['token'], csrf: string | null): Promise<Principal> {
    const roles = new Map((await this.store.users.memberships(user.id)).map((m) => [m.project, m.role]));
    return { userId: user.id, userName: user.name, isAdmin: user.isAdmin, via, token, csrf, roles };
  }
}
