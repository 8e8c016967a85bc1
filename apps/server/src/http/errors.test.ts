import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../domain/core/errors.js';
import { toHttpError } from './errors.js';

describe('toHttpError', () => {
  it('gives a 429 with retryAfterSeconds a Retry-After header in whole seconds', () => {
    const e = toHttpError(new DomainError('TOO_MANY_ATTEMPTS', 'wait', { retryAfterSeconds: 41.2 }));
    assert.equal(e.status, 429);
    assert.deepEqual(e.headers, { 'retry-after': '42' });
    assert.deepEqual(e.body.error.details, { retryAfterSeconds: 41.2 });
  });

  it('adds no Retry-After where the error does not say when to come back', () => {
    assert.deepEqual(toHttpError(new DomainError('TOO_MANY_ATTEMPTS', 'wait')).headers, {});
    assert.deepEqual(toHttpError(new DomainError('TOO_MANY_ATTEMPTS', 'wait', { retryAfterSeconds: 'soon' })).headers, {});
    assert.deepEqual(toHttpError(new DomainError('FORBIDDEN', 'no', { retryAfterSeconds: 5 })).headers, {}, 'only 429 and 503 carry it');
    assert.deepEqual(toHttpError(new Error('boom')).headers, {});
  });
});
