import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/core/errors.js';
import type { ObservedReplica, Runtime } from '../domain/core/runtime.js';
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
 * The containers whose logs a read shows: one per replica slot, as the engine lists them now
 * (not as the last stored status says: a rolling update may have replaced some since), the
 * most recently started where a slot has two for a moment.
 */
export function logTargets(observed: readonly ObservedReplica[], query: Pick<LogsQuery, 'component' | 'replica'>): { component: string; index: number; containerId: string }[] {
  const bySlot = new Map<string, ObservedReplica>();
  for (const o of observed) {
    if ((query.component !== undefined && o.component !== query.component) || (query.replica !== undefined && o.index !== query.replica)) continue;
    const slot = `${o.component}/${o.index}`;
    const held = bySlot.get(slot);
    if (!held || (o.startedAt ?? '') > (held.startedAt ?? '')) bySlot.set(slot, o);
  }
  return [...bySlot.values()].sort((a, b) => a.component.localeCompare(b.component) || a.index - b.index).map((o) => ({ component: o.component, index: o.index, containerId: o.id }));
}

type LogTarget = ReturnType<typeof logTargets>[number];
type Opened = { streams: Readable[]; targets: LogTarget[] };

/** The log streams of the targets that still exist; undefined when none does. */
async function openLogs(runtime: Runtime, targets: LogTarget[], options: { follow: boolean; tail?: number; timestamps: boolean }): Promise<Opened | undefined> {
  const opened: Opened = { streams: [], targets: [] };
  try {
    for (const t of targets) {
      try {
        opened.streams.push(await runtime.logs(t.containerId, options));
        opened.targets.push(t);
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'REPLICA_NOT_FOUND')) throw err;
      }
    }
  } catch (err) {
    opened.streams.forEach((s) => s.destroy()); // the replicas opened before the failing one
    throw err;
  }
  return opened.streams.length > 0 ? opened : undefined;
}

/**
 * Logs of the chosen replicas as text; several replicas' lines are prefixed "component/index | ".
 * Every occurrence of a value in `secrets` (the project's secret values) shows as ***.
 */
export async function streamLogs(runtime: Runtime, instance: { name: string; id: string }, query: LogsQuery, request: FastifyRequest, reply: FastifyReply, secrets: readonly string[] = []): Promise<void> {
  const follow = query.follow === 'true' || query.follow === '1';
  const options = { follow, ...(query.tail !== undefined && { tail: query.tail }), timestamps: query.timestamps === 'true' || query.timestamps === '1' };
  // A replica can go between the listing and the read (a rolling update replaced it): the
  // others are still read, and when none is left the engine is asked again, once.
  let opened: Opened | undefined;
  for (let attempt = 0; attempt < 2 && opened === undefined; attempt++) {
    const chosen = logTargets(await runtime.listReplicas({ instanceId: instance.id }), query);
    if (chosen.length === 0) {
      throw new DomainError('REPLICA_NOT_FOUND', `instance ${instance.name} has no replica${query.component ? ` of component ${query.component}` : ''}${query.replica !== undefined ? ` with index ${query.replica}` : ''} with logs`);
    }
    opened = await openLogs(runtime, chosen, options);
  }
  if (opened === undefined) throw new DomainError('REPLICA_NOT_FOUND', `the replicas of instance ${instance.name} were replaced while their logs were read: read again`);
  const { streams, targets: chosen } = opened;
  const closeAll = () => streams.forEach((s) => s.destroy());
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
