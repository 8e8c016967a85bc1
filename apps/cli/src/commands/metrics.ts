import { MetricAgg, MetricGroup, MetricName, type MetricsResult } from '@gureum/contract';
import type { Command } from 'commander';
import { examples, parseCount, withOutput, withProject } from '../command-kit.js';
import { formatValue, renderSeries, formatTime } from '../chart.js';
import { UsageError } from '../errors.js';
import { printItem, renderTable, type OutputOptions } from '../output.js';
import type { Session } from '../session.js';

interface MetricsOptions extends OutputOptions {
  project?: string;
  node?: string;
  metric?: string;
  from: string;
  to?: string;
  step?: string;
  agg: string;
  group: string;
  table?: boolean;
  height: string;
  width?: string;
}

/** `gureum metrics [TARGET]`: one metric over time, as an inline chart or a table. */
export function registerMetrics(program: Command, session: Session): void {
  const metrics = withOutput(
    withProject(
      program
        .command('metrics')
        .summary('a metric over time, as an inline chart or a table')
        .description(
          'Show one metric over time for a project (no TARGET), an instance (INSTANCE), a component (INSTANCE/COMPONENT), ' +
            `a replica (INSTANCE/COMPONENT/INDEX) or a node (--node). Metrics: ${MetricName.options.join(', ')}.`,
        )
        .argument('[target]', 'INSTANCE, INSTANCE/COMPONENT or INSTANCE/COMPONENT/INDEX')
        .option('--node <node>', 'a node instead of a project object')
        .option('-m, --metric <metric>', 'what to show (default cpu_cores, node_cpu_cores for a node)')
        .option('--from <time>', 'start: -30m, -24h, -7d, an ISO time or unix seconds', '-1h')
        .option('--to <time>', 'end (default now)')
        .option('--step <step>', 'seconds per point, or 10s, 1m, 1h')
        .option('--agg <agg>', `how series combine: ${MetricAgg.options.join(', ')}`, 'avg')
        .option('--group <group>', `one series per: ${MetricGroup.options.join(', ')}`, 'none')
        .option('--table', 'a table of the points instead of a chart')
        .option('--height <rows>', 'chart height in rows: 1 is a sparkline', '1')
        .option('--width <columns>', 'chart width (default: fits the terminal)'),
    ),
  ).action(async (target: string | undefined, opts: MetricsOptions) => {
    const metric = MetricName.safeParse(opts.metric ?? (opts.node !== undefined ? 'node_cpu_cores' : 'cpu_cores'));
    if (!metric.success) throw new UsageError(`--metric must be one of ${MetricName.options.join(', ')}`);
    const agg = MetricAgg.safeParse(opts.agg);
    const group = MetricGroup.safeParse(opts.group);
    if (!agg.success || !group.success) throw new UsageError(`--agg must be one of ${MetricAgg.options.join(', ')}; --group one of ${MetricGroup.options.join(', ')}`);
    const { scope, id } = scopeOf(target, opts.node, () => session.project(opts.project));
    const result = await session.client().call('queryMetrics', {
      query: { metric: metric.data, scope, id, agg: agg.data, group: group.data, from: opts.from, ...(opts.to !== undefined && { to: opts.to }), ...(opts.step !== undefined && { step: opts.step }) },
    });
    const width = opts.width !== undefined ? parseCount(opts.width, '--width') : Math.max(20, Math.min(120, (process.stdout.columns ?? 80) - 16));
    const height = parseCount(opts.height, '--height');
    printItem(result, opts, (r) => (opts.table ? renderMetricsTable(r) : renderMetricsChart(r, { width, height })), (r) => r.id);
  });
  examples(metrics, [
    'gureum metrics hello',
    'gureum metrics hello -m memory_bytes --from -24h --height 8',
    'gureum metrics hello/web --group replica --table',
    'gureum metrics --node host1 -m node_load1',
    'gureum metrics -p lab -m net_rx_bps --agg sum -o json',
  ]);
}

/** The scope and id of a query from the command line's target. */
export function scopeOf(target: string | undefined, node: string | undefined, project: () => string): { scope: 'node' | 'project' | 'instance' | 'component' | 'replica'; id: string } {
  if (node !== undefined) {
    if (target !== undefined) throw new UsageError('give either a target or --node, not both');
    return { scope: 'node', id: node };
  }
  if (target === undefined) return { scope: 'project', id: project() };
  const parts = target.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) throw new UsageError(`${target} is not INSTANCE, INSTANCE/COMPONENT or INSTANCE/COMPONENT/INDEX`);
  const scope = (['instance', 'component', 'replica'] as const)[parts.length - 1]!;
  return { scope, id: `${project()}/${target}` };
}

/** One chart per series. */
export function renderMetricsChart(r: MetricsResult, size: { width: number; height: number }): string {
  if (r.series.length === 0) return `${r.metric} of ${r.scope} ${r.id}: no data between ${formatTime(r.from, true)} and ${formatTime(r.to, true)}\n`;
  return r.series.map((s) => renderSeries(`${r.metric} ${r.series.length > 1 || s.key !== 'all' ? s.key : r.id} (${r.agg}, ${r.step}s steps)`, s.points, r.unit, size)).join('\n');
}

/** A TIME column, then one column per series. */
export function renderMetricsTable(r: MetricsResult): string {
  const times = [...new Set(r.series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const long = r.to - r.from > 86_400_000;
  const byKey = r.series.map((s) => new Map(s.points.map(([t, v]) => [t, v])));
  return renderTable(
    ['TIME', ...r.series.map((s) => (s.key === 'all' ? r.metric : s.key).toUpperCase())],
    times.map((t) => [formatTime(t, long, r.step < 60), ...byKey.map((m) => formatValue(m.get(t) ?? null, r.unit))]),
  );
}
