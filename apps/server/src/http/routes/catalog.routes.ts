import type { Services } from '../context.js';
import type { Handlers } from '../bind.js';

type CatalogHandlers = Pick<Handlers, 'listProjects' | 'createProject' | 'getProject' | 'deleteProject' | 'listApps' | 'createApp' | 'getApp' | 'updateApp' | 'deleteApp' | 'listVolumes' | 'createVolume' | 'getVolume' | 'deleteVolume'>;

const DELETED = { deleted: true } as const;

export function catalogHandlers(s: Services): CatalogHandlers {
  return {
    listProjects: () => s.projects.list(),
    createProject: ({ body }) => s.projects.create(body),
    getProject: ({ params }) => s.projects.get(params.project),
    deleteProject: async ({ params, query }) => {
      await s.projects.delete(params.project, query.force === 'true' || query.force === '1');
      return DELETED;
    },
    listApps: () => s.apps.list(),
    createApp: ({ body }) => s.apps.create(body),
    getApp: ({ params }) => s.apps.get(params.app),
    updateApp: ({ params, body }) => s.apps.update(params.app, body),
    deleteApp: async ({ params }) => {
      await s.apps.delete(params.app);
      return DELETED;
    },
    listVolumes: ({ params }) => s.volumes.list(params.project),
    createVolume: ({ params, body }) => s.volumes.create(params.project, body.name),
    getVolume: ({ params }) => s.volumes.get(params.project, params.volume),
    deleteVolume: async ({ params }) => {
      await s.volumes.delete(params.project, params.volume);
      return DELETED;
    },
  };
}
