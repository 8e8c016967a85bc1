import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenCreate, type Event } from '@gureum/contract';
import { EMPTY_TOKEN_FORM, expiryOf, tokenBody, tokenStatus, touchesTokens } from './tokens.form.js';

const NOW = new Date('2030-06-15T12:00:00Z');

describe('token form', () => {
  it('turns a preset expiry into a time that many days ahead', () => {
    const checked = tokenBody({ ...EMPTY_TOKEN_FORM, name: 'ci', expiry: '30' }, NOW);
    assert.ok(checked.ok);
    assert.equal(checked.body.expiresAt, '2030-07-15T12:00:00.000Z');
    assert.equal(checked.body.readOnly, false);
    assert.equal(checked.body.projects, undefined);
  });

  it('sends no expiry for "never" and the project limit when projects are chosen', () => {
    const checked = tokenBody({ ...EMPTY_TOKEN_FORM, name: 'ci', expiry: 'never', readOnly: true, projects: ['lab'] }, NOW);
    assert.ok(checked.ok);
    assert.deepEqual(checked.body, { name: 'ci', readOnly: true, projects: ['lab'] });
  });

  it('refuses a chosen day in the past with the API’s words, and a missing day', () => {
    assert.equal(expiryOf({ expiry: 'custom', expiryDate: '2030-06-01' }, NOW).error, 'must be a time in the future');
    assert.equal(expiryOf({ expiry: 'custom', expiryDate: '' }, NOW).error, 'choose the day the token expires');
    const later = expiryOf({ expiry: 'custom', expiryDate: '2030-07-01' }, NOW);
    assert.ok(later.expiresAt && Date.parse(later.expiresAt) > NOW.getTime());
  });

  it('gives the contract schema’s message for a bad name, beside the name field', () => {
    const checked = tokenBody({ ...EMPTY_TOKEN_FORM, name: '   ', expiry: 'custom', expiryDate: '2001-01-01' }, NOW);
    assert.ok(!checked.ok);
    const expected = TokenCreate.safeParse({ name: '' });
    assert.ok(!expected.success);
    assert.equal(checked.errors.name, expected.error.issues.find((i) => i.path[0] === 'name')?.message);
    assert.equal(checked.errors.expiresAt, 'must be a time in the future');
  });

  it('says when a token expires or has expired', () => {
    assert.deepEqual(tokenStatus({ expiresAt: null }, NOW), { expired: false, text: 'never expires' });
    assert.equal(tokenStatus({ expiresAt: '2030-06-25T12:00:00Z' }, NOW).text, 'expires in 10 days');
    assert.deepEqual(tokenStatus({ expiresAt: '2030-06-01T00:00:00Z' }, NOW), { expired: true, text: 'expired 2030-06-01' });
  });
});

describe('token list, live', () => {
  const event = (type: Event['type'], user: string): Event => ({ id: 1, time: '2030-06-15T12:00:00Z', type, project: null, instance: null, message: '', data: { id: 't1', name: 'ci', user } });

  it("reloads on the user's own token events only (an admin's stream carries everyone's)", () => {
    const live = touchesTokens('ana');
    assert.equal(live(event('token.created', 'ana')), true);
    assert.equal(live(event('token.revoked', 'ana')), true);
    assert.equal(live(event('token.created', 'bo')), false);
    assert.equal(live(event('member.added', 'ana')), false);
  });
});
