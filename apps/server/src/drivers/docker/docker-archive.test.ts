import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildTar, firstFileOf } from './docker-archive.js';

describe('docker-archive', () => {
  it('builds a ustar archive that GNU tar extracts with paths, modes and owners', () => {
    const long = `/run/secrets/${'d'.repeat(90)}/${'f'.repeat(60)}`;
    const tar = buildTar([
      { path: '/run/secrets/db', content: Buffer.from('s3cret\n'), mode: 0o400, uid: 65534, gid: 65534 },
      { path: long, content: Buffer.alloc(513, 'x'), mode: 0o644, uid: 0, gid: 0 },
    ]);
    assert.equal(tar.length % 512, 0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-tar-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.tar'), tar);
      const listing = execFileSync('tar', ['-tvf', path.join(dir, 'a.tar'), '--numeric-owner'], { encoding: 'utf8' });
      assert.match(listing, /^-r-------- 65534\/65534\s+7 .* run\/secrets\/db$/m);
      assert.ok(listing.includes(long.slice(1)), listing);
      execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
      assert.equal(fs.readFileSync(path.join(dir, 'run/secrets/db'), 'utf8'), 's3cret\n');
      assert.equal(fs.readFileSync(path.join(dir, long)).length, 513);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the first file back', () => {
    const tar = buildTar([{ path: '/etc/passwd', content: Buffer.from('root:x:0:0::/root:/bin/sh\n'), mode: 0o644, uid: 0, gid: 0 }]);
    assert.equal(firstFileOf(tar)?.toString(), 'root:x:0:0::/root:/bin/sh\n');
    assert.equal(firstFileOf(Buffer.alloc(1024)), null);
  });
});
