import { STREAM_ENDED, type StreamEnd } from '@gureum/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { endWhenCredentialLost } from './credential-watch.js';
import { canSeeEvent, rescope, scopeOf, type Principal } from '../domain/identity/access.js';
import type { EventService } from '../domain/core/event.service.js';
import type { EventRecord } from '../domain/core/records.js';

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 1000;

const SHUTTING_DOWN: StreamEnd = { code: 'SERVER_SHUTTING_DOWN', message: 'the server is shutting down' };

/** Ends of the responses that stay open until their client goes (SSE, followed logs), per HTTP server. */
const liveStreams = new WeakMap<object, Set<(why: StreamEnd) => void>>();

/**
 * Registers a response that only ends when its client goes, so that closing the server can
 * end it (the HTTP server's close waits for every open response), and so that it ends when
 * the credential it was opened with no longer holds. Answers the unregister function.
 */
export function trackLiveStream(request: FastifyRequest, end: (why: StreamEnd) => void): () => void {
  const server = request.server.server;
  let set = liveStreams.get(server);
  if (!set) liveStreams.set(server, (set = new Set()));
  set.add(end);
  const unwatch = endWhenCredentialLost(request, (refusal) => end({ code: refusal.code, message: refusal.message }));
  return () => {
    unwatch();
    set.delete(end);
  };
}

/** Ends every live stream of this HTTP server (from the server's preClose hook). */
export function endLiveStreams(server: object): void {
  for (const end of liveStreams.get(server) ?? []) end(SHUTTING_DOWN);
  liveStreams.delete(server);
}

/**
 * Server-Sent Events: replays what came after Last-Event-ID, then follows live until the client
 * goes. What the client sees follows its user's memberships while it stays connected.
 */
export async function streamEvents(events: EventService, project: string | undefined, principal: Principal, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  let scope = scopeOf(principal);
  const matches = (e: EventRecord, privateTo: string | null) => (project === undefined || e.project === project) && canSeeEvent(scope, e.project, privateTo);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': connected\n\n');
  const send = (e: EventRecord) => res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  const queued: EventRecord[] = [];
  let replaying = true;
  // Subscribe before reading the history, so that nothing recorded in between is lost.
  const unsubscribe = events.subscribe((e, privateTo) => {
    // Its own user joining a project sees that event, leaving one still sees its removal.
    const before = matches(e, privateTo);
    scope = rescope(scope, principal, e);
    if (!before && !matches(e, privateTo)) return;
    if (replaying) queued.push(e);
    else send(e);
  });
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  // The last message says why the server ends the stream (`event: stream.ended`, no id).
  const untrack = trackLiveStream(request, (why) => res.end(`event: ${STREAM_ENDED}\ndata: ${JSON.stringify(why)}\n\n`));
  // The response closes when the client goes (or the stream is ended): stop costing anything.
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    untrack();
  });
  const lastId = request.headers['last-event-id'];
  // Events recorded while the history is read arrive both ways: the history's copy goes.
  let replayedUpTo = 0;
  if (typeof lastId === 'string' && /^\d+$/.test(lastId.trim())) {
    replayedUpTo = Number(lastId.trim());
    for (;;) {
      const page = await events.list({ since: String(replayedUpTo), limit: REPLAY_PAGE, ...(project !== undefined && { project }) }, scope);
      if (res.destroyed) return;
      page.forEach(send);
      if (page.length > 0) replayedUpTo = page[page.length - 1]!.id;
      if (page.length < REPLAY_PAGE) break;
    }
  }
  replaying = false;
  for (const e of queued) if (e.id > replayedUpTo) send(e);
}
