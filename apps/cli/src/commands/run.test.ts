import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReplicas, typedParameters } from './run.js';

describe('run arguments', () => {
  it('reads --replicas as a number or per component', () => {
    assert.equal(parseReplicas([], '--replicas'), undefined);
    assert.equal(parseReplicas(['3'], '--replicas'), 3);
    assert.deepEqual(parseReplicas(['master=1', 'worker=4'], '--replicas'), { master: 1, worker: 4 });
    assert.throws(() => parseReplicas(['many'], 'replicas'), /replicas must be a number, or component=number/);
    assert.throws(() => parseReplicas(['worker=x'], '--replicas'), /--replicas of worker must be a whole number/);
  });

  it('types --param values as the app declares them, and leaves a misfit for the server to name', () => {
    const app = {
      parameters: [
        { name: 'workers', type: 'integer' as const },
        { name: 'debug', type: 'boolean' as const },
        { name: 'greeting', type: 'string' as const },
      ],
    };
    assert.deepEqual(typedParameters(app, { workers: '4', debug: 'yes', greeting: '42', other: 'x' }), { workers: 4, debug: true, greeting: '42', other: 'x' });
    assert.deepEqual(typedParameters(app, { workers: 'four', debug: 'maybe' }), { workers: 'four', debug: 'maybe' });
  });
});
