import { createHash, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Store } from '../store/store.js';
import { DomainError } from './errors.js';
import type { UserRecord } from './records.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export interface Principal {
  userId: string;
  userName: string;
  isAdmin: boolean;
  tokenId: string;
}

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
  constructor(private readonly store: Store) {}

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
      const token = await this.issueToken(admin, 'admin.token');
      await fs.mkdir(dataDir, { recursive: true });
      await fs.writeFile(tokenFile, token + '\n', { mode: 0o600 });
      await fs.chmod(tokenFile, 0o600);
    }
    return { ...(generatedPassword !== undefined && { generatedPassword }), tokenFile, newToken: !exists };
  }

  async issueToken(user: UserRecord, name: string, expiresAt: string | null = null): Promise<string> {
    const token = `gur_${randomBytes(32).toString('base64url')}`;
    await this.store.users.insertToken({ id: randomUUID(), userId: user.id, name, hash: hashToken(token), createdAt: new Date().toISOString(), expiresAt, lastUsedAt: null });
    return token;
  }

  /** The principal behind a bearer token; UNAUTHENTICATED for anything else. */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw new DomainError('UNAUTHENTICATED', 'an API token is required: Authorization: Bearer <token>');
    const record = await this.store.users.tokenByHash(hashToken(token));
    if (!record) throw new DomainError('UNAUTHENTICATED', 'the API token is not valid');
    if (record.expiresAt !== null && record.expiresAt <= new Date().toISOString()) throw new DomainError('UNAUTHENTICATED', 'the API token has expired');
    const user = await this.store.users.getById(record.userId);
    if (!user || user.disabled) throw new DomainError('UNAUTHENTICATED', 'the API token belongs to no active user');
    return { userId: user.id, userName: user.name, isAdmin: user.isAdmin, tokenId: record.id };
  }
}
