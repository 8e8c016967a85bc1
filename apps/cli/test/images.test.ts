import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Image, Instance } from '@gureum/contract';
import { busyboxApp, labelledImage, REGISTRY, removeProjects, startGureum, tempDir, TEST_IMAGE, uniqueName, type TestGureum } from '../../server/test/support/harness.js';
import { buildCli, cliEnv, gureum, ok, OnTerminal } from './support.js';

const docker = async (...args: string[]) => (await promisify(execFile)('docker', args)).stdout.trim();

let g: TestGureum;
let env: Record<string, string>;
const work = tempDir('gureum-cli-images-');
const LOADED = `gureum-cli-load/${uniqueName('t')}:1`;
const tarball = path.join(work, 'image.tar');
const project = uniqueName('cli-up');
const UPGRADED = `gureum-cli-upgrade/${uniqueName('t')}:1`;

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
  await removeProjects(project);
  await docker('rmi', LOADED).catch(() => undefined);
  await docker('rmi', UPGRADED).catch(() => undefined);
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

  it('upgrades an instance onto what its tag names now, which nothing else does (inspect shows the pinned id)', async () => {
    await docker('tag', TEST_IMAGE, UPGRADED);
    const before = await docker('image', 'inspect', '--format', '{{.Id}}', UPGRADED);
    await g.client.call('createProject', { body: { name: project } });
    await g.client.call('createApp', { body: { ...busyboxApp(`${project}-app`, { image: UPGRADED }), project } });
    await g.client.call('createInstance', { params: { project }, body: { name: 'web', app: `${project}-app` } });
    await ok(env, ['start', '-p', project, 'web', '--wait']);
    assert.match(await ok(env, ['inspect', '-p', project, 'web']), new RegExp(`${UPGRADED} +${before.replace('sha256:', '').slice(0, 12)}`));

    // The tag moves to another image (a label gives it an id of its own).
    const next = await labelledImage(UPGRADED, { 'io.gureum-test.upgrade': project });
    assert.notEqual(next, before);
    await ok(env, ['restart', '-p', project, 'web', '--wait']);
    assert.equal((JSON.parse(await ok(env, ['inspect', '-p', project, 'web', '-o', 'json'])) as Instance).components[0]!.imageId, before, 'a restart is no upgrade');

    assert.equal(await ok(env, ['upgrade', '-p', project, 'web', '--wait']), 'web\n');
    const upgraded = JSON.parse(await ok(env, ['inspect', '-p', project, 'web', '-o', 'json'])) as Instance;
    assert.equal(upgraded.components[0]!.imageId, next);
    const ids = await Promise.all(upgraded.replicas.filter((r) => r.current).map((r) => docker('inspect', '--format', '{{.Image}}', r.containerId!)));
    assert.deepEqual(ids, [next]);
  });
});
