import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldProgress, fraction, NO_PROGRESS } from './progress.js';

describe('image progress', () => {
  it('sums layers and reaches 1 with the image', () => {
    let s = NO_PROGRESS;
    assert.equal(fraction(s), null);
    s = foldProgress(s, { status: 'Downloading', id: 'a', current: 50, total: 100 });
    s = foldProgress(s, { status: 'Downloading', id: 'b', current: 0, total: 300 });
    assert.equal(fraction(s), 50 / 400);
    s = foldProgress(s, { status: 'Download complete', id: 'a' });
    assert.equal(fraction(s), 100 / 400);
    assert.equal(s.status, 'Download complete a');
    s = foldProgress(s, { status: 'done', image: { id: 'sha256:1', tags: ['x:1'], sizeBytes: 1, createdAt: '' } });
    assert.equal(s.done, true);
    assert.equal(fraction(s), 1);
  });

  it('ends on an error line', () => {
    const s = foldProgress(NO_PROGRESS, { status: 'error', error: { code: 'IMAGE_PULL_FAILED', message: 'manifest unknown' } });
    assert.equal(s.done, true);
    assert.equal(s.error?.code, 'IMAGE_PULL_FAILED');
  });
});
