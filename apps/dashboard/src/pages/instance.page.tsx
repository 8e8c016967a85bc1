import { lazy, Suspense, useState } from 'react';
import { useApi } from '../api/hooks.js';
import { touchesInstances } from '../api/live.js';
import type { PageProps } from '../app/page-route.js';
import { Link } from '../app/router.js';
import { can, useSession } from '../app/session.js';
import { InstanceCharts } from '../charts/instance-charts.js';
import { LogView } from '../logs/log-view.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { SelectField } from '../ui/field.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, Loading } from '../ui/status.js';
import { Tabs } from '../ui/tabs.js';
import { InstanceActions } from './instance-actions.js';
import { InstanceEvents } from './instance-events.js';
import { PhaseBadge, replicaCounts } from './instance-bits.js';
import { ReplicaTable } from './instance-replicas.js';

const ReplicaTerminal = lazy(() => import('../terminal/terminal.js'));
// With the contract's schemas (zod) for its form: loaded when the tab is opened, not with the page.
const InstanceAutoscale = lazy(() => import('./instance-autoscale.js'));

type Tab = 'replicas' | 'events' | 'logs' | 'terminal' | 'charts' | 'autoscaling';

/** One instance: its replicas, events, live logs, a terminal, charts, autoscaling, and what can be done to it. */
export default function InstancePage({ params }: PageProps) {
  const project = params.project!;
  const name = params.instance!;
  const { whoami } = useSession();
  const instance = useApi((c) => c.call('getInstance', { params: { project, instance: name } }), [project, name], { liveOn: touchesInstances(project, name) });
  const [tab, setTab] = useState<Tab>('replicas');
  const [target, setTarget] = useState('');
  const member = can(whoami, project, 'member');
  // Deleted elsewhere (another tab, the CLI, a teammate): the last state it had is not offered for action.
  const gone = (instance.error as { code?: unknown } | undefined)?.code === 'INSTANCE_NOT_FOUND';
  const i = gone ? undefined : instance.data;
  const running = i?.replicas.filter((r) => r.state === 'running' && r.containerId) ?? [];
  const chosen = running.find((r) => `${r.component}/${r.index}` === target) ?? running[0];
  const tabs: { key: Tab; label: string }[] = [
    { key: 'replicas', label: 'Replicas' },
    { key: 'events', label: 'Events' },
    { key: 'logs', label: 'Logs' },
    ...(member ? [{ key: 'terminal' as const, label: 'Terminal' }] : []),
    { key: 'charts', label: 'Charts' },
    { key: 'autoscaling', label: 'Autoscaling' },
  ];
  const counts = i && replicaCounts(i);
  return (
    <>
      <p>
        <Link to={`/projects/${encodeURIComponent(project)}/instances`}>← Instances</Link>
      </p>
      <PageHeader
        title={name}
        subtitle={
          i && counts ? (
            <>
              <PhaseBadge phase={i.phase} reason={i.reason} /> {counts.ready}/{counts.desired} replicas running · app <Link to={`/catalog/${encodeURIComponent(i.app)}`}>{i.app}</Link> v{i.appVersion}
              {i.reason && <> · {i.reason}</>}
            </>
          ) : undefined
        }
      />
      {gone ? (
        <Empty>
          Instance {name} no longer exists: it was deleted. <Link to={`/projects/${encodeURIComponent(project)}/instances`}>Back to the instances</Link>
        </Empty>
      ) : (
        <ErrorBanner error={instance.error} onRetry={instance.reload} />
      )}
      {!i ? (
        instance.error === undefined && <Loading what="Loading the instance" />
      ) : (
        <>
          {member && <InstanceActions instance={i} onChanged={() => instance.reload()} />}
          <Tabs label="Instance views" tabs={tabs} selected={tab} onSelect={setTab}>
            {tab === 'replicas' && <ReplicaTable instance={i} />}
            {tab === 'events' && <InstanceEvents project={project} instance={name} />}
            {tab === 'logs' && (i.replicas.some((r) => r.containerId) ? <LogView project={project} instance={name} /> : <Empty>No replica has logs yet.</Empty>)}
            {tab === 'terminal' &&
              member &&
              (chosen ? (
                <>
                  <SelectField label="Replica" value={`${chosen.component}/${chosen.index}`} onChange={(e) => setTarget(e.target.value)} options={running.map((r) => `${r.component}/${r.index}`)} />
                  <Suspense fallback={<Loading what="Opening the terminal" />}>
                    <ReplicaTerminal key={`${chosen.component}/${chosen.index}`} project={project} instance={name} component={chosen.component} replica={chosen.index} />
                  </Suspense>
                </>
              ) : (
                <Empty>No replica is running: a terminal needs a running replica.</Empty>
              ))}
            {tab === 'charts' && <InstanceCharts project={project} instance={name} />}
            {tab === 'autoscaling' && (
              <Suspense fallback={<Loading what="Loading the autoscaling" />}>
                <InstanceAutoscale instance={i} member={member} />
              </Suspense>
            )}
          </Tabs>
        </>
      )}
    </>
  );
}
