import { readSse, STREAM_ENDED, type Event, type StreamEnd } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, parseCount, UNIT_SECONDS, withOutput } from '../command-kit.js';
import { paint, printList, stdout, type Color, type Column, type OutputOptions } from '../output.js';
import { Failure } from '../errors.js';
import type { Session } from '../session.js';

interface EventsOptions extends OutputOptions {
  project?: string;
  instance?: string;
  type?: string;
  since?: string;
  limit: string;
  follow?: boolean;
}

const typeColor = (e: Event): Color | undefined => (/failed|died|oom|unreachable|firing/.test(e.type) ? 'red' : /started|created|reachable|resolved/.test(e.type) ? 'green' : undefined);

const columns: Column<Event>[] = [
  { header: 'ID', value: (e) => String(e.id) },
  { header: 'TIME', value: (e) => e.time },
  { header: 'TYPE', value: (e) => e.type, color: typeColor },
  { header: 'OBJECT', value: (e) => objectOf(e) },
  { header: 'MESSAGE', value: (e) => e.message },
];

function objectOf(e: Event): string {
  return [e.project, e.instance].filter((p) => p !== null).join('/') || '-';
}

/** `gureum events [-f]`: stored lifecycle events, then (with -f) live ones. */
export function registerEvents(program: Command, session: Session): void {
  const events = withOutput(
    program
      .command('events')
      .summary('lifecycle events, oldest first; -f follows new ones live')
      .description('Print stored lifecycle events, oldest first. With -f, print the events after --since (none without it), then new ones as they happen (one JSON object a line with -o json), until Ctrl-C (exit 130).')
      .option('-p, --project <project>', 'only this project')
      .option('--instance <instance>', 'only this instance')
      .option('--type <type>', 'only this type, e.g. replica.died')
      .option('--since <id|time>', 'after this event id, ISO time, or time ago (10m, 2h, 7d)')
      .option('--limit <n>', 'at most this many stored events', '200')
      .option('-f, --follow', 'keep printing new events'),
  ).action(async (opts: EventsOptions) => {
    const client = session.client();
    const filters = {
      ...(opts.project !== undefined && { project: opts.project }),
      ...(opts.instance !== undefined && { instance: opts.instance }),
      ...(opts.type !== undefined && { type: opts.type }),
    };
    const since = opts.since !== undefined ? parseSince(opts.since) : undefined;
    if (!opts.follow) {
      const stored = await client.call('listEvents', { query: { ...filters, limit: parseCount(opts.limit, '--limit'), ...(since !== undefined && { since }) } });
      return printList(stored, columns, opts, (e) => String(e.id));
    }
    // Subscribe first, then read the history: an event recorded in between comes live, and
    // the ids tell which live ones the history already printed.
    const signal = session.interruptSignal();
    const response = await client.raw('streamEvents', { query: opts.project !== undefined ? { project: opts.project } : {} }, { headers: { accept: 'text/event-stream' }, signal });
    let printed = 0;
    for (let cursor = since; cursor !== undefined; ) {
      const page = await client.call('listEvents', { query: { ...filters, since: cursor, limit: PAGE } });
      for (const e of page) printStreamed(e, opts);
      printed = page.at(-1)?.id ?? printed;
      cursor = page.length === PAGE ? String(printed) : undefined;
    }
    if (process.stderr.isTTY) process.stderr.write('following events, Ctrl-C to stop\n');
    let ended: StreamEnd | undefined;
    try {
      for await (const message of readSse(response.body!)) {
        if (message.event === STREAM_ENDED) {
          ended = JSON.parse(message.data) as StreamEnd;
          break;
        }
        if (message.data === '') continue;
        const e = JSON.parse(message.data) as Event;
        if (e.id <= printed || (opts.instance !== undefined && e.instance !== opts.instance) || (opts.type !== undefined && e.type !== opts.type)) continue;
        printStreamed(e, opts);
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    }
    if (signal.aborted) return;
    // Following ends only on Ctrl-C: any other end is told, with its reason, and is a failure.
    throw new Failure('STREAM_ENDED', ended ? `the server ended the event stream, ${ended.code}: ${ended.message}` : 'the event stream ended: the server closed the connection');
  });
  examples(events, ['gureum events', 'gureum events -p lab --type replica.died', 'gureum events --since 1h', 'gureum events -f', 'gureum events -f --since 10m -o json | jq -r .message']);
}

const PAGE = 1000;

/** An event id, an ISO time, or a time relative to now (30s, 10m, 2h, 7d) as the ISO time it means. */
export function parseSince(text: string, now = Date.now()): string {
  const relative = /^-?(\d+)(s|m|h|d)$/.exec(text);
  if (!relative) return text;
  const seconds = Number(relative[1]) * UNIT_SECONDS[relative[2] as keyof typeof UNIT_SECONDS];
  return new Date(now - seconds * 1000).toISOString();
}

/** Followed events cannot be aligned as a table: one self-contained line each. */
function printStreamed(e: Event, opts: OutputOptions): void {
  if (opts.quiet) return stdout.write(`${e.id}\n`);
  if (opts.output === 'json' || opts.output === 'yaml') return stdout.write(JSON.stringify(e) + '\n');
  stdout.write(`${e.time}  ${paint(e.type.padEnd(24), typeColor(e), stdout.color)}  ${objectOf(e)}  ${e.message}\n`);
}
