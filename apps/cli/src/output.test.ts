import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorEnabled, displayWidth, formatAge, formatBytes, parseBytes, printItem, printList, renderTable, type Printer } from './output.js';

function capture(color = false): Printer & { text: string } {
  const out = { text: '', color, write: (t: string) => void (out.text += t) };
  return out;
}

const rows = [
  { name: 'hello', phase: 'running' },
  { name: '안녕', phase: 'failed' },
];
const columns = [
  { header: 'NAME', value: (r: (typeof rows)[number]) => r.name },
  { header: 'PHASE', value: (r: (typeof rows)[number]) => r.phase, color: (r: (typeof rows)[number]) => (r.phase === 'failed' ? ('red' as const) : undefined) },
];

describe('output', () => {
  it('aligns table columns, counting Hangul as two columns wide', () => {
    assert.equal(displayWidth('안녕'), 4);
    assert.equal(renderTable(['NAME', 'PHASE'], [['hello', 'running'], ['안녕', 'failed']]), 'NAME    PHASE\nhello   running\n안녕    failed\n');
  });

  it('prints lists as a table, JSON, YAML or ids', () => {
    const table = capture();
    printList(rows, columns, { output: 'table' }, (r) => r.name, table);
    assert.match(table.text, /^NAME {4}PHASE\n/);
    const json = capture();
    printList(rows, columns, { output: 'json' }, (r) => r.name, json);
    assert.deepEqual(JSON.parse(json.text), rows);
    const yaml = capture();
    printList(rows, columns, { output: 'yaml' }, (r) => r.name, yaml);
    assert.equal(yaml.text, '- name: hello\n  phase: running\n- name: 안녕\n  phase: failed\n');
    const quiet = capture();
    printList(rows, columns, { output: 'json', quiet: true }, (r) => r.name, quiet);
    assert.equal(quiet.text, 'hello\n안녕\n');
  });

  it('colours cells only when asked, without shifting the columns', () => {
    const plain = capture(false);
    printList(rows, columns, {}, (r) => r.name, plain);
    assert.ok(!plain.text.includes('\x1b['));
    const colored = capture(true);
    printList(rows, columns, {}, (r) => r.name, colored);
    assert.ok(colored.text.includes('\x1b[31mfailed\x1b[39m'));
    // eslint-disable-next-line no-control-regex
    assert.equal(colored.text.replace(/\x1b\[[0-9;]*m/g, ''), plain.text);
  });

  it('colours only a terminal, and never with NO_COLOR', () => {
    assert.equal(colorEnabled({ isTTY: true }, {}), true);
    assert.equal(colorEnabled({ isTTY: false }, {}), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  });

  it('prints one object as its human view, JSON or its id', () => {
    const human = capture();
    printItem({ id: 'x1' }, {}, (i) => `item ${i.id}\n`, (i) => i.id, human);
    assert.equal(human.text, 'item x1\n');
    const quiet = capture();
    printItem({ id: 'x1' }, { quiet: true }, () => '', (i) => i.id, quiet);
    assert.equal(quiet.text, 'x1\n');
  });

  it('formats and parses sizes and ages', () => {
    assert.equal(formatBytes(512), '512B');
    assert.equal(formatBytes(1536), '1.5KiB');
    assert.equal(formatBytes(67108864), '64.0MiB');
    assert.equal(formatBytes(null), '-');
    assert.equal(parseBytes('1G'), 1073741824);
    assert.equal(parseBytes('512MiB'), 536870912);
    assert.equal(parseBytes('1000'), 1000);
    assert.throws(() => parseBytes('lots'), /not a size/);
    const now = Date.parse('2025-01-10T00:00:00Z');
    assert.equal(formatAge('2025-01-09T23:59:30Z', now), '30s');
    assert.equal(formatAge('2025-01-09T23:00:00Z', now), '60m');
    assert.equal(formatAge('2025-01-09T12:00:00Z', now), '12h');
    assert.equal(formatAge('2025-01-01T00:00:00Z', now), '9d');
  });
});
