import { scopeOf } from '../../domain/identity/access.js';
import type { Services } from '../context.js';
import { principalOf } from './identity.routes.js';
import type { Handlers } from '../bind.js';

type CatalogHandlers = Pick<Handlers, 'listProjects' | 'createProject' | 'getProject' | 'deleteProject' | 'listApps' | 'createApp' | 'getApp' | 'updateApp' | 'deleteApp' | 'listVolumes' | 'createVolume' | 'getVolume' | 'deleteVolume'>;

const DELETED = { deleted: true } as const;

export function catalogHandlers(s: Services): CatalogHandlers {
  return {
    listProjects: (_input, { request }) => s.projects.list(scopeOf(principalOf(request))),
    createProject: ({ body }, { request }) => s.projects.create(body, principalOf(request)),
    getProject: ({ params }) => s.projects.get(params.project),
    deleteProject: async ({ params, query }) => {
      await s.projects.delete(params.project, query.force === 'true' || query.force === '1');
      return DELETED;
    },
    listApps: (_input, { request }) => s.apps.list(scopeOf(principalOf(request))),
    createApp: ({ body }, { request }) => {
      request.auditProject = body.project;
      return s.apps.create(body, principalOf(request));
    },
    getApp: ({ params }, { request }) => s.apps.get(params.app, scopeOf(principalOf(request))),
    updateApp: async ({ params, body }, { request }) => {
      request.auditProject = await s.apps.projectOf(params.app);
      return s.apps.update(params.app, body, principalOf(request));
    },
    deleteApp: async ({ params }, { request }) => {
      request.auditProject = await s.apps.projectOf(params.app);
      await s.apps.delete(params.app, principalOf(request));
      return DELETED;
    },
    listVolumes: ({ params }) => s.volumes.list(params.project),
    createVolume: ({ params, body }) => s.volumes.create(params.project, body.name, body.sizeBytes ?? null),
    getVolume: ({ params }) => s.volumes.get(params.project, params.volume),
    deleteVolume: async ({ params }) => {
      await s.volumes.delete(params.project, params.volume);
      return DELETED;
    },
  };
}
