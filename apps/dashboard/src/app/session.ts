import { createContext, useContext } from 'react';
import type { GureumClient, Project } from '@gureum/contract';
import type { EventHub } from '../api/event-hub.js';
import type { RoleName, WhoamiOut } from '../api/types.js';

/** Everything a page needs about who is signed in and where they are. */
export interface Session {
  client: GureumClient;
  hub: EventHub;
  whoami: WhoamiOut;
  /** Projects the user can see. */
  projects: Project[];
  reloadProjects: () => Promise<void>;
  /** The project chosen in the switcher (also the :project of project pages), or null when there is none. */
  project: string | null;
  setProject: (name: string) => void;
  logout: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

const RANK: Record<RoleName, number> = { viewer: 0, member: 1, owner: 2 };

/** The user's role in a project ("owner" for the admin, null for a stranger). */
export function roleIn(whoami: WhoamiOut, project: string | null): RoleName | null {
  if (whoami.user.admin) return 'owner';
  if (project === null) return null;
  return whoami.memberships.find((m) => m.project === project)?.role ?? null;
}

/** Whether the user has at least `role` in `project`. The server decides anyway: this only hides controls. */
export function can(whoami: WhoamiOut, project: string | null, role: RoleName): boolean {
  const mine = roleIn(whoami, project);
  if (mine === null) return false;
  if (whoami.token?.readOnly && role !== 'viewer') return false;
  return RANK[mine] >= RANK[role];
}
