import type { Instance, Phase } from '@gureum/contract';

/** The phase of an instance as a coloured badge, with its reason as a tooltip and for screen readers. */
export function PhaseBadge({ phase, reason }: { phase: Phase; reason?: string | null }) {
  return (
    <span className={`badge phase-${phase}`} title={reason ?? undefined} data-phase={phase}>
      {phase}
      {reason && <span className="visually-hidden">: {reason}</span>}
    </span>
  );
}

/** Replicas running and wanted, across components. */
export function replicaCounts(instance: Pick<Instance, 'components'>): { ready: number; desired: number } {
  let ready = 0;
  let desired = 0;
  for (const c of instance.components) {
    ready += c.readyReplicas;
    desired += c.desiredReplicas;
  }
  return { ready, desired };
}
