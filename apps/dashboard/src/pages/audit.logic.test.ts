import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry } from '@gureum/contract';
import { auditQuery, currentCursor, EMPTY_AUDIT_FILTER, filterEntries, FIRST_PAGE, newerPage, olderPage } from './audit.logic.js';

const entry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  time: '2030-01-01T00:00:00Z',
  actor: 'alice',
  token: 'session',
  address: '127.0.0.1',
  action: 'createVolume',
  method: 'POST',
  path: '/api/v1/projects/lab/volumes',
  project: 'lab',
  status: 201,
  outcome: 'ok',
  code: null,
  ...over,
});

describe('audit paging and filters', () => {
  it('asks the API for the newest entries first, by actor and time range, then pages back before the oldest entry shown', () => {
    const filter = { ...EMPTY_AUDIT_FILTER, actor: ' bob ', from: '2030-01-02T10:00', until: '2030-01-03T10:00' };
    const first = auditQuery(filter, currentCursor(FIRST_PAGE), 2);
    assert.deepEqual(first, { actor: 'bob', since: new Date('2030-01-02T10:00').toISOString(), before: new Date('2030-01-03T10:00').toISOString(), order: 'desc', limit: 2 });
    const older = olderPage(FIRST_PAGE, [entry(9), entry(7)], 2);
    assert.ok(older);
    assert.deepEqual(auditQuery(filter, currentCursor(older), 2), { actor: 'bob', since: new Date('2030-01-02T10:00').toISOString(), before: '7', order: 'desc', limit: 2 }, 'the entry id replaces "until": it is older');
    const oldest = olderPage(older, [entry(5), entry(2)], 2);
    assert.ok(oldest);
    assert.equal(auditQuery(filter, currentCursor(oldest), 2).before, '2');
    assert.deepEqual(newerPage(oldest), older);
    assert.deepEqual(newerPage(older), FIRST_PAGE);
    assert.equal(newerPage(FIRST_PAGE), undefined);
  });

  it('sends no time bound for an empty or unreadable time field', () => {
    assert.deepEqual(auditQuery({ ...EMPTY_AUDIT_FILTER, from: 'not a time' }, undefined, 5), { order: 'desc', limit: 5 });
    assert.deepEqual(auditQuery(EMPTY_AUDIT_FILTER, undefined), { order: 'desc', limit: 50 });
  });

  it('ends paging on a short page', () => {
    assert.equal(olderPage(FIRST_PAGE, [entry(1)], 2), undefined);
    assert.equal(olderPage(FIRST_PAGE, [], 2), undefined);
  });

  it('filters a page by outcome and action', () => {
    const page = [entry(1), entry(2, { outcome: 'refused', action: 'putMember' }), entry(3, { outcome: 'failed', action: 'deleteMember' })];
    assert.deepEqual(filterEntries(page, { ...EMPTY_AUDIT_FILTER, action: 'member' }).map((e) => e.id), [2, 3]);
    assert.deepEqual(filterEntries(page, { ...EMPTY_AUDIT_FILTER, outcome: 'refused' }).map((e) => e.id), [2]);
  });
});
