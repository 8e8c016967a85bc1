import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { App, ParameterSpec } from '@gureum/contract';
import { checkParameters, initialValues, quotaCost, quotaLines, toParameters } from './launch-form.js';

const params: ParameterSpec[] = [
  { name: 'workers', type: 'integer', default: 2, min: 1, max: 8 },
  { name: 'mode', type: 'enum', values: ['fast', 'safe'], default: 'safe' },
  { name: 'debug', type: 'boolean' },
  { name: 'token', type: 'string', required: true },
];

describe('launch form', () => {
  it('starts from the defaults', () => {
    assert.deepEqual(initialValues(params), { workers: '2', mode: 'safe', debug: false, token: '' });
  });

  it('sends integers as numbers and leaves empty fields to the default', () => {
    assert.deepEqual(toParameters(params, { workers: '4', mode: '', debug: true, token: 'x' }), { workers: 4, debug: true, token: 'x' });
  });

  it('says what is wrong in the API’s words', () => {
    assert.deepEqual(checkParameters(params, { workers: '9', mode: 'fast', debug: false, token: '' }), {
      'parameters.workers': 'must be at most 8',
      'parameters.token': 'is required',
    });
    assert.deepEqual(checkParameters(params, { workers: 'many', mode: 'fast', debug: false, token: 't' }), { 'parameters.workers': 'must be an integer' });
    assert.deepEqual(checkParameters(params, { workers: '3', mode: 'fast', debug: false, token: 't' }), {});
  });

  it('computes the quota a launch takes and flags what goes over', () => {
    const app = {
      parameters: params,
      components: [
        { name: 'master', image: 'x', replicas: 1, resources: { cpus: 0.5, memoryBytes: 100 } },
        { name: 'worker', image: 'x', replicas: { param: 'workers' }, resources: { cpus: 1, memoryBytes: 200 } },
      ],
    } as Pick<App, 'components' | 'parameters'>;
    const cost = quotaCost(app, { workers: '3' });
    assert.deepEqual(cost, { replicas: 4, cpus: 3.5, memoryBytes: 700, unlimitedCpu: false, unlimitedMemory: false });
    const lines = quotaLines({ quota: { instances: null, replicas: 10, cpus: 4, memoryBytes: null, volumes: null, volumeBytes: null }, used: { instances: 1, replicas: 2, cpus: 1, memoryBytes: 0, volumes: 0, volumeBytes: 0 } }, cost);
    assert.deepEqual(lines.map((l) => [l.what, l.after, l.over]), [['instances', 2, false], ['replicas', 6, false], ['cpus', 4.5, true], ['memoryBytes', 700, false]]);
  });
});
