import type { AlertState, Event } from '@gureum/contract';

/** The state of a rule or series, in words and colour. */
export function AlertStateBadge({ state }: { state: AlertState }) {
  const cls = state === 'firing' ? 'phase-failed' : state === 'pending' ? 'phase-pending' : 'phase-stopped';
  return <span className={`badge ${cls}`}>{state === 'inactive' ? 'ok' : state}</span>;
}

/** Events that change a rule's state or its deliveries. */
export const alertEvent = (project?: string) => (e: Event) => e.type.startsWith('alert.') && (project === undefined || e.project === project);
