import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendLines, filterLines, highlight, logFileName } from './log-buffer.js';

describe('log buffer', () => {
  it('keeps the newest lines up to its size', () => {
    assert.deepEqual(appendLines(['a', 'b'], ['c', 'd'], 3), ['b', 'c', 'd']);
  });
  it('searches without regard to case', () => {
    assert.deepEqual(filterLines(['Error: x', 'ok', 'an error'], 'ERROR'), ['Error: x', 'an error']);
    assert.deepEqual(filterLines(['a'], ''), ['a']);
  });
  it('marks every match in a line', () => {
    assert.deepEqual(highlight('abcab', 'AB'), [
      { text: 'ab', match: true },
      { text: 'c', match: false },
      { text: 'ab', match: true },
    ]);
  });
  it('names a download after the instance', () => {
    assert.equal(logFileName('lab', 'web', new Date('2026-01-02T03:04:05.000Z')), 'lab-web-2026-01-02T03-04-05-000Z.log');
  });
});
