import type { Delivery } from '@gureum/contract';
import { useApi } from '../api/hooks.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { formatAgo } from '../ui/format.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { alertEvent } from './alerts-bits.js';

const columns: Column<Delivery>[] = [
  { header: 'When', cell: (d) => <time dateTime={d.createdAt}>{formatAgo(d.createdAt)}</time> },
  { header: 'Notice', cell: (d) => `${d.event} · ${d.key}` },
  {
    header: 'Delivery',
    cell: (d) => (
      <span className={d.status === 'delivered' ? 'phase-running' : d.status === 'failed' ? 'phase-failed' : 'phase-pending'}>
        {d.status}
        {d.attempts > 1 && ` after ${d.attempts} attempts`}
      </span>
    ),
  },
  { header: 'Answer', cell: (d) => (d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : '') + (d.lastError ? ` ${d.lastError}` : '') || <span className="muted">–</span> },
  { header: 'Next attempt', cell: (d) => (d.nextAttemptAt ? <time dateTime={d.nextAttemptAt}>{new Date(d.nextAttemptAt).toLocaleTimeString()}</time> : <span className="muted">–</span>) },
];

/** The webhook deliveries of one rule, newest first, live. */
export function AlertDeliveries({ project, rule }: { project: string; rule: string }) {
  const list = useApi((c) => c.call('listAlertDeliveries', { params: { project, alert: rule } }), [project, rule], { liveOn: alertEvent(project) });
  return (
    <section className="panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title" style={{ marginTop: 0 }}>
        Webhook deliveries of {rule}
      </h2>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.data === undefined ? (
        list.error === undefined && <Loading what="Loading deliveries" />
      ) : (
        <Table caption={`Webhook deliveries of ${rule}`} columns={columns} rows={list.data} rowKey={(d) => String(d.id)} empty="No notices sent yet." />
      )}
    </section>
  );
}
