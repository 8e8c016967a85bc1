import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ImageProgress, type Image } from '@gureum/contract';
import { busyboxApp, labelledImage, REGISTRY, removeProjects, startGureum, tempDir, TEST_IMAGE, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { openPipes, requestJson, settledPipes, waitRunning } from './support.js';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

let g: TestGureum;
const work = tempDir('gureum-images-');
const suffix = uniqueName('t');
const PULL_REF = `${REGISTRY}/gureum-test/busybox:1`;
const LOADED_REF = `gureum-load/${suffix}:1`;
const BIG_REF = `gureum-big/${suffix}:1`;
const IN_USE_REF = `gureum-inuse/${suffix}:1`;
const project = uniqueName('img');
/** Images this file made, removed at the end whatever happened. */
const made = [LOADED_REF, BIG_REF, IN_USE_REF];

interface NdjsonAnswer {
  status: number;
  contentType: string;
  lines: ImageProgress[];
  /** Set when the answer was a JSON error instead of a stream. */
  error?: { code: string; message: string };
}

/** Sends a request whose answer is NDJSON progress (or a JSON error); every line must be a valid ImageProgress. */
async function progressRequest(pathname: string, init: RequestInit & { duplex?: 'half' }): Promise<NdjsonAnswer> {
  const res = await fetch(g.url + pathname, { ...init, method: 'POST', headers: { authorization: `Bearer ${g.token}`, ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('application/json')) {
    return { status: res.status, contentType, lines: [], error: (JSON.parse(text) as { error: { code: string; message: string } }).error };
  }
  assert.ok(text.endsWith('\n'), 'NDJSON ends with a whole line');
  const lines = text
    .slice(0, -1)
    .split('\n')
    .map((l) => ImageProgress.parse(JSON.parse(l)));
  return { status: res.status, contentType, lines };
}

async function listImages(): Promise<Image[]> {
  return g.client.call('listImages', {});
}

/**
 * The same upload from a separate process, so that this process's memory is the server's
 * alone: Node 20's fetch may hold a whole streamed request body on its own side.
 */
async function uploadTarFromChild(file: string): Promise<NdjsonAnswer> {
  const script = `
    import fs from 'node:fs';
    import { Readable } from 'node:stream';
    const [url, token, file] = process.argv.slice(1);
    const res = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/x-tar' }, body: Readable.toWeb(fs.createReadStream(file)), duplex: 'half' });
    process.stdout.write(JSON.stringify({ status: res.status, contentType: res.headers.get('content-type'), text: await res.text() }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, `${g.url}/api/v1/images/load`, g.token, file], { maxBuffer: 16 * 1024 * 1024 });
  const { status, contentType, text } = JSON.parse(stdout) as { status: number; contentType: string; text: string };
  if (contentType.startsWith('application/json')) return { status, contentType, lines: [], error: (JSON.parse(text) as { error: { code: string; message: string } }).error };
  return { status, contentType, lines: text.trim().split('\n').map((l) => ImageProgress.parse(JSON.parse(l))) };
}

let bigTar: Promise<string> | undefined;
/** A `docker save` tarball of an image with a 100 MB layer of random (incompressible) bytes, made once. */
function bigTarball(): Promise<string> {
  return (bigTar ??= (async () => {
    const rootfs = path.join(work, 'rootfs');
    fs.mkdirSync(rootfs);
    await run('sh', ['-c', `head -c ${100 * 1024 * 1024} /dev/urandom > "${rootfs}/blob" && tar -C "${rootfs}" -cf "${work}/rootfs.tar" . && rm "${rootfs}/blob"`]);
    await docker('import', path.join(work, 'rootfs.tar'), BIG_REF);
    fs.rmSync(path.join(work, 'rootfs.tar'));
    const tar = path.join(work, 'big.tar');
    await docker('save', '-o', tar, BIG_REF);
    await docker('rmi', BIG_REF);
    assert.ok(fs.statSync(tar).size > 100 * 1024 * 1024);
    return tar;
  })());
}

const uploadTar = (file: string) =>
  progressRequest('/api/v1/images/load', {
    headers: { 'content-type': 'application/x-tar' },
    body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  });

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
  for (const ref of made) await docker('rmi', '-f', ref).catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('images', () => {
  it('pulls from a registry with NDJSON progress ending in the image, which is then listed', async () => {
    await docker('rmi', PULL_REF).catch(() => undefined); // not there before: the pull really pulls
    assert.ok(!(await listImages()).some((i) => i.tags.includes(PULL_REF)));

    const answer = await progressRequest('/api/v1/images/pull', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ref: PULL_REF }) });
    assert.equal(answer.status, 200, JSON.stringify(answer.error));
    assert.match(answer.contentType, /^application\/x-ndjson/);
    assert.ok(answer.lines.length >= 2, 'progress, then the result');
    assert.ok(answer.lines.every((l) => !l.error), JSON.stringify(answer.lines));
    const last = answer.lines[answer.lines.length - 1]!;
    assert.ok(last.image, `the last line holds the image: ${JSON.stringify(last)}`);
    assert.match(last.image.id, /^sha256:[0-9a-f]{64}$/);
    assert.ok(last.image.tags.includes(PULL_REF), `tags ${last.image.tags.join(', ')}`);
    assert.ok(answer.lines.slice(0, -1).every((l) => !l.image), 'only the last line holds the image');

    const listed = (await listImages()).find((i) => i.id === last.image!.id);
    assert.ok(listed, 'listed');
    assert.ok(listed?.tags.includes(PULL_REF));
    assert.ok(listed.sizeBytes > 0);
  });

  it('answers an error status, not 200, for a repository the registry does not have', async () => {
    const answer = await progressRequest('/api/v1/images/pull', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ref: `${REGISTRY}/gureum-test/${suffix}-absent:1` }) });
    assert.ok(answer.status >= 400, `status ${answer.status}`);
    assert.ok(answer.error, 'a JSON error body');
    assert.ok(['IMAGE_NOT_FOUND', 'IMAGE_PULL_FAILED'].includes(answer.error.code), answer.error.code);
    assert.equal(answer.status, answer.error.code === 'IMAGE_NOT_FOUND' ? 404 : 502);
    assert.match(answer.error.message, /absent/);

    const invalid = await requestJson(g, 'POST', '/api/v1/images/pull', { body: { ref: 'Not A Ref!' } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json.error?.code, 'VALIDATION_FAILED');
  });

  it('loads a docker save tarball sent as a stream, answering NDJSON that ends with the loaded image', async () => {
    await docker('tag', TEST_IMAGE, LOADED_REF);
    const tar = path.join(work, 'loaded.tar');
    await docker('save', '-o', tar, LOADED_REF);
    await docker('rmi', LOADED_REF);
    assert.ok(!(await listImages()).some((i) => i.tags.includes(LOADED_REF)));

    const answer = await uploadTar(tar);
    assert.equal(answer.status, 200, JSON.stringify(answer.error));
    assert.match(answer.contentType, /^application\/x-ndjson/);
    const last = answer.lines[answer.lines.length - 1]!;
    assert.ok(last.image?.tags.includes(LOADED_REF), JSON.stringify(last));
    assert.ok((await listImages()).some((i) => i.tags.includes(LOADED_REF)));
  });

  it('refuses bytes that are no image tarball with 400 IMAGE_LOAD_FAILED', async () => {
    const garbage = path.join(work, 'garbage.tar');
    fs.writeFileSync(garbage, Buffer.from('this is not a tar archive at all\n'.repeat(100)));
    const answer = await uploadTar(garbage);
    assert.equal(answer.status, 400);
    assert.equal(answer.error?.code, 'IMAGE_LOAD_FAILED');
  });

  it('refuses a body that is not a tarball upload with 415, and keeps serving', async () => {
    const json = await requestJson(g, 'POST', '/api/v1/images/load', { body: { ref: 'x' } });
    assert.equal(json.status, 415);
    assert.equal(json.json.error?.code, 'UNSUPPORTED_MEDIA_TYPE');
    const empty = await requestJson(g, 'POST', '/api/v1/images/load');
    assert.equal(empty.status, 415);
    assert.equal((await requestJson(g, 'GET', '/readyz')).status, 200);
  });

  it('keeps an upload cut off in the middle from the engine: nothing loaded, nothing left on disk', async () => {
    const tar = await bigTarball();
    const baseline = await settledPipes();
    // A client that sends 30 MB of the tarball, stalls, and is then killed.
    const script = `
      import fs from 'node:fs';
      const [url, token, file] = process.argv.slice(1);
      async function* body() {
        let sent = 0;
        for await (const chunk of fs.createReadStream(file)) {
          yield chunk;
          sent += chunk.length;
          if (sent > 30e6) break;
        }
        console.log('stalled');
        await new Promise(() => {});
      }
      await fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/x-tar' }, body: body(), duplex: 'half' });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, `${g.url}/api/v1/images/load`, g.token, tar], { stdio: ['ignore', 'pipe', 'ignore'] });
    const uploads = path.join(g.dataDir, 'uploads');
    try {
      await new Promise((resolve, reject) => {
        child.stdout.once('data', resolve);
        child.once('exit', (code) => reject(new Error(`the uploading client exited early with ${code}`)));
      });
      // The server holds what arrived in a file of its own, not on the engine.
      await waitFor(() => fs.existsSync(uploads) && fs.readdirSync(uploads).length === 1, { what: 'the upload to be spooled', timeoutMs: 10_000 });
    } finally {
      child.kill('SIGKILL');
    }
    await waitFor(() => fs.readdirSync(uploads).length === 0, { what: 'the cut-off upload to be discarded', timeoutMs: 15_000 });
    await waitFor(() => openPipes() <= baseline, { what: 'nothing of it to hold the engine', timeoutMs: 15_000 });
    assert.ok(!(await listImages()).some((i) => i.tags.includes(BIG_REF)), 'nothing was loaded');
  });

  it('streams a large upload to the engine without holding it in memory', async () => {
    const tar = await bigTarball();
    const size = fs.statSync(tar).size;
    globalThis.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let answer: NdjsonAnswer;
    try {
      answer = await uploadTarFromChild(tar);
    } finally {
      clearInterval(sampler);
    }
    assert.equal(answer.status, 200, JSON.stringify(answer.error));
    const growth = peak - baseline;
    assert.ok(growth < 60 * 1024 * 1024, `RSS grew by ${Math.round(growth / 1024 / 1024)} MB while loading a ${Math.round(size / 1024 / 1024)} MB tarball`);

    assert.ok(answer.lines[answer.lines.length - 1]!.image?.tags.includes(BIG_REF));
    assert.ok((await listImages()).some((i) => i.tags.includes(BIG_REF)));
  });

  it('answers 404 IMAGE_NOT_FOUND for an unknown image', async () => {
    for (const id of [`sha256:${'0'.repeat(64)}`, `gureum-none/${suffix}:9`]) {
      const answer = await requestJson(g, 'DELETE', `/api/v1/images/${encodeURIComponent(id)}`);
      assert.equal(answer.status, 404, id);
      assert.equal(answer.json.error?.code, 'IMAGE_NOT_FOUND');
    }
  });

  it('refuses to remove an image a running replica uses with 409 IMAGE_IN_USE, and removes it by id once unused', async () => {
    // An image of its own (a label makes its id unique), so that nothing else holds it.
    const id = await labelledImage(IN_USE_REF, { 'io.gureum.test': suffix });
    const app = uniqueName('inuse');
    await g.client.call('createApp', { body: busyboxApp(app, { image: IN_USE_REF }) });
    await g.client.call('createInstance', { params: { project }, body: { name: 'user', app } });
    await waitRunning(g, project, 'user');

    for (const target of [id, IN_USE_REF]) {
      const answer = await requestJson(g, 'DELETE', `/api/v1/images/${encodeURIComponent(target)}`);
      assert.equal(answer.status, 409, `${target}: ${JSON.stringify(answer.json)}`);
      assert.equal(answer.json.error?.code, 'IMAGE_IN_USE');
    }
    assert.ok((await listImages()).some((i) => i.id === id && i.tags.includes(IN_USE_REF)), 'the image is still there');

    // Once nothing uses it, removing it by id works, and then it is gone.
    await g.client.call('deleteInstance', { params: { project, instance: 'user' } });
    await waitFor(async () => (await g.client.call('listInstances', { params: { project } })).length === 0, { what: 'the instance to go' });
    const removed = await requestJson(g, 'DELETE', `/api/v1/images/${encodeURIComponent(id)}`);
    assert.equal(removed.status, 200, JSON.stringify(removed.json));
    assert.deepEqual(removed.json, { deleted: true });
    assert.ok(!(await listImages()).some((i) => i.id === id));
    const again = await requestJson(g, 'DELETE', `/api/v1/images/${encodeURIComponent(id)}`);
    assert.equal(again.status, 404);
    assert.equal(again.json.error?.code, 'IMAGE_NOT_FOUND');
  });
});
