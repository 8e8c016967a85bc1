import type { Instance, ReplicaStatus } from '@gureum/contract';
import { formatAgo } from '../ui/format.js';
import { Table, type Column } from '../ui/table.js';
import { noReplicasReason } from './instance-replicas.logic.js';

const columns: Column<ReplicaStatus>[] = [
  { header: 'Replica', cell: (r) => `${r.component}/${r.index}` },
  { header: 'State', cell: (r) => <span className={`badge phase-${r.state === 'running' ? 'running' : r.state === 'exited' || r.state === 'dead' ? 'failed' : 'pending'}`}>{r.state}</span> },
  { header: 'Health', cell: (r) => r.health },
  { header: 'Restarts', cell: (r) => r.restartCount },
  { header: 'Last exit', cell: (r) => (r.lastExitCode === null ? '–' : `${r.lastExitCode}${r.oomKilled ? ' (out of memory)' : ''}`) },
  { header: 'Started', cell: (r) => formatAgo(r.startedAt) },
  { header: 'IP', cell: (r) => r.ip ?? '–' },
  { header: 'Ports', cell: (r) => r.ports.map((p) => (p.hostPort ? `${p.hostPort}→${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`)).join(', ') || '–' },
  { header: 'Node', cell: (r) => r.node ?? '–' },
];

export function ReplicaTable({ instance }: { instance: Instance }) {
  return <Table caption={`Replicas of ${instance.name}`} columns={columns} rows={instance.replicas} rowKey={(r) => `${r.component}/${r.index}`} empty={noReplicasReason(instance)} />;
}
