import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuotaPatch } from './quota.js';

describe('quota set KEY=VALUE', () => {
  it('reads counts, cores and sizes, and none as no limit', () => {
    assert.deepEqual(parseQuotaPatch(['memory=10GiB', 'cpus=1.5', 'instances=3', 'volume-size=512M', 'volumes=none']), {
      memoryBytes: 10 * 1024 ** 3,
      cpus: 1.5,
      instances: 3,
      volumeBytes: 512 * 1024 ** 2,
      volumes: null,
    });
    assert.deepEqual(parseQuotaPatch(['memoryBytes=1024']), { memoryBytes: 1024 });
  });

  it('names what is wrong', () => {
    assert.throws(() => parseQuotaPatch([]), /at least one KEY=VALUE/);
    assert.throws(() => parseQuotaPatch(['gpus=1']), /no quota named gpus/);
    assert.throws(() => parseQuotaPatch(['instances=many']), /instances must be a whole number/);
    assert.throws(() => parseQuotaPatch(['cpus=lots']), /cpus must be a number/);
    assert.throws(() => parseQuotaPatch(['memory=big']), /big is not a size/);
  });
});
