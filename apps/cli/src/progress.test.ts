import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressView, formatProgress, progressError, renderBar } from './progress.js';

function stream(isTTY: boolean) {
  const s = { isTTY, text: '', write: (t: string) => void (s.text += t) };
  return s;
}

describe('progress', () => {
  it('draws a bar of the bytes done', () => {
    assert.equal(renderBar(0, 100, 10), '[>         ] 0B/100B');
    assert.equal(renderBar(50, 100, 10), '[=====>    ] 50B/100B');
    assert.equal(renderBar(100, 100, 10), '[==========] 100B/100B');
    assert.equal(renderBar(2048, undefined), '2.0KiB');
    assert.equal(formatProgress({ id: 'abc', status: 'Downloading', current: 1, total: 2 }, 4), 'abc: Downloading [==> ] 1B/2B');
  });

  it('redraws its lines in place on a terminal', () => {
    const out = stream(true);
    const view = new ProgressView(out);
    view.update({ id: 'a', status: 'Downloading', current: 1, total: 4 });
    view.update({ id: 'b', status: 'Waiting' });
    view.update({ id: 'a', status: 'Downloading', current: 4, total: 4 });
    const frames = out.text.split('\x1b[2A');
    assert.equal(frames.length, 2, 'the third update moved up over both lines');
    assert.match(frames[1]!, /a: Downloading \[=+\] 4B\/4B\n.*b: Waiting\n$/);
  });

  it('redraws at most ten times a second while only the bytes move, and draws the last state at the end', () => {
    const out = stream(true);
    let now = 0;
    const view = new ProgressView(out, () => now);
    for (let i = 1; i < 100; i++) view.update({ id: 'up', status: 'Uploading', current: i, total: 100 });
    assert.equal(out.text.split('\x1b[2K').length - 1, 1, 'one draw in the same instant');
    now = 150;
    view.update({ id: 'up', status: 'Uploading', current: 99, total: 100 });
    assert.equal(out.text.split('\x1b[2K').length - 1, 2);
    view.finish();
    assert.match(out.text, /99B\/100B\n$/);
  });

  it('writes a line per status change, not per chunk, elsewhere', () => {
    const out = stream(false);
    const view = new ProgressView(out);
    for (let i = 0; i < 5; i++) view.update({ id: 'a', status: 'Downloading', current: i, total: 5 });
    view.update({ id: 'a', status: 'Pull complete' });
    assert.equal(out.text, 'a: Downloading\na: Pull complete\n');
  });

  it('turns an error line into the API error it carries', () => {
    const err = progressError({ status: 'error', error: { code: 'IMAGE_NOT_FOUND', message: 'no such image' } });
    assert.equal(err?.status, 404);
    assert.equal(err?.code, 'IMAGE_NOT_FOUND');
    assert.equal(progressError({ status: 'Downloading' }), undefined);
  });
});
