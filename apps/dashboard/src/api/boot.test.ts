import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GureumClient } from '@gureum/contract';
import { bootRequest, bootSettled, earlyFetch, takeBoot, takeBootValue } from './boot.js';

/** A network stub that records what was asked of it. */
function stubNetwork(): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fetch: (input) => {
      asked.push(input instanceof Request ? input.url : input.toString());
      return Promise.resolve(Response.json({ from: 'network' }));
    },
  };
}

describe('earlyFetch (stub network)', () => {
  it("answers the client's GET with the response index.html asked for, once; then asks the network", async () => {
    const net = stubNetwork();
    const early = { '/api/v1/projects/lab/instances': Promise.resolve(Response.json([{ name: 'early' }])) };
    const client = new GureumClient({ baseUrl: 'http://127.0.0.1:7070', fetch: earlyFetch(early, net.fetch) });
    assert.deepEqual(await client.call('listInstances', { params: { project: 'lab' } }), [{ name: 'early' }]);
    assert.deepEqual(net.asked, []);
    assert.deepEqual(await client.call('listInstances', { params: { project: 'lab' } }), { from: 'network' });
    assert.deepEqual(net.asked, ['http://127.0.0.1:7070/api/v1/projects/lab/instances']);
  });

  it('asks the network for another path, another query or a write', async () => {
    const net = stubNetwork();
    const early = { '/api/v1/projects/lab/instances': Promise.resolve(Response.json([])), '/api/v1/audit': Promise.resolve(Response.json([])) };
    const client = new GureumClient({ baseUrl: 'http://127.0.0.1:7070', fetch: earlyFetch(early, net.fetch) });
    await client.call('listInstances', { params: { project: 'other' } });
    await client.call('listAudit', { query: { actor: 'ana' } });
    await client.call('createInstance', { params: { project: 'lab' }, body: { name: 'x', app: 'y' } });
    assert.equal(net.asked.length, 3);
    assert.deepEqual(Object.keys(early), ['/api/v1/projects/lab/instances', '/api/v1/audit'], 'the early responses are still there for their own GETs');
  });

  it('turns an early error answer into the same ApiError as a network one', async () => {
    const early = { '/api/v1/auth/whoami': Promise.resolve(Response.json({ error: { code: 'UNAUTHENTICATED', message: 'sign in' } }, { status: 401 })) };
    const client = new GureumClient({ baseUrl: 'http://127.0.0.1:7070', fetch: earlyFetch(early, stubNetwork().fetch) });
    await assert.rejects(client.call('whoami', {}), { name: 'ApiError', status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe('boot requests', () => {
  it('hands an answer that has arrived to the first render synchronously, once', async () => {
    bootRequest('arrived', () => Promise.resolve(['a', 'b']));
    assert.equal(takeBootValue('arrived'), undefined, 'not before it arrived');
    await bootSettled(1000);
    assert.deepEqual(takeBootValue('arrived'), ['a', 'b']);
    assert.equal(takeBootValue('arrived'), undefined, 'taken');
    assert.equal(takeBoot('arrived'), undefined, 'taken for the asynchronous way too');
  });

  it('leaves a failed request to the page, which sees its error', async () => {
    bootRequest('failed', () => Promise.reject(new Error('down')));
    await bootSettled(1000);
    assert.equal(takeBootValue('failed'), undefined);
    await assert.rejects(takeBoot('failed')!, /down/);
  });

  it('waits no longer than asked for a slow answer, which stays for the page to take', async () => {
    let answer: (v: string) => void = () => undefined;
    bootRequest('slow', () => new Promise<string>((resolve) => (answer = resolve)));
    const waited = await Promise.race([bootSettled(20).then(() => 'settled'), new Promise((r) => setTimeout(() => r('hung'), 2000))]);
    assert.equal(waited, 'settled');
    assert.equal(takeBootValue('slow'), undefined);
    answer('late');
    assert.equal(await takeBoot('slow'), 'late');
  });

  it('also waits for the other promises it is given (the first page module)', async () => {
    let loaded = false;
    const page = new Promise<void>((resolve) => setTimeout(() => resolve(void (loaded = true)), 30));
    await bootSettled(2000, [page]);
    assert.ok(loaded);
  });
});
