import type { Instance } from '@gureum/contract';

/** Why an instance has no replica, in the words of its state. */
export function noReplicasReason(instance: Pick<Instance, 'phase' | 'desiredState' | 'reason' | 'components'>): string {
  if (instance.desiredState === 'stopped') return 'No replicas: the instance is stopped.';
  if (instance.components.every((c) => c.desiredReplicas === 0)) return 'No replicas: the instance is scaled to zero.';
  if (instance.phase === 'failed') return `No replicas: the instance failed${instance.reason ? ` (${instance.reason})` : ''}.`;
  return 'No replicas yet: they are being created.';
}
