import type { FastifyReply, FastifyRequest } from 'fastify';
import { canSee, type Scope } from '../domain/access.js';
import type { EventService } from '../domain/event.service.js';
import type { EventRecord } from '../domain/records.js';

const HEARTBEAT_MS = 15_000;

/** Server-Sent Events: replays what came after Last-Event-ID, then follows live until the client goes. */
export async function streamEvents(events: EventService, project: string | undefined, scope: Scope, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const matches = (e: EventRecord) => (project === undefined || e.project === project) && (scope.all || (e.project !== null && canSee(scope, e.project)));
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': connected\n\n');
  const send = (e: EventRecord) => res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  const queued: EventRecord[] = [];
  let replaying = true;
  const unsubscribe = events.subscribe((e) => {
    if (!matches(e)) return;
    if (replaying) queued.push(e);
    else send(e);
  });
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  request.raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
  const lastId = request.headers['last-event-id'];
  let sentUpTo = 0;
  if (typeof lastId === 'string' && /^\d+$/.test(lastId)) {
    for (const e of await events.list({ since: lastId, limit: 1000, ...(project !== undefined && { project }) }, scope)) {
      send(e);
      sentUpTo = e.id;
    }
  }
  replaying = false;
  for (const e of queued) if (e.id > sentUpTo) send(e);
}
