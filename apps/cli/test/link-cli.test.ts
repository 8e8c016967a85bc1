import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../../server/test/support/harness.js';
import { GUREUM_BIN } from './support.js';

/** `scripts/lib/link-cli.sh` as `npm run up` runs it: inside npm run, node_modules/.bin on PATH. */
function link(bindir: string, extra: Record<string, string> = {}): string {
  const PATH = `${path.join(REPO_ROOT, 'node_modules/.bin')}:${bindir}:${process.env.PATH ?? ''}`;
  const env: Record<string, string | undefined> = { ...process.env, PATH, GUREUM_BIN_DIR: bindir };
  delete env.GUREUM_NO_LINK;
  Object.assign(env, extra);
  return execFileSync('bash', [path.join(REPO_ROOT, 'scripts/lib/link-cli.sh')], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('npm run up puts gureum on PATH', () => {
  it('links it even though npm run has node_modules/.bin/gureum on PATH, once', () => {
    const bindir = tempDir('gureum-bin-');
    link(bindir);
    assert.equal(fs.realpathSync(path.join(bindir, 'gureum')), fs.realpathSync(GUREUM_BIN));
    const version = execFileSync(path.join(bindir, 'gureum'), ['--version'], { encoding: 'utf8' });
    assert.match(version, /^\d+\.\d+\.\d+/);
    link(bindir); // again: nothing to do, the link stays
    assert.equal(fs.realpathSync(path.join(bindir, 'gureum')), fs.realpathSync(GUREUM_BIN));
  });

  it('never replaces a file of that name, and GUREUM_NO_LINK=1 skips it', () => {
    const bindir = tempDir('gureum-bin-');
    fs.writeFileSync(path.join(bindir, 'gureum'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    link(bindir);
    assert.equal(fs.readFileSync(path.join(bindir, 'gureum'), 'utf8'), '#!/bin/sh\necho mine\n');
    const other = tempDir('gureum-bin-');
    link(other, { GUREUM_NO_LINK: '1' });
    assert.equal(fs.existsSync(path.join(other, 'gureum')), false);
  });
});
