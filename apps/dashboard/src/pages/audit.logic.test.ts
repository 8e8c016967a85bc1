import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry } from '@gureum/contract';
import { auditQuery, currentCursor, EMPTY_AUDIT_FILTER, filterEntries, FIRST_PAGE, nextPage, previousPage } from './audit.logic.js';

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
  it('asks the API for actor and start time, then pages on by entry id', () => {
    const filter = { ...EMPTY_AUDIT_FILTER, actor: ' bob ', from: '2030-01-02T10:00' };
    const first = auditQuery(filter, currentCursor(FIRST_PAGE), 2);
    assert.equal(first.actor, 'bob');
    assert.equal(first.since, new Date('2030-01-02T10:00').toISOString());
    const pager = nextPage(FIRST_PAGE, [entry(7), entry(9)], 2);
    assert.ok(pager);
    assert.deepEqual(auditQuery(filter, currentCursor(pager), 2), { actor: 'bob', since: '9', limit: 2 });
    assert.deepEqual(previousPage(pager), FIRST_PAGE);
    assert.equal(previousPage(FIRST_PAGE), undefined);
  });

  it('ends paging on a short page', () => {
    assert.equal(nextPage(FIRST_PAGE, [entry(1)], 2), undefined);
    assert.equal(nextPage(FIRST_PAGE, [], 2), undefined);
  });

  it('filters a page by outcome and action', () => {
    const page = [entry(1), entry(2, { outcome: 'refused', action: 'putMember' }), entry(3, { outcome: 'failed', action: 'deleteMember' })];
    assert.deepEqual(filterEntries(page, { ...EMPTY_AUDIT_FILTER, action: 'member' }).map((e) => e.id), [2, 3]);
    assert.deepEqual(filterEntries(page, { ...EMPTY_AUDIT_FILTER, outcome: 'refused' }).map((e) => e.id), [2]);
  });
});
