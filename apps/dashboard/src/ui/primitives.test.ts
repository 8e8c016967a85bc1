import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { ApiError } from '@gureum/contract';
import { ErrorBanner } from './error-banner.js';
import { TextField } from './field.js';
import { formatMetric } from './format.js';

describe('ui primitives', () => {
  it('a field with an error is marked invalid and points screen readers at its message', () => {
    const html = renderToString(createElement(TextField, { label: 'Name', value: 'X', onChange: () => undefined, error: 'must be a DNS label' }));
    assert.match(html, /aria-invalid="true"/);
    const describedBy = /aria-describedby="([^"]+)"/.exec(html)?.[1];
    assert.ok(describedBy, html);
    assert.match(html, new RegExp(`id="${describedBy}"[^>]*>must be a DNS label<`));
  });

  it('an error banner is an alert that says what happened and the code', () => {
    const html = renderToString(createElement(ErrorBanner, { error: new ApiError(403, 'QUOTA_EXCEEDED', 'project lab would use 5 cpus of its quota of 4') }));
    assert.match(html, /role="alert"/);
    assert.match(html, /go over the project&#x27;s quota/);
    assert.match(html, /would use 5 cpus/);
    assert.match(html, /QUOTA_EXCEEDED/);
  });

  it('no error, no banner', () => {
    assert.equal(renderToString(createElement(ErrorBanner, { error: undefined })), '');
  });
});

describe('formatMetric', () => {
  it('rounds what the API gives as it comes (no 0.47966299999999995), with the unit of the metric', () => {
    assert.equal(formatMetric('cpu_cores', 0.47966299999999995), '0.48 cores');
    assert.equal(formatMetric('cpu_cores', 0.0123), '0.012 cores');
    assert.equal(formatMetric('memory_bytes', 52_428_800), '50.0 MiB');
    assert.equal(formatMetric('net_rx_bps', 2048), '2.00 KiB/s');
    assert.equal(formatMetric('node_disk_used_percent', 81.23456), '81.23 %');
    assert.equal(formatMetric('restarts', 3), '3');
    assert.equal(formatMetric('cpu_cores', null), '–');
  });
});
