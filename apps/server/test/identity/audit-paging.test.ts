/**
 * Reading the audit log newest first, page by page: every entry exactly once while new ones are
 * written, the same in the project's log, and a clear 400 for a cursor that is not one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditEntry } from '@gureum/contract';
import { removeProjects, startGureum, uniqueName, type TestGureum } from '../support/harness.js';
import { callRoute, codeOf, createUser, type TestUser } from './identity-kit.js';

let g: TestGureum;
let owner: TestUser;
const project = uniqueName('audp');

/** One audited change in the project (a secret written). */
async function change(n: number): Promise<void> {
  assert.equal((await callRoute(g, 'putSecret', { token: owner.token, params: { project, secret: `s${n}` }, body: { value: String(n) } })).status, 200);
}

async function projectAudit(query: Record<string, string>): Promise<AuditEntry[]> {
  const r = await callRoute(g, 'listProjectAudit', { token: owner.token, params: { project }, query });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as AuditEntry[];
}

before(async () => {
  g = await startGureum();
  owner = await createUser(g, 'pat');
  assert.equal((await callRoute(g, 'createProject', { token: owner.token, body: { name: project } })).status, 201);
  for (let n = 0; n < 8; n++) await change(n);
});

after(async () => {
  await g?.stop();
  await removeProjects(project);
});

describe('audit log, newest first', () => {
  it('answers the newest entry first with order=desc, and oldest first by default as before', async () => {
    const asc = await projectAudit({ limit: '1000' });
    const desc = await projectAudit({ order: 'desc', limit: '1000' });
    assert.ok(asc.length >= 8, `${asc.length} entries`);
    assert.deepEqual(desc, [...asc].reverse());
    assert.equal(desc[0]!.path, `/api/v1/projects/${project}/secrets/s7`, 'the last change comes first');
    const all = await g.client.call('listAudit', { query: { order: 'desc', limit: 5 } });
    assert.deepEqual(all.map((e) => e.id), [...all.map((e) => e.id)].sort((a, b) => b - a));
  });

  it('pages newest first by before=<id of the last entry>, every entry once, while new ones are written', async () => {
    const expected = (await projectAudit({ order: 'desc', limit: '1000' })).map((e) => e.id);
    const seen: number[] = [];
    let pages = 0;
    let before: string | undefined;
    for (; pages < 20; pages++) {
      const page = await projectAudit({ order: 'desc', limit: '3', ...(before !== undefined && { before }) });
      seen.push(...page.map((e) => e.id));
      if (page.length < 3) break;
      before = String(page.at(-1)!.id);
      // A change between two pages: newer than the first page, so on none of the pages that follow.
      if (pages === 0) await change(100);
    }
    assert.ok(pages >= 2, `read ${pages + 1} pages`);
    assert.deepEqual(seen, expected, 'no gap, no duplicate, the newest first');
    const newest = await projectAudit({ order: 'desc', limit: '1' });
    assert.ok(newest[0]!.id > expected[0]!, 'the change written meanwhile is on a new first page');
  });

  it('pages oldest first by since=<id> as before, and combines a time range with the order', async () => {
    const asc = await projectAudit({ limit: '1000' });
    const first = await projectAudit({ limit: '3' });
    const second = await projectAudit({ limit: '3', since: String(first.at(-1)!.id) });
    assert.deepEqual([...first, ...second], asc.slice(0, 6));
    // Entries before the time of the 4th: the first three, newest first.
    const cut = asc[3]!;
    const earlier = await projectAudit({ order: 'desc', before: cut.time, limit: '1000' });
    assert.deepEqual(earlier.map((e) => e.id), asc.filter((e) => e.time < cut.time).map((e) => e.id).reverse());
    const between = await projectAudit({ order: 'desc', since: String(asc[1]!.id), before: String(asc[4]!.id) });
    assert.deepEqual(between.map((e) => e.id), [asc[3]!.id, asc[2]!.id]);
  });

  it('refuses a cursor that is neither an entry id nor a time, and an unknown order (400 VALIDATION_FAILED)', async () => {
    const queries: Record<string, string>[] = [{ before: 'yesterday-ish' }, { since: 'abc' }, { before: '-3' }, { since: 'foo 1' }, { order: 'sideways' }];
    for (const query of queries) {
      const r = await callRoute(g, 'listProjectAudit', { token: owner.token, params: { project }, query });
      assert.equal(r.status, 400, JSON.stringify(query));
      assert.equal(codeOf(r), 'VALIDATION_FAILED');
      assert.match((r.body as { error: { message: string } }).error.message, new RegExp(Object.keys(query)[0]!));
      const global = await callRoute(g, 'listAudit', { token: g.token, query });
      assert.equal(global.status, 400);
    }
  });
});
