import { MemberPut, UserName, type Event, type Member, type Role } from '@gureum/contract';
import { localErrors } from '../ui/validate.js';

export const ROLE_HELP: Record<Role, string> = {
  owner: 'manages members and everything else',
  member: 'deploys, scales, reads logs, opens terminals, manages volumes and secrets',
  viewer: 'reads state, events and logs',
};

/** Owners first, then members, then viewers; by name within a role. */
export function sortMembers(members: readonly Member[]): Member[] {
  const rank: Record<Role, number> = { owner: 0, member: 1, viewer: 2 };
  return [...members].sort((a, b) => rank[a.role] - rank[b.role] || a.user.localeCompare(b.user));
}

/** The project's only owner cannot lose the role: the page says so before the API would. */
export function isLastOwner(members: readonly Member[], user: string): boolean {
  const owners = members.filter((m) => m.role === 'owner');
  return owners.length === 1 && owners[0]?.user === user;
}

/** Messages by field for the "add a member" form (the user is a path parameter, the role the body). */
export function memberErrors(form: { user: string; role: string }): Record<string, string> {
  const user = localErrors(UserName, form.user.trim())[''];
  const role = localErrors(MemberPut, { role: form.role }).role;
  return { ...(user !== undefined && { user }), ...(role !== undefined && { role }) };
}

/** Events that change a project's member list: someone joined, changed role or left. */
export function touchesMembers(project: string): (e: Event) => boolean {
  return (e) => e.project === project && (e.type === 'member.added' || e.type === 'member.updated' || e.type === 'member.removed');
}
