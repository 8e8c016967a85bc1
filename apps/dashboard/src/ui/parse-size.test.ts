import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSize, writeSize } from './parse-size.js';

describe('sizes written by people', () => {
  it('reads binary and decimal units, with or without a space', () => {
    assert.equal(parseSize('512MiB'), 512 * 1024 ** 2);
    assert.equal(parseSize('2 GB'), 2e9);
    assert.equal(parseSize('1.5g'), 1.5 * 1024 ** 3);
    assert.equal(parseSize('4096'), 4096);
  });

  it('answers undefined for what is not a size', () => {
    for (const text of ['', 'lots', '-1GiB', '3 parsecs', '1e9']) assert.equal(parseSize(text), undefined, text);
  });

  it('writes a size back exactly in the largest unit that divides it', () => {
    assert.equal(writeSize(4 * 1024 ** 3), '4GiB');
    assert.equal(writeSize(1536 * 1024 ** 2), '1536MiB');
    assert.equal(writeSize(1000), '1000');
    assert.equal(parseSize(writeSize(3 * 1024 ** 4)), 3 * 1024 ** 4);
  });
});
