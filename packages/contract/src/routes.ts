import { z } from 'zod';
import { defineRoute } from './route.js';
import { AppCreate, App, AppUpdate } from './schemas/app.schema.js';
import { Deleted, Empty, NameParams, Name } from './schemas/common.schema.js';
import { Event, EventsQuery } from './schemas/event.schema.js';
import { Image, ImageParams, ImagePull } from './schemas/image.schema.js';
import { ExecQuery, Instance, InstanceCreate, InstancePatch, LogsQuery } from './schemas/instance.schema.js';
import { Project, ProjectCreate } from './schemas/project.schema.js';
import { Health, Node } from './schemas/system.schema.js';
import { Volume, VolumeCreate } from './schemas/volume.schema.js';

const V1 = '/api/v1';
const INSTANCE = `${V1}/projects/:project/instances/:instance`;
const ForceQuery = z.object({ force: z.enum(['true', 'false', '1', '0']).optional() });
const ProjectFilter = z.object({ project: Name.optional() });

/** Every operation of the REST API. Add a route here and the server, OpenAPI and client follow. */
export const routes = {
  healthz: defineRoute({ method: 'GET', path: '/healthz', summary: 'The process is alive', tag: 'system', status: 200, response: Health, public: true }),
  readyz: defineRoute({ method: 'GET', path: '/readyz', summary: 'Store and engine are reachable', tag: 'system', status: 200, response: Health, public: true }),

  listProjects: defineRoute({ method: 'GET', path: `${V1}/projects`, summary: 'List projects', tag: 'projects', status: 200, response: z.array(Project) }),
  createProject: defineRoute({ method: 'POST', path: `${V1}/projects`, summary: 'Create a project', tag: 'projects', status: 201, body: ProjectCreate, response: Project }),
  getProject: defineRoute({ method: 'GET', path: `${V1}/projects/:project`, summary: 'Show a project', tag: 'projects', status: 200, params: NameParams.project, response: Project }),
  deleteProject: defineRoute({
    method: 'DELETE',
    path: `${V1}/projects/:project`,
    summary: 'Delete a project (409 while it has instances or volumes, unless force=true)',
    tag: 'projects',
    status: 200,
    params: NameParams.project,
    query: ForceQuery,
    response: Deleted,
  }),

  listApps: defineRoute({ method: 'GET', path: `${V1}/apps`, summary: 'List the catalog', tag: 'apps', status: 200, response: z.array(App) }),
  createApp: defineRoute({ method: 'POST', path: `${V1}/apps`, summary: 'Register an app', tag: 'apps', status: 201, body: AppCreate, response: App }),
  getApp: defineRoute({ method: 'GET', path: `${V1}/apps/:app`, summary: 'Show an app', tag: 'apps', status: 200, params: NameParams.app, response: App }),
  updateApp: defineRoute({ method: 'PUT', path: `${V1}/apps/:app`, summary: 'Replace an app definition', tag: 'apps', status: 200, params: NameParams.app, body: AppUpdate, response: App }),
  deleteApp: defineRoute({ method: 'DELETE', path: `${V1}/apps/:app`, summary: 'Delete an app (409 while instances use it)', tag: 'apps', status: 200, params: NameParams.app, response: Deleted }),

  listImages: defineRoute({ method: 'GET', path: `${V1}/images`, summary: 'List images on the engine', tag: 'images', status: 200, response: z.array(Image) }),
  pullImage: defineRoute({
    method: 'POST',
    path: `${V1}/images/pull`,
    summary: 'Pull an image from a registry; progress streamed as NDJSON ImageProgress lines',
    tag: 'images',
    status: 200,
    body: ImagePull,
    stream: 'ndjson',
  }),
  loadImage: defineRoute({
    method: 'POST',
    path: `${V1}/images/load`,
    summary: 'Load a `docker save` tarball (request body, streamed); progress as NDJSON',
    tag: 'images',
    status: 200,
    upload: 'application/x-tar',
    stream: 'ndjson',
  }),
  deleteImage: defineRoute({ method: 'DELETE', path: `${V1}/images/:id`, summary: 'Remove an image', tag: 'images', status: 200, params: ImageParams, query: ForceQuery, response: Deleted }),

  listInstances: defineRoute({ method: 'GET', path: `${V1}/projects/:project/instances`, summary: 'List instances of a project', tag: 'instances', status: 200, params: NameParams.project, response: z.array(Instance) }),
  createInstance: defineRoute({
    method: 'POST',
    path: `${V1}/projects/:project/instances`,
    summary: 'Launch an app as an instance',
    tag: 'instances',
    status: 201,
    params: NameParams.project,
    body: InstanceCreate,
    response: Instance,
  }),
  getInstance: defineRoute({ method: 'GET', path: INSTANCE, summary: 'Desired and observed state of an instance', tag: 'instances', status: 200, params: NameParams.instance, response: Instance }),
  updateInstance: defineRoute({
    method: 'PATCH',
    path: INSTANCE,
    summary: 'Change parameters, env or replicas (scale)',
    tag: 'instances',
    status: 200,
    params: NameParams.instance,
    body: InstancePatch,
    response: Instance,
  }),
  deleteInstance: defineRoute({ method: 'DELETE', path: INSTANCE, summary: 'Delete an instance and its containers', tag: 'instances', status: 202, params: NameParams.instance, response: Instance }),
  startInstance: defineRoute({ method: 'POST', path: `${INSTANCE}/start`, summary: 'Start a stopped instance', tag: 'instances', status: 200, params: NameParams.instance, body: Empty.optional(), response: Instance }),
  stopInstance: defineRoute({ method: 'POST', path: `${INSTANCE}/stop`, summary: 'Stop every replica', tag: 'instances', status: 200, params: NameParams.instance, body: Empty.optional(), response: Instance }),
  restartInstance: defineRoute({ method: 'POST', path: `${INSTANCE}/restart`, summary: 'Restart every replica', tag: 'instances', status: 200, params: NameParams.instance, body: Empty.optional(), response: Instance }),
  instanceLogs: defineRoute({
    method: 'GET',
    path: `${INSTANCE}/logs`,
    summary: 'Logs of the replicas as text lines prefixed by replica; follow=true streams until the client goes',
    tag: 'instances',
    status: 200,
    params: NameParams.instance,
    query: LogsQuery,
    stream: 'text',
  }),
  instanceExec: defineRoute({
    method: 'GET',
    path: `${INSTANCE}/exec`,
    summary:
      'WebSocket: an interactive TTY in a replica. Binary frames carry terminal bytes both ways; text frames from the client carry JSON {"type":"resize","cols","rows"}; the server ends with a text frame {"type":"exit","code"}',
    tag: 'instances',
    status: 101,
    params: NameParams.instance,
    query: ExecQuery,
    stream: 'websocket',
  }),

  listVolumes: defineRoute({ method: 'GET', path: `${V1}/projects/:project/volumes`, summary: 'List volumes of a project', tag: 'volumes', status: 200, params: NameParams.project, response: z.array(Volume) }),
  createVolume: defineRoute({ method: 'POST', path: `${V1}/projects/:project/volumes`, summary: 'Create a persistent volume', tag: 'volumes', status: 201, params: NameParams.project, body: VolumeCreate, response: Volume }),
  getVolume: defineRoute({ method: 'GET', path: `${V1}/projects/:project/volumes/:volume`, summary: 'Show a volume', tag: 'volumes', status: 200, params: NameParams.volume, response: Volume }),
  deleteVolume: defineRoute({ method: 'DELETE', path: `${V1}/projects/:project/volumes/:volume`, summary: 'Delete a volume and its data (409 while mounted)', tag: 'volumes', status: 200, params: NameParams.volume, response: Deleted }),

  listEvents: defineRoute({ method: 'GET', path: `${V1}/events`, summary: 'Stored lifecycle events, oldest first', tag: 'events', status: 200, query: EventsQuery, response: z.array(Event) }),
  streamEvents: defineRoute({
    method: 'GET',
    path: `${V1}/events/stream`,
    summary: 'Live lifecycle events as Server-Sent Events (honours Last-Event-ID)',
    tag: 'events',
    status: 200,
    query: ProjectFilter,
    stream: 'sse',
  }),

  listNodes: defineRoute({ method: 'GET', path: `${V1}/nodes`, summary: 'Engine hosts with capacity and status', tag: 'nodes', status: 200, response: z.array(Node) }),
  openapi: defineRoute({ method: 'GET', path: `${V1}/openapi.json`, summary: 'This document', tag: 'system', status: 200, public: true, response: z.record(z.string(), z.unknown()) }),
} as const;

export type Routes = typeof routes;
export type RouteId = keyof Routes;
