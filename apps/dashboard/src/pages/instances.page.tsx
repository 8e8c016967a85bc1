import { memo, useLayoutEffect, useMemo } from 'react';
import type { Instance } from '@gureum/contract';
import { takeBoot, takeBootValue } from '../api/boot.js';
import { useApi } from '../api/hooks.js';
import { touchesInstances } from '../api/live.js';
import type { PageProps } from '../app/page-route.js';
import { Link } from '../app/router.js';
import { can, useSession } from '../app/session.js';
import { Sparkline } from '../charts/line-chart.js';
import { useSparklines, type Sparklines } from '../charts/use-sparklines.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { PageHeader } from '../ui/page-header.js';
import { Loading } from '../ui/status.js';
import { Table, type Column } from '../ui/table.js';
import { PhaseBadge, replicaCounts } from './instance-bits.js';

/** Rows rendered in the first frame: a screenful on a large laptop screen; the rest follow frame by frame. */
const PROGRESSIVE_ROWS = 30;
const RENDERED_MARK = 'gureum:instances-rendered';

const Name = memo(function Name({ project, name }: { project: string; name: string }) {
  return <Link to={`/projects/${encodeURIComponent(project)}/instances/${encodeURIComponent(name)}`}>{name}</Link>;
});

function columns(project: string, spark: Sparklines | undefined): Column<Instance>[] {
  return [
    { header: 'Name', cell: (i) => <Name project={project} name={i.name} /> },
    { header: 'App', cell: (i) => i.app },
    { header: 'Phase', cell: (i) => <PhaseBadge phase={i.phase} reason={i.reason} /> },
    {
      header: 'Replicas',
      cell: (i) => {
        const { ready, desired } = replicaCounts(i);
        return <span aria-label={`${ready} of ${desired} replicas running`}>{`${ready}/${desired}`}</span>;
      },
    },
    { header: 'CPU (15 min)', cell: (i) => <Sparkline points={spark?.cpu.get(i.name)} unit="cores" label={`CPU of ${i.name}`} /> },
    { header: 'Memory (15 min)', cell: (i) => <Sparkline points={spark?.memory.get(i.name)} unit="bytes" label={`Memory of ${i.name}`} /> },
  ];
}

/** The instances of a project, live: phase and replicas change as the event stream reports. */
export default function InstancesPage({ params }: PageProps) {
  const project = params.project!;
  const { whoami } = useSession();
  const spark = useSparklines(project);
  const cols = useMemo(() => columns(project, spark.data), [project, spark.data]);
  const list = useApi((c) => takeBoot<Instance[]>(`instances:${project}`) ?? c.call('listInstances', { params: { project } }), [project], {
    liveOn: touchesInstances(project),
    initial: () => takeBootValue<Instance[]>(`instances:${project}`),
  });
  const listShown = list.data !== undefined;
  useLayoutEffect(() => {
    // The bench reads this mark: the first time the rows are on screen, after the frame that
    // paints them (a task queued from the frame's animation callback runs after its paint).
    if (!listShown || performance.getEntriesByName(RENDERED_MARK).length > 0) return;
    requestAnimationFrame(() => setTimeout(() => performance.mark(RENDERED_MARK)));
  }, [listShown]);
  return (
    <>
      <PageHeader
        title="Instances"
        subtitle={`Applications running in ${project}`}
        actions={can(whoami, project, 'member') && <Link className="btn btn-primary" to="/catalog">Launch an app</Link>}
      />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {spark.error !== undefined && list.data && list.data.length > 0 && <p className="muted">CPU and memory lines appear once Gureum has metrics for this project.</p>}
      {list.data === undefined ? (
        list.error === undefined && <Loading what="Loading instances" />
      ) : (
        <Table
          caption={`Instances of ${project}`}
          columns={cols}
          rows={list.data}
          rowKey={(i) => i.name}
          rowVersion={(i) => `${i.updatedAt}|${i.observedAt ?? ''}|${i.phase}|${i.reason ?? ''}|${replicaCounts(i).ready}/${replicaCounts(i).desired}`}
          progressive={PROGRESSIVE_ROWS}
          empty="No instances yet. Launch one from the catalog."
        />
      )}
    </>
  );
}
