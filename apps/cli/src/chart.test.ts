import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brailleChart, formatValue, renderSeries, resample, sparkline, type Point } from './chart.js';

describe('charts', () => {
  it('draws a sparkline from the bottom to the top of the range, with gaps blank', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([0, null, 7], 3), '▁ █');
    assert.equal(sparkline([0, 0, 0], 3), '▁▁▁', 'a flat zero line sits at the bottom');
  });

  it('averages many points into the width, and stretches few over it', () => {
    assert.deepEqual(resample([1, 3, 5, 7], 2), [2, 6]);
    assert.deepEqual(resample([1, null, 5], 6), [1, 1, null, null, 5, 5]);
    assert.deepEqual(resample([], 4), []);
    assert.deepEqual(resample([null, null, 4, 6], 2), [null, 5]);
    assert.equal(sparkline(Array.from({ length: 600 }, (_, i) => i), 60).length, 60);
  });

  it('draws a braille line chart: the lowest point in the bottom row, the highest in the top one', () => {
    const rows = brailleChart([0, 10], 1, 2);
    assert.equal(rows.length, 2);
    // Column 0 holds 0 (bottom-left dot), column 1 holds 10 (top-right dot) and the run joining them.
    const bits = rows.map((r) => r.charCodeAt(0) - 0x2800);
    assert.ok((bits[1]! & 0x40) !== 0, 'bottom-left dot');
    assert.ok((bits[0]! & 0x08) !== 0, 'top-right dot');
    assert.ok((bits[0]! & 0x01) === 0, 'nothing top-left');
  });

  it('labels a series with its last, min and max values in its unit', () => {
    const points: Point[] = [
      [Date.UTC(2025, 0, 1, 10, 0), 0.25],
      [Date.UTC(2025, 0, 1, 10, 1), null],
      [Date.UTC(2025, 0, 1, 10, 2), 0.75],
    ];
    const line = renderSeries('cpu_cores box', points, 'cores', { width: 3, height: 1 });
    assert.match(line, /^cpu_cores box {2}last 0\.75 cores {2}min 0\.25 cores {2}max 0\.75 cores\n/);
    assert.match(line.split('\n')[1]!, /^ {2}\S \S {2}\d\d:\d\d → \d\d:\d\d$/);
    const tall = renderSeries('memory', [[0, 1048576], [60_000, 2097152]], 'bytes', { width: 10, height: 4 });
    const lines = tall.trimEnd().split('\n');
    assert.equal(lines.length, 1 + 4 + 1, 'head, four chart rows, times');
    assert.match(lines[1]!, /^2\.0MiB ┤[\u2800-\u28ff]{10}$/);
    assert.match(lines[4]!, /^ {4}0B ┤/);
    assert.match(renderSeries('x', [[0, null]], 'count', { width: 5, height: 1 }), /no samples/);
  });

  it('formats values by unit', () => {
    assert.equal(formatValue(1536, 'bytes/s'), '1.5KiB/s');
    assert.equal(formatValue(2, 'count'), '2');
    assert.equal(formatValue(0.012, 'cores'), '0.012 cores');
    assert.equal(formatValue(null, 'cores'), '-');
  });
});
