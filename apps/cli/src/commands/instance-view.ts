import type { Instance } from '@gureum/contract';
import { formatAge, renderFields, renderTable, type Color, type Column } from '../output.js';

export function phaseColor(phase: string): Color | undefined {
  switch (phase) {
    case 'running':
      return 'green';
    case 'pending':
    case 'degraded':
      return 'yellow';
    case 'failed':
      return 'red';
    default:
      return 'dim';
  }
}

/** `ready/desired` over all components. */
export function readiness(i: Instance): string {
  const ready = i.components.reduce((n, c) => n + c.readyReplicas, 0);
  const desired = i.components.reduce((n, c) => n + c.desiredReplicas, 0);
  return `${ready}/${desired}`;
}

/** Published ports the way docker ps shows them: 0.0.0.0:32768->8080/tcp. */
export function publishedPorts(i: Instance): string {
  const ports = new Set<string>();
  for (const r of i.replicas) {
    for (const p of r.ports) if (p.hostPort !== undefined) ports.add(`${p.hostIp ?? '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`);
  }
  return [...ports].join(', ');
}

export const instanceColumns = (withProject: boolean): Column<Instance>[] => [
  ...(withProject ? [{ header: 'PROJECT', value: (i: Instance) => i.project }] : []),
  { header: 'NAME', value: (i) => i.name },
  { header: 'APP', value: (i) => i.app },
  { header: 'PHASE', value: (i) => i.phase, color: (i) => phaseColor(i.phase) },
  { header: 'READY', value: readiness },
  { header: 'RESTARTS', value: (i) => String(i.replicas.reduce((n, r) => n + r.restartCount, 0)) },
  { header: 'AGE', value: (i) => formatAge(i.createdAt) },
  { header: 'PORTS', value: publishedPorts },
];

/** The human view of `gureum inspect`. */
export function describeInstance(i: Instance): string {
  const fields = renderFields([
    ['name', i.name],
    ['project', i.project],
    ['app', `${i.app} (version ${i.appVersion})`],
    ['phase', `${i.phase}${i.reason ? ` (${i.reason})` : ''}`],
    ['desired', i.desiredState],
    ['parameters', Object.entries(i.parameters).map(([k, v]) => `${k}=${String(v)}`).join(' ') || '-'],
    ['env', Object.keys(i.env).join(' ') || '-'],
    ['created', `${i.createdAt} (${formatAge(i.createdAt)} ago)`],
  ]);
  const components = renderTable(
    ['COMPONENT', 'IMAGE', 'PINNED', 'READY'],
    i.components.map((c) => [c.name, c.image, c.imageId ? c.imageId.replace('sha256:', '').slice(0, 12) : '-', `${c.readyReplicas}/${c.desiredReplicas}`]),
  );
  const replicas = renderTable(
    ['REPLICA', 'STATE', 'HEALTH', 'RESTARTS', 'EXIT', 'IP', 'PORTS', 'STARTED', 'CONTAINER'],
    i.replicas.map((r) => [
      `${r.component}/${r.index}${r.current ? '' : ' (old)'}`,
      r.state + (r.oomKilled ? ' (OOM)' : ''),
      r.health,
      String(r.restartCount),
      r.lastExitCode === null ? '-' : String(r.lastExitCode),
      r.ip ?? '-',
      r.ports.map((p) => (p.hostPort !== undefined ? `${p.hostPort}->${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`)).join(',') || '-',
      formatAge(r.startedAt),
      r.containerId ? r.containerId.slice(0, 12) : '-',
    ]),
  );
  return `${fields}\n${components}\n${replicas}`;
}
