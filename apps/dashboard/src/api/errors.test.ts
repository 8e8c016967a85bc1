import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, AppCreate } from '@gureum/contract';
import { localErrors } from '../ui/validate.js';
import { describeError, fieldErrors } from './errors.js';

describe('describeError', () => {
  it('puts an API error in plain words and keeps its code, status and field messages', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', 'name: must be a DNS label', [{ path: 'name', message: 'must be a DNS label' }]);
    const shown = describeError(err);
    assert.equal(shown.title, 'Some fields need fixing.');
    assert.equal(shown.code, 'VALIDATION_FAILED');
    assert.equal(shown.status, 400);
    assert.deepEqual(shown.fields, { name: 'must be a DNS label' });
  });

  it('names families of codes it has no words of its own for', () => {
    assert.match(describeError(new ApiError(404, 'VOLUME_NOT_FOUND', 'no volume x')).title, /not there/);
    assert.match(describeError(new ApiError(409, 'APP_EXISTS', 'app x exists')).title, /already taken/);
    assert.match(describeError(new ApiError(0, 'NETWORK', 'cannot reach')).title, /cannot be reached/);
  });

  it('maps parameter problems to parameters.<name> fields', () => {
    assert.deepEqual(fieldErrors({ parameters: { workers: 'must be at most 8' } }), { 'parameters.workers': 'must be at most 8' });
  });
});

describe('localErrors', () => {
  it('answers the same paths and messages as the API does for the same body', () => {
    const body = { name: 'Bad Name', components: [{ name: 'web', image: 'busybox', resources: { memoryBytes: 10 } }] };
    const local = localErrors(AppCreate, body);
    // The server turns the same zod issues into details [{path: "a.b", message}] (http/errors.ts).
    const parsed = AppCreate.safeParse(body);
    if (parsed.success) return assert.fail('the body should be refused');
    const api = fieldErrors(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    assert.deepEqual(local, api);
    assert.ok(local.name?.includes('DNS label'));
    assert.ok(local['components.0.resources.memoryBytes']);
  });

  it('answers nothing for a valid body', () => {
    assert.deepEqual(localErrors(AppCreate, { name: 'ok', components: [{ name: 'web', image: 'busybox' }] }), {});
  });
});
