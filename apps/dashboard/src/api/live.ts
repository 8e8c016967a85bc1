import type { Event } from '@gureum/contract';

/** Events that change what an instance list or detail shows. */
export function touchesInstances(project: string, instance?: string): (e: Event) => boolean {
  return (e) => e.project === project && (instance === undefined || e.instance === instance) && (e.type.startsWith('instance.') || e.type.startsWith('replica.'));
}

/** Events that change the signed-in user's own memberships (their projects and roles). */
export function touchesMemberships(user: string): (e: Event) => boolean {
  return (e) => e.type.startsWith('member.') && (e.data as { user?: unknown } | null)?.user === user;
}
