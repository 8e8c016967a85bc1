import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  it('creates a 32-byte key with mode 0600 on first load and reuses it after', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-box-'));
    try {
      const box = await SecretBox.load(dir);
      const file = path.join(dir, 'secret.key');
      assert.equal(fs.statSync(file).size, 32);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const sealed = box.seal('value', 'p/s');
      assert.equal((await SecretBox.load(dir)).open(sealed, 'p/s'), 'value');
      fs.writeFileSync(file, 'short');
      await assert.rejects(SecretBox.load(dir), /exactly 32 bytes/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seals as base64(iv | tag | ciphertext), differently each time, without the value in clear', () => {
    const box = SecretBox.withKey(randomBytes(32));
    const a = box.seal('correct horse battery staple', 'p/s');
    const b = box.seal('correct horse battery staple', 'p/s');
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 12 + 16 + 'correct horse battery staple'.length);
    assert.ok(!Buffer.from(a, 'base64').toString('latin1').includes('horse'));
    assert.equal(box.open(a, 'p/s'), 'correct horse battery staple');
  });

  it('refuses another key, another secret\'s context, and an altered ciphertext', () => {
    const box = SecretBox.withKey(randomBytes(32));
    const sealed = box.seal('v', 'p/a');
    assert.throws(() => SecretBox.withKey(randomBytes(32)).open(sealed, 'p/a'), /cannot be decrypted/);
    assert.throws(() => box.open(sealed, 'p/b'), /cannot be decrypted/);
    const raw = Buffer.from(sealed, 'base64');
    raw[raw.length - 1]! ^= 1;
    assert.throws(() => box.open(raw.toString('base64'), 'p/a'), /cannot be decrypted/);
  });
});
