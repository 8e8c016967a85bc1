import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Name } from '@gureum/contract';
import { secretErrors } from './secrets.logic.js';

describe('secret form', () => {
  it('checks the name with the contract’s rule and asks for a value', () => {
    const errors = secretErrors({ name: 'DB_PASSWORD', value: '' });
    const api = Name.safeParse('DB_PASSWORD');
    assert.ok(!api.success);
    assert.equal(errors.name, api.error.issues[0]?.message);
    assert.equal(errors.value, 'enter the value to store');
  });

  it('accepts a DNS-label name and any value up to the API’s limit', () => {
    assert.deepEqual(secretErrors({ name: 'db-password', value: 's3cret\nline two' }), {});
    assert.ok(secretErrors({ name: 'big', value: 'x'.repeat(1024 * 1024 + 1) }).value);
  });
});
