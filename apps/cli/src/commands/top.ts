import type { NodeSample, ReplicaSample } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, parseCount, withOutput, withProject } from '../command-kit.js';
import { formatBytes, printList, renderTable, stdout, type Column, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

interface TopOptions extends OutputOptions {
  project?: string;
  allProjects?: boolean;
  nodes?: boolean;
  watch?: boolean;
  interval: string;
}

const percent = (used: number, limit: number | null) => (limit ? ` (${Math.round((used / limit) * 100)}%)` : '');

export const replicaColumns = (withProject: boolean): Column<ReplicaSample>[] => [
  ...(withProject ? [{ header: 'PROJECT', value: (s: ReplicaSample) => s.project }] : []),
  { header: 'INSTANCE', value: (s) => s.instance },
  { header: 'REPLICA', value: (s) => `${s.component}/${s.replica}` },
  { header: 'CPU', value: (s) => `${s.cpuCores.toFixed(3)}${percent(s.cpuCores, s.cpuLimitCores)}`, color: (s) => (s.cpuLimitCores && s.cpuCores / s.cpuLimitCores > 0.9 ? 'red' : undefined) },
  { header: 'MEMORY', value: (s) => `${formatBytes(s.memoryBytes)}${percent(s.memoryBytes, s.memoryLimitBytes)}`, color: (s) => (s.memoryLimitBytes && s.memoryBytes / s.memoryLimitBytes > 0.9 ? 'red' : undefined) },
  { header: 'NET RX/TX', value: (s) => `${formatBytes(Math.round(s.netRxBps))}/s ${formatBytes(Math.round(s.netTxBps))}/s` },
  { header: 'BLOCK R/W', value: (s) => `${formatBytes(Math.round(s.blkReadBps))}/s ${formatBytes(Math.round(s.blkWriteBps))}/s` },
  { header: 'RESTARTS', value: (s) => String(s.restarts) },
  { header: 'NODE', value: (s) => s.node },
];

export const nodeColumns: Column<NodeSample>[] = [
  { header: 'NODE', value: (n) => n.node },
  { header: 'CPU', value: (n) => `${n.cpuCores.toFixed(2)} of ${n.cpus}${percent(n.cpuCores, n.cpus)}` },
  { header: 'MEMORY', value: (n) => `${formatBytes(n.memoryBytes)} of ${formatBytes(n.memoryTotalBytes)}${percent(n.memoryBytes, n.memoryTotalBytes)}` },
  { header: 'LOAD', value: (n) => n.load1.toFixed(2) },
  { header: 'DISK', value: (n) => `${formatBytes(n.diskUsedBytes)} of ${formatBytes(n.diskTotalBytes)}${percent(n.diskUsedBytes, n.diskTotalBytes)}` },
];

/** `gureum top [INSTANCE]`: live CPU and memory per replica (or per node). */
export function registerTop(program: Command, session: Session): void {
  const top = withOutput(
    withProject(
      program
        .command('top')
        .summary('live CPU, memory, network and disk use per replica (or per node)')
        .description('Show the latest sample of each running replica. On a terminal the table refreshes until you press q (exit 0) or Ctrl-C (exit 130); elsewhere, or with --no-watch, it prints once.')
        .argument('[instance]', 'only this instance')
        .option('-A, --all-projects', 'every project you can see')
        .option('--nodes', 'the engine hosts instead of replicas')
        .option('--no-watch', 'print once, even on a terminal')
        .option('--interval <seconds>', 'seconds between refreshes', '2'),
    ),
  ).action(async (instance: string | undefined, opts: TopOptions) => {
    const client = session.client();
    const project = opts.allProjects || opts.nodes ? undefined : session.project(opts.project);
    const load = async (): Promise<() => void> => {
      if (opts.nodes) {
        const rows = await client.call('latestNodeMetrics', {});
        return () => printList(rows, nodeColumns, opts, (n) => n.node);
      }
      const rows = await client.call('latestMetrics', { query: { ...(project !== undefined && { project }), ...(instance !== undefined && { instance }) } });
      rows.sort((a, b) => `${a.project}/${a.instance}/${a.component}/${String(a.replica).padStart(4, '0')}`.localeCompare(`${b.project}/${b.instance}/${b.component}/${String(b.replica).padStart(4, '0')}`));
      return () => printList(rows, replicaColumns(project === undefined), opts, (s) => `${s.project}/${s.instance}/${s.component}/${s.replica}`);
    };
    const live = opts.watch !== false && process.stdout.isTTY && !opts.quiet && opts.output === 'table';
    if (!live) return (await load())();
    const interval = Math.max(1, parseCount(opts.interval, '--interval')) * 1000;
    const quit = new AbortController();
    const releaseKeys = quitOnKey(quit);
    const signal = AbortSignal.any([session.interruptSignal(), quit.signal]);
    try {
      await refreshUntil(signal, interval, load);
    } finally {
      releaseKeys();
    }
  });
  examples(top, ['gureum top', 'gureum top hello', 'gureum top -A --no-watch -o json', 'gureum top --nodes']);
}

/** Redraws the whole screen every `interval` ms until `signal` aborts. */
async function refreshUntil(signal: AbortSignal, interval: number, load: () => Promise<() => void>): Promise<void> {
  while (!signal.aborted) {
    const print = await load();
    // Home and clear, then the table: the whole screen is redrawn each round.
    stdout.write('\x1b[H\x1b[2J');
    print();
    stdout.write(`\nevery ${interval / 1000}s, q or Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, interval);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

/**
 * Reads single keys from a terminal on stdin: q quits (aborts `quit`), Ctrl-C is passed on as
 * the SIGINT it would have been outside raw mode. Returns what puts the terminal back.
 */
function quitOnKey(quit: AbortController): () => void {
  const input = process.stdin;
  if (!input.isTTY) return () => undefined;
  const onData = (data: Buffer) => {
    const key = data.toString('utf8');
    if (key === 'q' || key === 'Q') quit.abort();
    else if (key === '\x03') process.kill(process.pid, 'SIGINT');
  };
  input.setRawMode(true);
  input.on('data', onData);
  input.resume();
  return () => {
    input.off('data', onData);
    input.setRawMode(false);
    input.pause();
  };
}

/** The table `top` prints, for tests and other callers. */
export function renderTop(rows: ReplicaSample[], withProject: boolean): string {
  const columns = replicaColumns(withProject);
  return renderTable(
    columns.map((c) => c.header),
    rows.map((r) => columns.map((c) => c.value(r))),
  );
}
