import type { Event } from '@gureum/contract';
import { useApi } from '../api/hooks.js';
import { touchesInstances } from '../api/live.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { formatAgo } from '../ui/format.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';

const columns: Column<Event>[] = [
  { header: 'When', cell: (e) => <time dateTime={e.time} title={e.time}>{formatAgo(e.time)}</time> },
  { header: 'Event', cell: (e) => <code>{e.type}</code> },
  { header: 'What happened', cell: (e) => e.message },
];

/** The newest events of an instance first, live. */
export function InstanceEvents({ project, instance }: { project: string; instance: string }) {
  const events = useApi((c) => c.call('listEvents', { query: { project, instance, limit: 1000 } }), [project, instance], { liveOn: touchesInstances(project, instance) });
  if (events.data === undefined) return events.error === undefined ? <Loading /> : <ErrorBanner error={events.error} onRetry={events.reload} />;
  const newest = events.data.slice(-200).reverse();
  return (
    <>
      <ErrorBanner error={events.error} />
      <Table caption={`Events of ${instance}`} columns={columns} rows={newest} rowKey={(e) => String(e.id)} empty="No events yet." />
    </>
  );
}
