import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from './errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_FILE = 'secret.key';

/**
 * Encrypts secret values at rest with AES-256-GCM under one key kept in the data dir
 * (`secret.key`, 32 random bytes, mode 0600, made on first start). A sealed value is
 * base64(iv | tag | ciphertext); the additional data binds it to its project and name, so a
 * ciphertext copied onto another secret's row does not decrypt.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** Reads the key file, creating it if there is none. Refuses a key file of the wrong size. */
  static async load(dataDir: string): Promise<SecretBox> {
    const file = path.join(dataDir, SECRET_KEY_FILE);
    await fs.mkdir(dataDir, { recursive: true });
    try {
      // 'wx': of two processes starting at once, exactly one writes the key.
      await fs.writeFile(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const key = await fs.readFile(file);
    if (key.length !== KEY_BYTES) throw new Error(`${file} must hold exactly ${KEY_BYTES} bytes (it holds ${key.length}); restore it from a backup`);
    await fs.chmod(file, 0o600);
    return new SecretBox(key);
  }

  /** For tests and tools that hold a key themselves. */
  static withKey(key: Buffer): SecretBox {
    if (key.length !== KEY_BYTES) throw new Error(`a secret key has ${KEY_BYTES} bytes`);
    return new SecretBox(Buffer.from(key));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws INTERNAL when the value was sealed under another key or context, or was altered. */
  open(sealed: string, context: string): string {
    const raw = Buffer.from(sealed, 'base64');
    try {
      if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DomainError('INTERNAL', `secret ${context} cannot be decrypted: was ${SECRET_KEY_FILE} replaced or the database altered?`);
    }
  }
}
