import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GureumClient, Project } from '@gureum/contract';
import type { EventHub } from '../api/event-hub.js';
import { touchesMemberships } from '../api/live.js';
import type { WhoamiOut } from '../api/types.js';
import { choosePage } from './page-route.js';
import { registeredPages } from './registry.js';
import { navigate, useLocation } from './router.js';
import { SessionContext, type Session } from './session.js';
import { Shell } from './shell.js';

const PROJECT_KEY = 'gureum.project';

function rememberedProject(): string | null {
  try {
    return localStorage.getItem(PROJECT_KEY);
  } catch {
    return null;
  }
}

interface Props {
  whoami: WhoamiOut;
  client: GureumClient;
  hub: EventHub;
  onSignOut: () => Promise<void>;
  /** Called when the user's own memberships changed: who they are must be read again. */
  onWhoamiChanged: () => Promise<void>;
}

/** Holds the session (projects, chosen project, live events) and routes to pages. */
export function SignedIn({ whoami, client, hub, onSignOut, onWhoamiChanged }: Props) {
  const location = useLocation();
  const [projects, setProjects] = useState<Project[]>([]);
  const [projectsLoaded, setProjectsLoaded] = useState(false);
  const [chosen, setChosen] = useState<string | null>(rememberedProject);
  const match = choosePage(registeredPages, location);
  const urlProject = match?.params.project ?? null;
  const project = urlProject ?? (chosen && projects.some((p) => p.name === chosen) ? chosen : (projects[0]?.name ?? null));

  const reloadProjects = useCallback(async () => {
    setProjects(await client.call('listProjects', {}));
    setProjectsLoaded(true);
  }, [client]);

  useEffect(() => {
    hub.start();
    void reloadProjects().catch(() => undefined);
    const off = hub.subscribe((e) => {
      if (e.type === 'project.created' || e.type === 'project.deleted') void reloadProjects().catch(() => undefined);
    });
    return () => {
      off();
      hub.stop();
    };
  }, [hub, reloadProjects]);

  // Joined, left or changed role: the project list and what the pages allow follow at once.
  const whoamiChanged = useRef(onWhoamiChanged);
  whoamiChanged.current = onWhoamiChanged;
  const userName = whoami.user.name;
  useEffect(() => {
    const mine = touchesMemberships(userName);
    return hub.subscribe((e) => {
      if (!mine(e)) return;
      void reloadProjects().catch(() => undefined);
      void whoamiChanged.current().catch(() => undefined);
    });
  }, [hub, userName, reloadProjects]);

  useEffect(() => {
    if (!project) return;
    try {
      localStorage.setItem(PROJECT_KEY, project);
    } catch {
      // storage disabled
    }
  }, [project]);

  const setProject = useCallback(
    (name: string) => {
      setChosen(name);
      // Stay on the same kind of page in the other project when it is a project page.
      const pattern = match?.page.route.path;
      const simple = pattern && pattern.includes(':project') && Object.keys(match.params).length === 1;
      navigate(simple ? pattern.replace(':project', encodeURIComponent(name)) : `/projects/${encodeURIComponent(name)}/instances`);
    },
    [match],
  );

  const session: Session = useMemo(
    () => ({ client, hub, whoami, projects, reloadProjects, project, setProject, logout: onSignOut }),
    [client, hub, whoami, projects, reloadProjects, project, setProject, onSignOut],
  );

  // "/" goes to the instances of the chosen project (or the catalog while there is none).
  useEffect(() => {
    if (location.split('?')[0] !== '/' || !projectsLoaded) return;
    if (project) navigate(`/projects/${encodeURIComponent(project)}/instances`, { replace: true });
    else if (projects.length === 0) navigate('/catalog', { replace: true });
  }, [location, project, projects.length, projectsLoaded]);

  return (
    <SessionContext.Provider value={session}>
      <Shell match={match} />
    </SessionContext.Provider>
  );
}
