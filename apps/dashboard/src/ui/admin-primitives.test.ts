import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { levelOf, Meter } from './meter.js';
import { ShownOnce } from './shown-once.js';

describe('meter and shown-once', () => {
  it('a meter tells screen readers what it measures and how full it is', () => {
    const html = renderToString(createElement(Meter, { label: 'Memory used', fraction: 0.9, text: '3.6 GiB of 4 GiB' }));
    assert.match(html, /role="meter"/);
    assert.match(html, /aria-label="Memory used"/);
    assert.match(html, /aria-valuenow="90"/);
    assert.match(html, /aria-valuetext="3.6 GiB of 4 GiB"/);
    assert.match(html, /data-level="high"/);
  });

  it('without a limit a meter is only its text', () => {
    const html = renderToString(createElement(Meter, { label: 'CPU', fraction: null, text: '2 (no limit)' }));
    assert.doesNotMatch(html, /role="meter"/);
    assert.match(html, /2 \(no limit\)/);
    assert.deepEqual([levelOf(null), levelOf(0.5), levelOf(0.8), levelOf(1.2)], ['ok', 'ok', 'high', 'full']);
  });

  it('a secret shown once is labelled, read-only, warned about, and has a copy button', () => {
    const html = renderToString(createElement(ShownOnce, { title: 'Token ci', value: 'gur_abc', warning: 'Copy it now.', onDone: () => undefined }));
    assert.match(html, /<input[^>]*readOnly=""[^>]*value="gur_abc"|<input[^>]*value="gur_abc"[^>]*readOnly=""/i);
    assert.match(html, /<label[^>]*for="[^"]+"[^>]*>Token ci<\/label>/);
    assert.match(html, /Copy it now\./);
    assert.match(html, />Copy<\/button>/);
    assert.match(html, /aria-live="polite"/);
  });
});
