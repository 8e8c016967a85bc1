import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Image } from '@gureum/contract';
import { REGISTRY, startGureum, tempDir, TEST_IMAGE, uniqueName, type TestGureum } from '../../server/test/support/harness.js';
import { buildCli, cliEnv, gureum, ok, OnTerminal } from './support.js';

const docker = async (...args: string[]) => (await promisify(execFile)('docker', args)).stdout.trim();

let g: TestGureum;
let env: Record<string, string>;
const work = tempDir('gureum-cli-images-');
const LOADED = `gureum-cli-load/${uniqueName('t')}:1`;
const tarball = path.join(work, 'image.tar');

before(async () => {
  buildCli();
  g = await startGureum();
  env = cliEnv(undefined, { GUREUM_URL: g.url, GUREUM_TOKEN: g.token });
  // A tarball of an image the engine then forgets, so that loading it is a real load.
  await docker('tag', TEST_IMAGE, LOADED);
  await docker('save', '-o', tarball, LOADED);
  await docker('rmi', LOADED);
});

after(async () => {
  await g.stop();
  await docker('rmi', LOADED).catch(() => undefined);
});

describe('gureum images', () => {
  it('pulls from a registry, reporting progress on stderr and the image as JSON on stdout', async () => {
    const ref = `${REGISTRY}/gureum-test/busybox:1`;
    const r = await gureum(env, ['images', 'pull', ref, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const image = JSON.parse(r.stdout) as Image;
    assert.ok(image.tags.includes(ref));
    assert.ok(r.stderr.trim().split('\n').length >= 1, 'status lines on stderr');
    assert.ok(!r.stderr.includes('\x1b['), 'no cursor movement when stderr is not a terminal');
  });

  it('answers a pull of a missing image with exit 1 and the API code', async () => {
    const r = await gureum(env, ['images', 'pull', `${REGISTRY}/gureum-test/does-not-exist:1`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /IMAGE_NOT_FOUND/);
  });

  it('loads a tarball with an upload bar on a terminal, lists it and removes it', async () => {
    const term = new OnTerminal(env, ['images', 'load', tarball], path.join(work, 'tty'));
    assert.equal(await term.exitCode(), 0, term.output);
    assert.match(term.output, /upload: Uploading \[=+\] [\d.]+\w+\/[\d.]+\w+/, 'a full upload bar');
    assert.match(term.output, /loaded [0-9a-f]{12} \(/);
    const images = JSON.parse(await ok(env, ['images', '-o', 'json'])) as Image[];
    assert.ok(images.some((i) => i.tags.includes(LOADED)));
    assert.equal(await ok(env, ['images', 'rm', LOADED]), `${LOADED}\n`);
    const after = JSON.parse(await ok(env, ['images', 'ls', '-o', 'json'])) as Image[];
    assert.ok(!after.some((i) => i.tags.includes(LOADED)));
  });

  it('loads from standard input, as docker save | gureum images load', async () => {
    const r = await promisify(execFile)('sh', ['-c', `cat '${tarball}' | '${process.execPath}' '${path.join(import.meta.dirname, '../bin/gureum.js')}' images load -q`], { env });
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
    await ok(env, ['images', 'rm', LOADED]);
  });
});
