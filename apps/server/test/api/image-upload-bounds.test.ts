/**
 * Image uploads are bounded (docs/security.md, "Images"): an upload is written to a file and
 * checked before the engine sees it, so a decompression bomb, an image with too many layers,
 * a compression Gureum cannot look inside, or an image past the storage limit is refused with
 * its own code, and nothing of it stays behind: not on the engine, not in the upload directory.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { REGISTRY, startGureum, tempDir, TEST_IMAGE, uniqueName, type TestGureum } from '../support/harness.js';
import { callRoute, codeOf } from '../identity/identity-kit.js';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
const work = tempDir('gureum-upload-bounds-');
const suffix = uniqueName('bounds');
/** A real image of two layers (the test image and a commit on it). */
const TWO_LAYERS = `gureum-bounds/${suffix}:1`;
const twoLayersTar = path.join(work, 'two-layers.tar');
const bomb = path.join(work, 'bomb.tar.gz');

/** 537 MB of zeros, gzip-compressed to about half a megabyte. */
async function writeBomb(file: string): Promise<void> {
  const chunk = Buffer.alloc(1024 * 1024);
  await pipeline(
    Readable.from((function* () {
      for (let i = 0; i < 512; i++) yield chunk;
    })()),
    createGzip({ level: 9 }),
    fs.createWriteStream(file),
  );
}

const load = (g: TestGureum, file: string, contentType = 'application/x-tar') => callRoute(g, 'loadImage', { token: g.token, raw: { contentType, data: fs.readFileSync(file) } });
const uploadsLeft = (g: TestGureum) => (fs.existsSync(path.join(g.dataDir, 'uploads')) ? fs.readdirSync(path.join(g.dataDir, 'uploads')) : []);
const imageIds = async () => (await docker('images', '-q', '--no-trunc')).split('\n').filter(Boolean).sort();

before(async () => {
  const container = await docker('create', TEST_IMAGE, 'sh', '-c', `echo ${suffix} > /second-layer`);
  await docker('start', '-a', container);
  await docker('commit', container, TWO_LAYERS);
  await docker('rm', container);
  await docker('save', '-o', twoLayersTar, TWO_LAYERS);
  await docker('rmi', TWO_LAYERS);
  await writeBomb(bomb);
});

after(async () => {
  await docker('rmi', TWO_LAYERS).catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('image uploads are bounded', () => {
  let g: TestGureum;
  before(async () => {
    g = await startGureum({ GUREUM_IMAGE_MAX_LAYERS: '1' });
  });
  after(() => g.stop());

  it('refuses a 510 KiB gzip that expands to 537 MB, before the engine sees it', async () => {
    assert.ok(fs.statSync(bomb).size < 600 * 1024, `the bomb is ${fs.statSync(bomb).size} bytes`);
    const before = await imageIds();
    const r = await load(g, bomb);
    assert.equal(r.status, 413, JSON.stringify(r.body));
    assert.equal(codeOf(r), 'IMAGE_TOO_LARGE');
    assert.match(JSON.stringify(r.body), /expands more than 100 times its \d+ bytes/);
    assert.deepEqual(await imageIds(), before);
    assert.deepEqual(uploadsLeft(g), []);
  });

  it('refuses an image with more layers than GUREUM_IMAGE_MAX_LAYERS, plain or gzip', async () => {
    const gz = `${twoLayersTar}.gz`;
    await pipeline(fs.createReadStream(twoLayersTar), createGzip(), fs.createWriteStream(gz));
    for (const file of [twoLayersTar, gz]) {
      const r = await load(g, file);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(codeOf(r), 'IMAGE_TOO_MANY_LAYERS');
      assert.match(JSON.stringify(r.body), /has 2 layers, more than the 1 allowed/);
    }
    await assert.rejects(docker('image', 'inspect', TWO_LAYERS), 'the refused image is not on the engine');
    assert.deepEqual(uploadsLeft(g), []);
  });

  it('refuses what is not a tar archive, and a compression it cannot look inside, with a clear message', async () => {
    const text = path.join(work, 'notes.txt');
    fs.writeFileSync(text, 'this is not a tarball at all\n'.repeat(64));
    const notTar = await load(g, text);
    assert.equal(codeOf(notTar), 'IMAGE_LOAD_FAILED');
    assert.match(JSON.stringify(notTar.body), /not a tar archive/);
    const xz = path.join(work, 'image.tar.xz');
    fs.writeFileSync(xz, Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(1024)]));
    const r = await load(g, xz);
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /xz-compressed, which Gureum cannot check before loading: send a plain tar or a gzip/);
    assert.deepEqual(uploadsLeft(g), []);
  });

  it('loads an image within the bounds, gzip-compressed too', async () => {
    const single = path.join(work, 'single.tar.gz');
    const ref = `gureum-bounds/${suffix}-single:1`;
    await docker('tag', TEST_IMAGE, ref);
    await run('sh', ['-c', `docker save ${ref} | gzip > ${single}`]);
    await docker('rmi', ref);
    const r = await load(g, single);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(String(r.body), new RegExp(`"status":"Loaded image: ${ref}"`));
    await docker('image', 'inspect', ref);
    await docker('rmi', ref);
    assert.deepEqual(uploadsLeft(g), []);
  });
});

describe('image storage is counted against GUREUM_IMAGE_STORAGE_BYTES', () => {
  let g: TestGureum;
  before(async () => {
    g = await startGureum({ GUREUM_IMAGE_STORAGE_BYTES: '1M' });
  });
  after(() => g.stop());

  it('refuses a load and a pull once the images on the engine take the limit, saying how much they take', async () => {
    const r = await load(g, twoLayersTar);
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(codeOf(r), 'QUOTA_EXCEEDED');
    assert.match(JSON.stringify(r.body), /images on the engine take \d+ bytes of the 1048576 allowed \(GUREUM_IMAGE_STORAGE_BYTES\)/);
    await assert.rejects(docker('image', 'inspect', TWO_LAYERS));
    const pull = await callRoute(g, 'pullImage', { token: g.token, body: { ref: `${REGISTRY}/gureum-test/busybox:1` } });
    assert.equal(pull.status, 403, JSON.stringify(pull.body));
    assert.equal(codeOf(pull), 'QUOTA_EXCEEDED');
  });
});
