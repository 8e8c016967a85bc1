import type { Event } from '@gureum/contract';
import { describeError } from '../api/errors.js';
import { useApi } from '../api/hooks.js';
import { formatAgo } from '../ui/format.js';
import { Meter } from '../ui/meter.js';
import { PageHeader } from '../ui/page-header.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { nodeRows, type NodeRow } from './nodes.logic.js';
import { NodeAlertsPanel } from './node-alerts-panel.js';
import { useSession } from '../app/session.js';

/** Node samples arrive every few seconds; the table follows at this pace. */
const SAMPLE_EVERY_MS = 10_000;

const engineEvent = (e: Event) => e.type === 'engine.reachable' || e.type === 'engine.unreachable';

const columns: Column<NodeRow>[] = [
  {
    header: 'Node',
    cell: (n) => (
      <>
        <strong>{n.name}</strong>{' '}
        <span className={`badge ${n.status === 'ready' ? 'phase-running' : 'phase-failed'}`}>{n.status}</span>
        {n.labels.length > 0 && <div className="muted mono">{n.labels.join(' ')}</div>}
      </>
    ),
  },
  { header: 'CPU', cell: (n) => <Meter label={`CPU of ${n.name}`} fraction={n.cpu.fraction} text={n.cpu.text} /> },
  { header: 'Memory', cell: (n) => <Meter label={`Memory of ${n.name}`} fraction={n.memory.fraction} text={n.memory.text} /> },
  { header: 'Disk', cell: (n) => (n.disk ? <Meter label={`Disk of ${n.name}`} fraction={n.disk.fraction} text={n.disk.text} /> : <span className="muted">–</span>) },
  { header: 'Load', cell: (n) => (n.load1 === null ? <span className="muted">–</span> : n.load1.toFixed(2)) },
  {
    header: 'Engine',
    cell: (n) => (
      <>
        {n.engine}
        <div className="muted">{n.platform}</div>
      </>
    ),
  },
  { header: 'Sampled', cell: (n) => (n.sampledAt ? <time dateTime={n.sampledAt}>{formatAgo(n.sampledAt)}</time> : <span className="muted">–</span>) },
];

/** The engine hosts: capacity from the engine, use from the latest metrics sample. */
export default function NodesPage() {
  const nodes = useApi((c) => c.call('listNodes', {}), [], { liveOn: engineEvent });
  const samples = useApi((c) => c.call('latestNodeMetrics', {}), [], { everyMs: SAMPLE_EVERY_MS });
  const { whoami } = useSession();
  const rows = nodes.data ? nodeRows(nodes.data, samples.data ?? null) : undefined;
  return (
    <>
      <PageHeader title="Nodes" subtitle="Hosts that run the replicas, with what they have and use" />
      <ErrorBanner error={nodes.error} onRetry={nodes.reload} />
      {samples.error !== undefined && samples.data === undefined && (
        <p className="muted" role="status">
          Live use is not available right now ({describeError(samples.error).message}); capacity is shown without it.
        </p>
      )}
      {rows === undefined ? (
        nodes.error === undefined && <Loading what="Loading nodes" />
      ) : (
        <Table caption="Nodes" columns={columns} rows={rows} rowKey={(n) => n.name} empty="No nodes answer. Is the container engine running?" />
      )}
      {whoami.user.admin && <NodeAlertsPanel />}
    </>
  );
}
