import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { AutoscaleRepository } from './autoscale.repository.js';
import { databaseBefore } from './migration-kit.js';
import { migrate } from './migrations.js';
import type { Database } from './tables.js';

const T = '2026-01-01T00:00:00.000Z';

/** A real SQLite database as a Gureum before migration 5 left it, holding one CPU policy. */
async function beforeMemoryTargets(): Promise<Kysely<Database>> {
  const db = await databaseBefore(5, T);
  await sql.raw(`INSERT INTO projects (name, created_at) VALUES ('lab', '${T}')`).execute(db);
  await sql.raw(`INSERT INTO apps (name, title, description, parameters, components, version, created_at, updated_at) VALUES ('burn', '', '', '[]', '[]', 1, '${T}', '${T}')`).execute(db);
  await sql
    .raw(
      `INSERT INTO instances (id, project, name, app, app_version, parameters, env, components, desired_state, generation, phase, observed, created_at, updated_at)
       VALUES ('i1', 'lab', 'web', 'burn', 1, '{}', '{}', '[]', 'running', 1, 'running', '{}', '${T}', '${T}')`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO autoscale_policies (instance_id, component, project, instance, min_replicas, max_replicas, target_cpu_percent, up_window_seconds,
       down_window_seconds, last_cpu_percent, last_decision, last_decision_at, recommendations, created_at, updated_at)
       VALUES ('i1', 'main', 'lab', 'web', 1, 4, 60, 0, 300, 12.5, '2 → 1: cpu below target', '${T}', '[{"at":1,"replicas":1}]', '${T}', '${T}')`,
    )
    .execute(db);
  return db;
}

describe('migration 5: memory targets for autoscaling (real SQLite)', () => {
  it('keeps the CPU policies a database holds, with no memory target, and allows memory-only ones', async () => {
    const db = await beforeMemoryTargets();
    await migrate(db);
    const repo = new AutoscaleRepository(db);
    const [kept] = await repo.list();
    assert.deepEqual(
      { ...kept },
      {
        instanceId: 'i1',
        project: 'lab',
        instance: 'web',
        component: 'main',
        min: 1,
        max: 4,
        targetCpuPercent: 60,
        targetMemoryPercent: null,
        scaleUpStabilizationSeconds: 0,
        scaleDownStabilizationSeconds: 300,
        lastCpuPercent: 12.5,
        lastMemoryPercent: null,
        lastDecision: '2 → 1: cpu below target',
        lastDecisionAt: T,
        recommendations: [{ at: 1, replicas: 1 }],
        createdAt: T,
        updatedAt: T,
      },
    );
    await repo.put({ ...kept!, component: 'side', targetCpuPercent: null, targetMemoryPercent: 50 });
    assert.deepEqual(
      (await repo.listFor('i1')).map((p) => [p.component, p.targetCpuPercent, p.targetMemoryPercent]),
      [
        ['main', 60, null],
        ['side', null, 50],
      ],
    );
    await assert.rejects(repo.put({ ...kept!, component: 'none', targetCpuPercent: null, targetMemoryPercent: null }), /CHECK constraint failed/);
    // Still tied to its instance.
    await sql.raw(`DELETE FROM instances WHERE id = 'i1'`).execute(db);
    assert.deepEqual(await repo.list(), []);
    await db.destroy();
  });
});
