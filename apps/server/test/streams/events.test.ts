import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from '@gureum/contract';
import { busyboxApp, removeProjects, startGureum, uniqueName, waitFor, type TestGureum } from '../support/harness.js';
import { requestJson, waitRunning } from './support.js';

let g: TestGureum;
const projectX = uniqueName('evx');
const projectY = uniqueName('evy');
const app = uniqueName('sleeper');

async function listEvents(query: Record<string, string>): Promise<Event[]> {
  const answer = await requestJson(g, 'GET', `/api/v1/events?${new URLSearchParams(query).toString()}`);
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  return answer.json as unknown as Event[];
}

/** Collects a live event stream in the background until stopped. */
function follow(query: { project?: string }, lastEventId?: number) {
  const controller = new AbortController();
  const events: Event[] = [];
  const done = (async () => {
    for await (const e of g.client.events(query, { signal: controller.signal, ...(lastEventId !== undefined && { lastEventId }) })) events.push(e);
  })();
  return {
    events,
    /** Waits for an event matching `pred`; answers it. */
    until: (pred: (e: Event) => boolean, what: string) => waitFor(() => events.find(pred), { timeoutMs: 40_000, what }),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

const isRunning = (instance: string) => (e: Event) => e.type === 'instance.phase_changed' && e.instance === instance && e.data.to === 'running';

before(async () => {
  g = await startGureum();
  await g.client.call('createProject', { body: { name: projectX } });
  await g.client.call('createProject', { body: { name: projectY } });
  await g.client.call('createApp', { body: busyboxApp(app) });
});

after(async () => {
  await g.stop();
  await removeProjects(projectX, projectY);
});

describe('events', () => {
  it('lists the lifecycle of an instance in order, with stable ids, and only later ones after since=<id>', async () => {
    await g.client.call('createInstance', { params: { project: projectX }, body: { name: 'listed', app } });
    await waitRunning(g, projectX, 'listed');
    const events = await waitFor(async () => {
      const list = await listEvents({ project: projectX, instance: 'listed' });
      return list.some(isRunning('listed')) && list;
    }, { what: 'the running phase event' });

    assert.ok(events.every((e) => e.project === projectX && e.instance === 'listed'));
    const ids = events.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'oldest first');
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    const types = events.map((e) => e.type);
    const created = types.indexOf('instance.created');
    const started = types.indexOf('replica.started');
    const running = events.findIndex(isRunning('listed'));
    assert.ok(created === 0, `instance.created comes first: ${types.join(', ')}`);
    assert.ok(started > created && running > started, `created < replica.started < phase running: ${types.join(', ')}`);
    assert.equal(events[started]!.data.component, 'main');
    assert.equal(events[started]!.data.replica, 0);
    assert.match(events[running]!.message, /running/);
    for (const e of events) assert.ok(!Number.isNaN(Date.parse(e.time)), `time ${e.time}`);

    // The same events answer again with the same ids.
    const again = await listEvents({ project: projectX, instance: 'listed' });
    assert.deepEqual(again.slice(0, events.length), events);

    const later = await listEvents({ project: projectX, instance: 'listed', since: String(events[created]!.id) });
    assert.deepEqual(later, again.slice(created + 1), 'since=<id> answers exactly the events after it');
    assert.deepEqual(await listEvents({ project: projectX, since: String(Math.max(...again.map((e) => e.id)) + 1000) }), []);

    const byType = await listEvents({ project: projectX, type: 'replica.started' });
    assert.ok(byType.length >= 1 && byType.every((e) => e.type === 'replica.started'));
    const limited = await listEvents({ project: projectX, limit: '2' });
    assert.equal(limited.length, 2);
  });

  it('streams live events of one project only as Server-Sent Events', async () => {
    const stream = follow({ project: projectX });
    // A raw look at the wire: the SSE media type, and each event carrying its id.
    const raw = await fetch(`${g.url}/api/v1/events/stream?project=${projectX}`, { headers: { authorization: `Bearer ${g.token}` } });
    assert.equal(raw.status, 200);
    assert.match(raw.headers.get('content-type') ?? '', /^text\/event-stream/);

    // Y's events are recorded first: had the filter let them through, they would arrive before X's.
    await g.client.call('createInstance', { params: { project: projectY }, body: { name: 'elsewhere', app } });
    await g.client.call('createInstance', { params: { project: projectX }, body: { name: 'live', app } });
    const running = await stream.until(isRunning('live'), 'live to run, over SSE');
    await waitRunning(g, projectY, 'elsewhere');

    const rawText = await readUntil(raw.body!, `"instance":"live"`);
    assert.match(rawText, /^id: \d+\nevent: instance\.created\ndata: \{.*"instance":"live"/m);

    await stream.stop();
    const got = stream.events;
    assert.ok(got.length >= 3, `got ${got.length} events`);
    assert.ok(got.every((e) => e.project === projectX), `only ${projectX}: ${got.map((e) => `${e.project}/${e.type}`).join(', ')}`);
    assert.equal(got[0]!.type, 'instance.created');
    assert.equal(got[0]!.instance, 'live');
    assert.ok(got.some((e) => e.type === 'replica.started' && e.instance === 'live'));
    const ids = got.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    // What arrived live is what was stored.
    const stored = await listEvents({ project: projectX, since: String(got[0]!.id - 1) });
    assert.deepEqual(stored.slice(0, got.indexOf(running) + 1), got.slice(0, got.indexOf(running) + 1));
  });

  it('replays the events after Last-Event-ID first, then live ones, without duplicates', async () => {
    await g.client.call('createInstance', { params: { project: projectX }, body: { name: 'replayed', app } });
    await waitRunning(g, projectX, 'replayed');
    const history = await waitFor(async () => {
      const list = await listEvents({ project: projectX });
      return list.some(isRunning('replayed')) && list;
    }, { what: 'the running event of replayed' });
    const from = history.find((e) => e.type === 'instance.created' && e.instance === 'replayed')!;
    const expectedReplay = history.filter((e) => e.id > from.id);
    assert.ok(expectedReplay.length >= 2);

    const stream = follow({ project: projectX }, from.id);
    await stream.until((e) => e.id === expectedReplay[expectedReplay.length - 1]!.id, 'the replay');
    await g.client.call('stopInstance', { params: { project: projectX, instance: 'replayed' } });
    const stopped = await stream.until((e) => e.type === 'instance.stopped' && e.instance === 'replayed', 'the live stop event');
    await stream.stop();

    const got = stream.events;
    assert.deepEqual(got.slice(0, expectedReplay.length), expectedReplay, 'the replay is the stored events after the id, in order');
    const ids = got.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, `no duplicates: ${ids.join(',')}`);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in order');
    assert.ok(ids.every((id) => id > from.id), 'nothing at or before Last-Event-ID');
    assert.ok(stopped.id > expectedReplay[expectedReplay.length - 1]!.id);
  });

  it('refuses the stream without a token, and accepts ?access_token= (browsers cannot set headers on EventSource)', async () => {
    const answer = await requestJson(g, 'GET', `/api/v1/events/stream?project=${projectX}`, { token: null });
    assert.equal(answer.status, 401);
    assert.equal(answer.json.error?.code, 'UNAUTHENTICATED');
    const controller = new AbortController();
    const res = await fetch(`${g.url}/api/v1/events/stream?project=${projectX}&access_token=${encodeURIComponent(g.token)}`, { signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    controller.abort();
  });
});

/** Reads raw SSE text until it contains `needle`, then lets the connection go. */
async function readUntil(body: ReadableStream<Uint8Array>, needle: string): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!text.includes(needle)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    // Let the event holding the needle finish.
    while (!/\n\n$/.test(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text;
  } finally {
    await reader.cancel();
  }
}
