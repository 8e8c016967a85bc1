import type { Readable } from 'node:stream';
import type { Instance } from '@gureum/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/core/errors.js';
import type { Runtime } from '../domain/core/runtime.js';
import { StreamMasker } from '../domain/secrets/secret-mask.js';
import { trackLiveStream } from './events.stream.js';

interface LogsQuery {
  component?: string | undefined;
  replica?: number | undefined;
  tail?: number | undefined;
  follow?: string | undefined;
  timestamps?: string | undefined;
}

/**
 * Logs of the chosen replicas as text; several replicas' lines are prefixed "component/index | ".
 * Every occurrence of a value in `secrets` (the project's secret values) shows as ***.
 */
export async function streamLogs(runtime: Runtime, instance: Instance, query: LogsQuery, request: FastifyRequest, reply: FastifyReply, secrets: readonly string[] = []): Promise<void> {
  const chosen = instance.replicas.filter((r) => r.containerId !== null && (query.component === undefined || r.component === query.component) && (query.replica === undefined || r.index === query.replica));
  if (chosen.length === 0) {
    throw new DomainError('REPLICA_NOT_FOUND', `instance ${instance.name} has no replica${query.component ? ` of component ${query.component}` : ''}${query.replica !== undefined ? ` with index ${query.replica}` : ''} with logs`);
  }
  const follow = query.follow === 'true' || query.follow === '1';
  const options = { follow, ...(query.tail !== undefined && { tail: query.tail }), timestamps: query.timestamps === 'true' || query.timestamps === '1' };
  const streams: Readable[] = [];
  const closeAll = () => streams.forEach((s) => s.destroy());
  try {
    for (const r of chosen) streams.push(await runtime.logs(r.containerId!, options));
  } catch (err) {
    closeAll(); // the replicas opened before the failing one
    throw err;
  }
  reply.hijack();
  const res = reply.raw;
  // The response closes when it ends or when the client goes: either way the engine streams go too.
  const untrack = follow ? trackLiveStream(request, closeAll) : () => undefined;
  res.once('close', () => {
    closeAll();
    untrack();
  });
  if (res.destroyed || request.raw.destroyed) {
    // The client left while the streams were opening.
    untrack();
    return closeAll();
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  const prefix = chosen.length > 1;
  let open = streams.length;
  // A slow reader holds the engine streams back instead of filling this process's memory.
  const write = (text: string) => {
    if (!res.write(text)) streams.forEach((s) => s.pause());
  };
  res.on('drain', () => streams.forEach((s) => s.resume()));
  streams.forEach((stream, i) => {
    const label = `${chosen[i]!.component}/${chosen[i]!.index} | `;
    let partial = '';
    let finished = false;
    const masker = new StreamMasker(secrets);
    stream.setEncoding('utf8');
    const emit = (text: string) => {
      if (!prefix) return write(text);
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      if (lines.length > 0) write(lines.map((l) => label + l + '\n').join(''));
    };
    stream.on('data', (chunk: string) => {
      const text = masker.push(chunk);
      if (text) emit(text);
    });
    const done = () => {
      if (finished) return;
      finished = true;
      const rest = masker.flush();
      if (rest) emit(rest);
      if (prefix && partial) write(label + partial + '\n');
      partial = '';
      if (--open === 0) res.end();
    };
    stream.once('end', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}
