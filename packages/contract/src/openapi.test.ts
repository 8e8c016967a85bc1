import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOpenApi } from './openapi.js';
import { routes } from './routes.js';

describe('OpenAPI document', () => {
  it('documents the query parameters the exec socket accepts for browser credentials (csrf, access_token), optional', () => {
    const doc = buildOpenApi() as { paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean; schema: { description?: string } }[] }>> };
    const path = routes.instanceExec.path.replace(/:(\w+)/g, '{$1}');
    const params = doc.paths[path]?.get?.parameters ?? [];
    for (const name of ['csrf', 'access_token']) {
      const p = params.find((x) => x.name === name);
      assert.ok(p, `${name} is listed: ${params.map((x) => x.name).join(', ')}`);
      assert.equal(p.in, 'query');
      assert.equal(p.required, false);
      assert.ok((p.schema.description ?? '').length > 20, `${name} is described`);
    }
  });

  it('still refuses what it refused before: an out-of-range replica, and keeps unknown keys out', () => {
    assert.equal(routes.instanceExec.query.safeParse({ replica: '-1' }).success, false);
    assert.deepEqual(routes.instanceExec.query.parse({ csrf: 'x', other: 'y' }), { csrf: 'x' });
  });
});
