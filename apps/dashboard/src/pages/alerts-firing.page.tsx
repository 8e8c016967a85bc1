import type { FiringAlert } from '@gureum/contract';
import { useApi } from '../api/hooks.js';
import { Link } from '../app/router.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { formatAgo, formatMetric } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { alertEvent } from './alerts-bits.js';

const columns: Column<FiringAlert>[] = [
  { header: 'Project', cell: (a) => (a.project === null ? '–' : <Link to={`/projects/${encodeURIComponent(a.project)}/alerts`}>{a.project}</Link>) },
  { header: 'Node', cell: (a) => (a.node === null ? '–' : <Link to="/nodes">{a.node}</Link>) },
  { header: 'Rule', cell: (a) => a.rule },
  { header: 'Series', cell: (a) => <span className="mono">{a.key}</span> },
  { header: 'Value', cell: (a) => <span className="mono">{`${a.metric} ${formatMetric(a.metric, a.value)} ${a.comparison} ${formatMetric(a.metric, a.threshold)}`}</span> },
  { header: 'Firing since', cell: (a) => <time dateTime={a.since}>{formatAgo(a.since)}</time> },
];

/** Every alert firing in Gureum, for the admin; follows the event stream. */
export default function FiringAlertsPage() {
  const list = useApi((c) => c.call('listFiringAlerts', {}), [], { liveOn: alertEvent() });
  return (
    <>
      <PageHeader title="Firing alerts" subtitle="Alerts firing now, across every project and node" />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.data === undefined ? (
        list.error === undefined && <Loading what="Loading firing alerts" />
      ) : (
        <Table caption="Firing alerts" columns={columns} rows={list.data} rowKey={(a) => `${a.project ?? ''}/${a.rule}/${a.key}`} empty="Nothing is firing." />
      )}
    </>
  );
}
