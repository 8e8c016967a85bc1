import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '@gureum/contract';
import { formatBytes } from '../ui/format.js';
import { nodeRows } from './nodes.logic.js';

const node: Node = { name: 'host-a', cpus: 4, memoryBytes: 8 * 1024 ** 3, engine: 'docker', engineVersion: '27.0', os: 'linux', arch: 'x86_64', status: 'ready', labels: { site: 'lab', gpu: '' } };

describe('node rows', () => {
  it('shows capacity alone while metrics are not available', () => {
    const [row] = nodeRows([node], null);
    assert.ok(row);
    assert.deepEqual(row.cpu, { fraction: null, text: '4 cores total' });
    assert.deepEqual(row.memory, { fraction: null, text: `${formatBytes(8 * 1024 ** 3)} total` });
    assert.equal(row.disk, null);
    assert.deepEqual(row.labels, ['site=lab', 'gpu']);
  });

  it('joins the latest sample of the node for use against capacity', () => {
    const [row] = nodeRows([node], [{ node: 'host-a', time: '2030-01-01T00:00:00Z', cpuCores: 1, cpus: 4, memoryBytes: 2 * 1024 ** 3, memoryTotalBytes: 8 * 1024 ** 3, load1: 0.5, diskUsedBytes: 50, diskTotalBytes: 100 }]);
    assert.ok(row);
    assert.deepEqual(row.cpu, { fraction: 0.25, text: '1 cores of 4 cores' });
    assert.equal(row.memory.text, `${formatBytes(2 * 1024 ** 3)} of ${formatBytes(8 * 1024 ** 3)}`);
    assert.equal(row.disk?.fraction, 0.5);
    assert.equal(row.load1, 0.5);
  });
});
