import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../core/errors.js';
import type { AppRecord } from '../core/records.js';
import { hostPortsOf, renderComponents, specHash, validateApp } from './render.js';

const hadoop: AppRecord = {
  name: 'hadoop',
  project: null,
  title: 'Hadoop',
  description: '',
  version: 1,
  createdAt: '',
  updatedAt: '',
  parameters: [
    { name: 'workers', type: 'integer', default: 2, min: 1, max: 10 },
    { name: 'mode', type: 'enum', values: ['fast', 'safe'], default: 'safe' },
  ],
  components: [
    { name: 'master', image: 'hadoop:3', replicas: 1, env: { MODE: '{{mode}}' }, ports: [{ name: 'ui', containerPort: 9870, protocol: 'tcp', hostPort: 9870 }] },
    { name: 'worker', image: 'hadoop:3', replicas: { param: 'workers' }, env: { MASTER: '{{instance}}-master' }, volumes: [{ volume: 'data-{{instance}}', mountPath: '/data' }] },
  ],
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError';
  }
  return undefined;
}

describe('renderComponents', () => {
  it('fills defaults, substitutes parameters and built-ins, takes replicas from a parameter', () => {
    const out = renderComponents(hadoop, { project: 'lab', instance: 'h1', parameters: { workers: 4 } });
    assert.deepEqual(out.parameters, { workers: 4, mode: 'safe' });
    assert.equal(out.components[1]!.replicas, 4);
    assert.equal(out.components[0]!.env.MODE, 'safe');
    assert.equal(out.components[1]!.env.MASTER, 'h1-master');
    assert.equal(out.components[1]!.volumes[0]!.volume, 'data-h1');
  });

  it('refuses out-of-range, unknown and mistyped parameters with PARAMETER_INVALID', () => {
    assert.equal(codeOf(() => renderComponents(hadoop, { project: 'p', instance: 'i', parameters: { workers: 11 } })), 'PARAMETER_INVALID');
    assert.equal(codeOf(() => renderComponents(hadoop, { project: 'p', instance: 'i', parameters: { nope: 1 } })), 'PARAMETER_INVALID');
    assert.equal(codeOf(() => renderComponents(hadoop, { project: 'p', instance: 'i', parameters: { mode: 'turbo' } })), 'PARAMETER_INVALID');
    assert.equal(codeOf(() => renderComponents(hadoop, { project: 'p', instance: 'i', parameters: { workers: '3' } })), 'PARAMETER_INVALID');
  });

  it('takes a replicas override per component and refuses a bare number for a multi-component app', () => {
    const out = renderComponents(hadoop, { project: 'p', instance: 'i', parameters: {}, replicas: { worker: 7 } });
    assert.equal(out.components[1]!.replicas, 7);
    assert.equal(codeOf(() => renderComponents(hadoop, { project: 'p', instance: 'i', parameters: {}, replicas: 3 })), 'REPLICAS_INVALID');
  });

  it('refuses more than one replica of a component with a fixed host port', () => {
    assert.equal(codeOf(() => renderComponents(hadoop, { project: 'p', instance: 'i', parameters: {}, replicas: { master: 2 } })), 'REPLICAS_INVALID');
  });

  it('lists claimed host ports', () => {
    const out = renderComponents(hadoop, { project: 'p', instance: 'i', parameters: {} });
    assert.deepEqual(hostPortsOf(out.components), ['9870/tcp']);
  });
});

describe('validateApp', () => {
  it('accepts a well-formed app', () => {
    validateApp(hadoop);
  });
  it('refuses dangling references and duplicates', () => {
    const bad = { ...hadoop, components: [...hadoop.components, { name: 'master', image: 'x', replicas: { param: 'missing' }, env: { A: '{{ghost}}' } }] };
    assert.throws(() => validateApp(bad), (err: DomainError) => {
      assert.equal(err.code, 'VALIDATION_FAILED');
      assert.match(err.message, /component master is defined twice/);
      assert.match(err.message, /unknown parameter missing/);
      assert.match(err.message, /\{\{ghost\}\} names no parameter/);
      return true;
    });
  });
  it('refuses a default out of bounds', () => {
    const bad = { ...hadoop, parameters: [{ name: 'workers', type: 'integer' as const, default: 20, max: 10 }] };
    assert.equal(codeOf(() => validateApp(bad)), 'VALIDATION_FAILED');
  });
});

describe('specHash', () => {
  it('ignores the replica count but not the image, env or restart nonce', () => {
    const [, worker] = renderComponents(hadoop, { project: 'p', instance: 'i', parameters: {} }).components;
    const base = specHash(worker!, 0);
    assert.equal(specHash({ ...worker!, replicas: 9 }, 0), base);
    assert.notEqual(specHash({ ...worker!, image: 'hadoop:4' }, 0), base);
    assert.notEqual(specHash({ ...worker!, env: { X: '1' } }, 0), base);
    assert.notEqual(specHash(worker!, 1), base);
  });
});
