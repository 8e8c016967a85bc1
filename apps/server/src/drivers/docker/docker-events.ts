import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { LABEL } from '../../domain/core/labels.js';
import type { EngineEvent } from '../../domain/core/runtime.js';
import { createJsonLineParser } from './docker-json-lines.js';
import { toDomainError } from './docker-errors.js';
import { inScope, scopeFilters } from './docker-mapping.js';

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5_000;
const CONTAINER_ACTIONS = new Set(['start', 'die', 'oom', 'destroy', 'stop', 'kill']);

type ContainerEventKind = Extract<EngineEvent, { containerId: string }>['kind'];

/** One line of Docker's /events stream, as far as Gureum reads it. */
interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Maps one engine event to Gureum's; null for events Gureum does not follow (exec_*, attach, ...). */
export function toEngineEvent(raw: RawEvent, installation?: string): EngineEvent | null {
  if (raw.Type !== undefined && raw.Type !== 'container') return null;
  const action = raw.Action ?? raw.status ?? '';
  const attrs = raw.Actor?.Attributes ?? {};
  if (attrs[LABEL.managed] !== 'true' || !inScope(attrs, installation)) return null;
  let kind: ContainerEventKind;
  let health: string | undefined;
  if (action.startsWith('health_status')) {
    kind = 'health';
    health = action.slice(action.indexOf(':') + 1).trim();
  } else if (CONTAINER_ACTIONS.has(action)) {
    kind = action as ContainerEventKind;
  } else {
    return null;
  }
  const index = Number(attrs[LABEL.replica]);
  const exitCode = kind === 'die' && attrs.exitCode !== undefined ? Number(attrs.exitCode) : undefined;
  const time = raw.timeNano ? Math.floor(raw.timeNano / 1_000_000) : (raw.time ?? Date.now() / 1000) * 1000;
  return {
    kind,
    containerId: raw.Actor?.ID ?? raw.id ?? '',
    project: attrs[LABEL.project] ?? '',
    instanceId: attrs[LABEL.instanceId] ?? '',
    component: attrs[LABEL.component] ?? '',
    index: Number.isInteger(index) ? index : 0,
    ...(exitCode !== undefined && Number.isFinite(exitCode) ? { exitCode } : {}),
    ...(health !== undefined ? { health } : {}),
    time,
  };
}

interface Attempt {
  abort: AbortController;
  stream?: Readable;
  over: boolean;
}

/**
 * Follows the engine's container events for Gureum's containers. Announces 'connected' each
 * time the stream is (re)established, including the first time, so a consumer knows from when
 * on it misses nothing; announces 'disconnected' once per outage, and retries with a back-off
 * of 250 ms doubling to 5 s. The returned function stops everything, timers included.
 */
export function watchDockerEvents(
  docker: Docker,
  engine: string,
  connectTimeoutMs: number,
  installation: string | undefined,
  onEvent: (event: EngineEvent) => void,
): () => void {
  let stopped = false;
  let current: Attempt | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = FIRST_RETRY_MS;
  let down = false;

  const emit = (event: EngineEvent): void => {
    if (stopped) return;
    try {
      onEvent(event);
    } catch {
      // A consumer's bug must not tear down the event stream of everyone else.
    }
  };

  const lose = (attempt: Attempt, reason: string): void => {
    if (attempt.over) return;
    attempt.over = true;
    attempt.stream?.destroy();
    if (stopped || attempt !== current) return;
    if (!down) {
      down = true;
      emit({ kind: 'disconnected', error: reason });
    }
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  };

  const connect = (): void => {
    retryTimer = undefined;
    if (stopped) return;
    const attempt: Attempt = { abort: new AbortController(), over: false };
    current = attempt;
    const deadline = setTimeout(() => attempt.abort.abort(), connectTimeoutMs);
    docker
      .getEvents({
        filters: { type: ['container'], label: [`${LABEL.managed}=true`, ...scopeFilters(installation)] },
        abortSignal: attempt.abort.signal,
      } as Docker.GetEventsOptions)
      .then(
        (engineStream) => {
          clearTimeout(deadline);
          const stream = engineStream as Readable;
          if (stopped || attempt.over) {
            stream.destroy();
            return;
          }
          attempt.stream = stream;
          retryMs = FIRST_RETRY_MS;
          down = false;
          emit({ kind: 'connected' });
          const parser = createJsonLineParser((raw) => {
            const event = toEngineEvent(raw, installation);
            if (event) emit(event);
          });
          stream.on('data', (chunk: Buffer) => parser.push(chunk));
          stream.once('end', () => lose(attempt, `the Docker engine at ${engine} ended the event stream`));
          stream.once('close', () => lose(attempt, `the Docker engine at ${engine} closed the event stream`));
          stream.on('error', (err) => lose(attempt, toDomainError(err, engine, 'follow events').message));
        },
        (err: unknown) => {
          clearTimeout(deadline);
          lose(attempt, toDomainError(err, engine, 'follow events').message);
        },
      );
  };

  connect();
  return () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = undefined;
    if (current) {
      current.over = true;
      current.abort.abort();
      current.stream?.destroy();
    }
  };
}
