import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { openPipes, readLinesUntil, requestJson, settledPipes, waitRunning } from './support.js';

let g: TestGureum;
const project = uniqueName('logs');
const app = uniqueName('counter');
const INITIAL = 30;

/** Prints "r<replica> line <n>" for n = 1..30 at once, then one more every 200 ms; a stop ends it at once. */
const COUNTER = `trap 'exit 0' TERM; i=1; while [ $i -le ${INITIAL} ]; do echo "r$GUREUM_REPLICA line $i"; i=$((i+1)); done; while true; do echo "r$GUREUM_REPLICA line $i"; i=$((i+1)); sleep 0.2; done`;

const logsPath = (instance: string, query = '') => `/api/v1/projects/${project}/instances/${instance}/logs${query ? `?${query}` : ''}`;

async function getLogs(instance: string, query = ''): Promise<string[]> {
  const res = await fetch(g.url + logsPath(instance, query), { headers: { authorization: `Bearer ${g.token}` } });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  assert.ok(text === '' || text.endsWith('\n'), 'the log ends with a whole line');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

/** The number of a counter line ("[prefix]r0 line 17" -> 17). */
function numberOf(line: string): number {
  const m = /line (\d+)$/.exec(line);
  assert.ok(m, `not a counter line: ${JSON.stringify(line)}`);
  return Number(m[1]);
}

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: project } });
  await g.client.call('createApp', { body: busyboxApp(app, { command: ['sh', '-c', COUNTER] }) });
  await g.client.call('createInstance', { params: { project }, body: { name: 'one', app } });
  await g.client.call('createInstance', { params: { project }, body: { name: 'two', app, replicas: 2 } });
  await waitRunning(g, project, 'one');
  await waitRunning(g, project, 'two');
  // Both replicas of "two" have printed their first burst.
  await waitFor(async () => (await getLogs('two')).length >= 2 * INITIAL, { what: 'the first lines of both replicas' });
});

after(async () => {
  await g.stop();
  await removeProjects(project);
});

describe('instance logs', () => {
  it('answers exactly the last lines so far with tail, and ends without follow', async () => {
    const before = await getLogs('one');
    const tail = await getLogs('one', 'tail=5');
    const later = await getLogs('one');
    assert.equal(tail.length, 5, tail.join('\n'));
    const numbers = tail.map(numberOf);
    assert.deepEqual(numbers, [0, 1, 2, 3, 4].map((k) => numbers[0]! + k), 'five consecutive lines');
    assert.ok(tail.every((l) => l.startsWith('r0 line ')), 'one replica: no prefix');
    // "So far": at least as recent as a log read before, no newer than one read after.
    assert.ok(numbers[4]! >= numberOf(before[before.length - 1]!), `tail ends at ${numbers[4]}, the log before had ${before.length} lines`);
    assert.ok(numbers[4]! <= numberOf(later[later.length - 1]!));
    assert.deepEqual(later.slice(numbers[0]! - 1, numbers[0]! + 4), tail, 'the tail is the same lines as the full log');
    assert.equal(later[0], 'r0 line 1');
  });

  it('prefixes every line with component/replica when several replicas are shown, and filters by replica', async () => {
    const all = await getLogs('two', 'tail=10');
    assert.ok(all.length >= 20, `tail=10 of each of 2 replicas, got ${all.length}`);
    for (const line of all) assert.match(line, /^main\/([01]) \| r\1 line \d+$/, 'prefix matches the replica that printed the line');
    assert.equal(all.filter((l) => l.startsWith('main/0 | ')).length, 10);
    assert.equal(all.filter((l) => l.startsWith('main/1 | ')).length, 10);

    const one = await getLogs('two', 'replica=1');
    assert.ok(one.length >= INITIAL);
    for (const line of one) assert.match(line, /^r1 line \d+$/, 'only replica 1, unprefixed');
    assert.deepEqual(one.slice(0, 3), ['r1 line 1', 'r1 line 2', 'r1 line 3']);

    // The same through the typed client's line iterator.
    const byComponent: string[] = [];
    for await (const line of g.client.streamLines('instanceLogs', { params: { project, instance: 'two' }, query: { component: 'main', replica: 0, tail: 3 } })) byComponent.push(line);
    assert.equal(byComponent.length, 3);
    for (const line of byComponent) assert.match(line, /^r0 line \d+$/);
  });

  it('answers 404 REPLICA_NOT_FOUND as JSON for a replica or component that does not exist', async () => {
    const noReplica = await requestJson(g, 'GET', logsPath('two', 'replica=7'));
    assert.equal(noReplica.status, 404);
    assert.match(noReplica.contentType, /^application\/json/);
    assert.equal(noReplica.json.error?.code, 'REPLICA_NOT_FOUND');
    const noComponent = await requestJson(g, 'GET', logsPath('two', 'component=nope'));
    assert.equal(noComponent.status, 404);
    assert.equal(noComponent.json.error?.code, 'REPLICA_NOT_FOUND');
    const noInstance = await requestJson(g, 'GET', logsPath('absent'));
    assert.equal(noInstance.status, 404);
    assert.equal(noInstance.json.error?.code, 'INSTANCE_NOT_FOUND');
  });

  it('follows new lines as they are printed, and releases the engine streams when the client goes', async () => {
    const baseline = await settledPipes();
    const controller = new AbortController();
    const res = await fetch(g.url + logsPath('two', 'follow=true&tail=1'), { headers: { authorization: `Bearer ${g.token}` }, signal: controller.signal });
    assert.equal(res.status, 200);
    // Both engine log streams are open while the client follows.
    await waitFor(() => openPipes() >= baseline + 2, { what: 'two engine log streams to open', timeoutMs: 5_000 });

    const latest = async (replica: number) => numberOf((await getLogs('two', `replica=${replica}&tail=1`))[0]!);
    const startedAt = [await latest(0), await latest(1)];
    // Lines printed after the request are delivered: each replica advances past where it was.
    const { lines, ended } = await readLinesUntil(res.body!, (ls) =>
      [0, 1].every((r) => ls.some((l) => l.startsWith(`main/${r} | `) && numberOf(l) > startedAt[r]! + 2)),
    );
    assert.equal(ended, false, `the follow stream ended early after ${lines.length} lines`);
    for (const line of lines) assert.match(line, /^main\/([01]) \| r\1 line \d+$/);
    for (const r of [0, 1]) {
      const mine = lines.filter((l) => l.startsWith(`main/${r} | `)).map(numberOf);
      assert.deepEqual(mine, mine.map((_, k) => mine[0]! + k), `replica ${r}: consecutive lines, none lost or repeated`);
    }

    controller.abort();
    await waitFor(() => openPipes() <= baseline, { what: 'the server to release the engine log streams after the client left', timeoutMs: 10_000 });
  });

  it('ends a followed log when the replicas stop', async () => {
    await g.client.call('createInstance', { params: { project }, body: { name: 'short', app } });
    await waitRunning(g, project, 'short');
    const res = await fetch(g.url + logsPath('short', 'follow=true&tail=2'), { headers: { authorization: `Bearer ${g.token}` } });
    assert.equal(res.status, 200);
    const first = await readLinesUntil(res.body!, (ls) => ls.length >= 2);
    assert.equal(first.ended, false);
    await g.client.call('stopInstance', { params: { project, instance: 'short' } });
    const rest = await readLinesUntil(res.body!, () => false);
    assert.equal(rest.ended, true);
  });
});
