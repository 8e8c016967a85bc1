import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { AlertRepository } from './alert.repository.js';
import { databaseBefore } from './migration-kit.js';
import { migrate } from './migrations.js';

const T = '2026-01-01T00:00:00.000Z';

describe('migration 7: node rules share the alert tables (real SQLite)', () => {
  it('keeps the project rules, series and deliveries a database holds, takes node rules, and still drops a deleted project’s rules', async () => {
    // The database as migration 6 left it, with one firing rule that has a delivery.
    const db = await databaseBefore(7, T);
    await sql.raw(`INSERT INTO projects (name, created_at) VALUES ('lab', '${T}')`).execute(db);
    const repo = new AlertRepository(db);
    const rule = { project: 'lab', name: 'hot', metric: 'cpu_cores', agg: 'avg', scope: 'project', target: null, comparison: '>', threshold: 1, windowSeconds: 60, forSeconds: 0, webhookUrl: 'http://127.0.0.1:9/h', webhookSecretSealed: 'sealed', enabled: true, evaluatedAt: null, createdAt: T, updatedAt: T } as const;
    await repo.insert(rule);
    await repo.putSeries({ project: 'lab', rule: 'hot', key: 'lab', state: 'firing', value: 2, since: T });
    const id = await repo.insertDelivery({ project: 'lab', rule: 'hot', event: 'firing', key: 'lab', body: '{}', status: 'pending', attempts: 0, lastStatusCode: null, lastError: null, createdAt: T, nextAttemptAt: T, deliveredAt: null });

    await migrate(db);

    assert.deepEqual(await repo.list('lab'), [rule]);
    assert.deepEqual(await repo.firing(), [{ project: 'lab', rule: 'hot', key: 'lab', state: 'firing', value: 2, since: T }]);
    assert.deepEqual((await repo.dueDeliveries(T, 10)).map((d) => [d.id, d.project, d.rule]), [[id, 'lab', 'hot']]);

    await repo.insert({ ...rule, project: null, name: 'disk', metric: 'node_disk_used_percent', scope: 'node' });
    await repo.putSeries({ project: null, rule: 'disk', key: 'n1', state: 'firing', value: 95, since: T });
    assert.deepEqual((await repo.list(null)).map((r) => [r.project, r.name]), [[null, 'disk']]);
    assert.deepEqual((await repo.firing()).map((s) => [s.project, s.rule, s.key]), [[null, 'disk', 'n1'], ['lab', 'hot', 'lab']]);

    await sql.raw(`DELETE FROM projects WHERE name = 'lab'`).execute(db);
    assert.deepEqual((await repo.list()).map((r) => r.name), ['disk'], 'the project’s rules go with it, the node rule stays');
    assert.deepEqual((await repo.firing()).map((s) => s.rule), ['disk']);
    assert.deepEqual(await repo.dueDeliveries(T, 10), []);
    await db.destroy();
  });
});
