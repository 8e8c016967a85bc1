import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskText, StreamMasker } from './secret-mask.js';

/** Feeds the text to a masker in pieces of the given sizes; answers all it let through. */
function through(values: string[], text: string, sizes: number[]): string {
  const m = new StreamMasker(values);
  let out = '';
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const n = sizes[i % sizes.length]!;
    out += m.push(text.slice(at, at + n));
    at += n;
  }
  return out + m.flush();
}

describe('secret masking', () => {
  it('masks every occurrence, longest value first, and leaves short values alone', () => {
    assert.equal(maskText('a hunter2 b hunter2hunter2', ['hunter2']), 'a *** b ******');
    assert.equal(maskText('token=abcdefgh', ['abcd', 'abcdefgh']), 'token=***');
    assert.equal(maskText('on and on', ['on']), 'on and on');
    assert.equal(maskText('a.b*c', ['a.b*c']), '***');
  });

  it('masks values split across chunks, at every split point', () => {
    const text = 'start s3cr3t-value middle s3cr3t-value end\n';
    for (let size = 1; size <= text.length; size++) {
      const out = through(['s3cr3t-value'], text, [size]);
      assert.equal(out, 'start *** middle *** end\n', `chunks of ${size}`);
    }
    assert.equal(through(['s3cr3t-value', 'other-one'], text + 'other-one', [3, 7, 1, 5]), 'start *** middle *** end\n***');
  });

  it('holds back only a tail that could begin a value', () => {
    const m = new StreamMasker(['password123']);
    assert.equal(m.push('hello pass'), 'hello ');
    assert.equal(m.push('port'), 'passport');
    assert.equal(m.push('pas'), '');
    assert.equal(m.flush(), 'pas');
  });

  it('passes text straight through when there is nothing to mask', () => {
    const m = new StreamMasker([]);
    assert.equal(m.push('abc'), 'abc');
    assert.equal(m.flush(), '');
  });
});
