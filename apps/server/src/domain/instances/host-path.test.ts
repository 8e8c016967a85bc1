import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveHostPath } from './host-path.js';
import { componentViolations, effectivePolicy } from '../governance/policy.js';
import type { RenderedComponent } from '../core/records.js';

let dir: string;
let allowed: string;

before(() => {
  // realpath: the temp dir itself may sit behind a symlink (macOS /tmp, some CI).
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gureum-hostpath-')));
  allowed = path.join(dir, 'allowed');
  fs.mkdirSync(path.join(allowed, 'data'), { recursive: true });
  fs.symlinkSync('/', path.join(allowed, 'root'));
  fs.symlinkSync('/var/run/docker.sock', path.join(allowed, 'sock'));
  fs.symlinkSync('../..', path.join(allowed, 'up')); // relative: to dir's parent
  fs.symlinkSync('/no/such/place', path.join(allowed, 'dangling'));
  fs.symlinkSync('data', path.join(allowed, 'inside'));
  fs.symlinkSync(allowed, path.join(dir, 'allowed-link'));
  fs.symlinkSync('loop-b', path.join(allowed, 'loop-a'));
  fs.symlinkSync('loop-a', path.join(allowed, 'loop-b'));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('resolveHostPath', () => {
  it('follows absolute, relative and chained symlinks like realpath', () => {
    assert.equal(resolveHostPath(path.join(allowed, 'root')), '/');
    assert.equal(resolveHostPath(path.join(allowed, 'root', 'etc')), '/etc');
    assert.equal(resolveHostPath(path.join(allowed, 'up')), path.dirname(dir));
    assert.equal(resolveHostPath(path.join(allowed, 'inside', 'x')), path.join(allowed, 'data', 'x'));
    assert.equal(resolveHostPath(path.join(dir, 'allowed-link', 'data')), path.join(allowed, 'data'));
    assert.equal(resolveHostPath(path.join(allowed, 'data')), fs.realpathSync(path.join(allowed, 'data')));
  });

  it('follows a dangling link, and keeps parts that do not exist yet as written', () => {
    assert.equal(resolveHostPath(path.join(allowed, 'dangling', 'x')), '/no/such/place/x');
    assert.equal(resolveHostPath(path.join(allowed, 'not-yet', 'x')), path.join(allowed, 'not-yet', 'x'));
  });

  it('gives up on a symlink loop', () => {
    assert.throws(() => resolveHostPath(path.join(allowed, 'loop-a')), /too many symbolic links/);
  });
});

describe('container policy with symlinks followed', () => {
  const comp = (hostPath: string): RenderedComponent => ({ name: 'web', image: 'busybox:1', env: {}, ports: [], replicas: 1, volumes: [], hostMounts: [{ hostPath, mountPath: '/mnt', readOnly: false }] });
  const rules = (hostPath: string, allowHostPaths = [allowed]) => componentViolations(effectivePolicy({ allowHostPaths }), comp(hostPath), undefined, { resolveHostPath }).map((v) => v.rule);

  it('refuses a symlink under an allowed prefix that points at / or at the Docker socket', () => {
    assert.deepEqual(rules(path.join(allowed, 'root')), ['dockerSocket'], '/ covers the socket');
    assert.deepEqual(rules(path.join(allowed, 'root', 'etc')), ['hostPath']);
    assert.deepEqual(rules(path.join(allowed, 'sock')), ['dockerSocket']);
    assert.deepEqual(rules(path.join(allowed, 'up')), ['hostPath']);
    assert.deepEqual(rules(path.join(allowed, 'dangling')), ['hostPath']);
  });

  it('still allows real paths, and links that stay inside, under the prefix', () => {
    assert.deepEqual(rules(path.join(allowed, 'data')), []);
    assert.deepEqual(rules(path.join(allowed, 'inside')), []);
    assert.deepEqual(rules(path.join(allowed, 'not-yet')), []);
  });

  it('resolves the allowed prefixes too: a prefix given through a symlink allows what it points at', () => {
    assert.deepEqual(rules(path.join(allowed, 'data'), [path.join(dir, 'allowed-link')]), []);
    assert.deepEqual(rules(path.join(dir, 'allowed-link', 'root'), [path.join(dir, 'allowed-link')]), ['dockerSocket']);
  });

  it('refuses a symlink loop instead of failing', () => {
    assert.deepEqual(rules(path.join(allowed, 'loop-a')), ['hostPath']);
  });

  it('names the link target in the message', () => {
    const [v] = componentViolations(effectivePolicy({ allowHostPaths: [allowed] }), comp(path.join(allowed, 'root', 'etc')), undefined, { resolveHostPath });
    assert.match(v!.message, /through a symlink to \/etc/);
  });
});
