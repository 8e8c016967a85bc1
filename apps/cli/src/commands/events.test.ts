import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSince } from './events.js';

describe('events --since', () => {
  it('keeps ids and ISO times, and turns a time ago into the ISO time it means', () => {
    const now = Date.parse('2025-01-10T12:00:00.000Z');
    assert.equal(parseSince('42', now), '42');
    assert.equal(parseSince('2025-01-01T00:00:00Z', now), '2025-01-01T00:00:00Z');
    assert.equal(parseSince('10m', now), '2025-01-10T11:50:00.000Z');
    assert.equal(parseSince('-2h', now), '2025-01-10T10:00:00.000Z');
    assert.equal(parseSince('7d', now), '2025-01-03T12:00:00.000Z');
  });
});
