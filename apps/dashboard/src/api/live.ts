import type { Event } from '@gureum/contract';

/** Events that change what an instance list or detail shows. */
export function touchesInstances(project: string, instance?: string): (e: Event) => boolean {
  return (e) => e.project === project && (instance === undefined || e.instance === instance) && (e.type.startsWith('instance.') || e.type.startsWith('replica.'));
}
