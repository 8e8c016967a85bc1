import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routePaths, type RouteFacts } from './route-paths.js';
import { routes } from './routes.js';

/** The schema-free facts of a route, as `route-paths.ts` must state them. */
function factsOf(route: RouteFacts): RouteFacts {
  return {
    method: route.method,
    path: route.path,
    ...(route.stream !== undefined && { stream: route.stream }),
    ...(route.upload !== undefined && { upload: route.upload }),
    access: route.access,
  };
}

describe('route-paths.ts', () => {
  it('states every route of routes.ts, and no other', () => {
    assert.deepEqual(Object.keys(routePaths).sort(), Object.keys(routes).sort());
  });

  it('states the same method, path, stream, upload and access as routes.ts', () => {
    for (const [id, route] of Object.entries(routes)) {
      const stated = (routePaths as Record<string, RouteFacts | undefined>)[id];
      // The message is the line to write into route-paths.ts.
      assert.deepEqual(stated && factsOf(stated), factsOf(route), `route-paths.ts should have  ${id}: ${JSON.stringify(factsOf(route))},`);
    }
  });
});
