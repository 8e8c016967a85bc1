/**
 * Whatever goes wrong at the framework level (a method a path does not have, a body of the
 * wrong type, an over-long path parameter, a WebSocket route fetched as plain HTTP, a bad
 * cursor) is answered in the API's own JSON error envelope with a 4xx, never a 500 or a bare body.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorCatalog, type ErrorCode } from '@gureum/contract';
import { startGureum, uniqueName, type TestGureum } from '../support/harness.js';

let g: TestGureum;
const project = uniqueName('env');

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
});

after(async () => {
  await g?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  code: string | undefined;
  message: string | undefined;
}

async function ask(method: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(g.url + path, { method, ...init, headers: { authorization: `Bearer ${g.token}`, ...(init.headers as Record<string, string> | undefined) } });
  const text = await res.text();
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, `${method} ${path.slice(0, 80)}: a JSON answer, not ${JSON.stringify(text.slice(0, 80))}`);
  const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
  assert.equal(typeof body.error?.code, 'string', 'the error envelope');
  assert.equal(typeof body.error?.message, 'string', 'the error envelope');
  return { status: res.status, headers: res.headers, code: body.error?.code, message: body.error?.message };
}

function assertCode(a: Answer, code: ErrorCode): void {
  assert.equal(a.code, code);
  assert.equal(a.status, errorCatalog[code], `${code} answers its catalogued status`);
}

describe('framework errors in the API envelope', () => {
  it('answers a method a path does not have with 405 METHOD_NOT_ALLOWED and an Allow header; an unknown path stays 404', async () => {
    const wrong = await ask('DELETE', '/api/v1/projects');
    assertCode(wrong, 'METHOD_NOT_ALLOWED');
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD, POST');
    assertCode(await ask('PROPFIND', `/api/v1/projects/${project}`), 'METHOD_NOT_ALLOWED');
    assertCode(await ask('GET', '/api/v1/no-such-thing'), 'ROUTE_NOT_FOUND');
  });

  it('answers a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE, and creates nothing', async () => {
    const name = uniqueName('plain');
    assertCode(await ask('POST', '/api/v1/projects', { body: JSON.stringify({ name }), headers: { 'content-type': 'text/plain' } }), 'UNSUPPORTED_MEDIA_TYPE');
    assert.ok(!(await g.client.call('listProjects', {})).some((p) => p.name === name));
  });

  it('routes every id the contract allows, and answers a longer path parameter with 414 URI_TOO_LONG', async () => {
    // The longest repository name the engine takes (255 characters), with a tag, as a client percent-encodes it.
    const longest = encodeURIComponent(`127.0.0.1:5000/${'a/'.repeat(119)}bc:1`);
    assert.ok(longest.length > 500);
    assertCode(await ask('DELETE', `/api/v1/images/${longest}`), 'IMAGE_NOT_FOUND');
    // One the engine cannot parse is the caller's mistake, not a server error.
    assertCode(await ask('DELETE', `/api/v1/images/${encodeURIComponent(`127.0.0.1:5000/${'a/'.repeat(245)}b:1`)}`), 'VALIDATION_FAILED');
    assertCode(await ask('GET', `/api/v1/projects/${'a'.repeat(200)}`), 'VALIDATION_FAILED');
    assertCode(await ask('GET', `/api/v1/projects/${'a'.repeat(5000)}`), 'URI_TOO_LONG');
  });

  it('answers the terminal route fetched without Upgrade with 426 UPGRADE_REQUIRED', async () => {
    assertCode(await ask('GET', `/api/v1/projects/${project}/instances/nothing/exec`), 'UPGRADE_REQUIRED');
  });

  it('refuses an events cursor that is neither an id nor a time with 400, as the audit log does', async () => {
    for (const path of ['/api/v1/events?since=garbage', '/api/v1/audit?since=garbage']) {
      const a = await ask('GET', path);
      assertCode(a, 'VALIDATION_FAILED');
      assert.match(a.message ?? '', /since/);
    }
    for (const since of ['0', '2026-01-01T00:00:00Z']) assert.equal((await fetch(`${g.url}/api/v1/events?since=${since}`, { headers: { authorization: `Bearer ${g.token}` } })).status, 200, since);
  });

  it('refuses an image id with characters no id or reference has with 400, before the engine (found by the fuzzer: was 500)', async () => {
    const a = await ask('DELETE', '/api/v1/images/%C3%8F%C3%A5%F0%93%BD%80T%5D?force=0');
    assertCode(a, 'VALIDATION_FAILED');
    assert.match(a.message ?? '', /image id .* or a reference/);
    assertCode(await ask('DELETE', `/api/v1/images/gureum-none-${uniqueName('x')}:1`), 'IMAGE_NOT_FOUND');
  });
});
