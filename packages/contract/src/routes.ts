import { z } from 'zod';
import { defineRoute } from './route.js';
import { AppCreate, App, AppUpdate } from './schemas/app.schema.js';
import { Deleted, Empty, NameParams, Name } from './schemas/common.schema.js';
import { Event, EventsQuery } from './schemas/event.schema.js';
import { Image, ImageParams, ImagePull } from './schemas/image.schema.js';
import { ExecQuery, Instance, InstanceCreate, InstancePatch, LogsQuery } from './schemas/instance.schema.js';
import { Project, ProjectCreate } from './schemas/project.schema.js';
import { AuditEntry, AuditQuery, Policy, Quota, QuotaPatch, Secret, SecretPut, Usage } from './schemas/governance.schema.js';
import { Login, LoginResult, Member, MemberPut, PasswordChange, Token, TokenCreate, TokenCreated, User, UserCreate, UserName, UserPatch, Whoami } from './schemas/identity.schema.js';
import { Health, Node } from './schemas/system.schema.js';
import { Settings, SettingsPatch } from './schemas/settings.schema.js';
import { Volume, VolumeCreate } from './schemas/volume.schema.js';
import { LatestQuery, MetricsBundle, MetricsQuery, MetricsResult, NodeSample, RangeQuery, ReplicaSample } from './schemas/metrics.schema.js';
import { AlertParams, AlertRule, AlertRuleCreate, AlertRuleCreated, AlertRuleUpdate, Autoscale, AutoscalePut, ComponentParams, Delivery, FiringAlert, NodeAlertParams, NodeAlertRule, NodeAlertRuleCreate, NodeAlertRuleCreated, NodeAlertRuleUpdate } from './schemas/alert.schema.js';

const V1 = '/api/v1';
const PUBLIC = { kind: 'public' } as const;
const USER = { kind: 'user' } as const;
const ADMIN = { kind: 'admin' } as const;
const project = (role: 'viewer' | 'member' | 'owner') => ({ kind: 'project', role }) as const;
const INSTANCE = `${V1}/projects/:project/instances/:instance`;
const ForceQuery = z.object({ force: z.enum(['true', 'false', '1', '0']).optional() });
const ProjectFilter = z.object({ project: Name.optional() });
const UserParams = z.object({ user: UserName });
const IdParams = z.object({ id: z.string().min(1).max(100) });
const MemberParams = z.object({ project: Name, user: UserName });
const SecretParams = z.object({ project: Name, secret: Name });
const NodeParams = z.object({ node: z.string().min(1).max(253) });

/**
 * Every operation of the REST API. Add a route here and the server and OpenAPI follow; the
 * client also needs its line in `route-paths.ts` (tsc and `route-paths.test.ts` say which).
 */
export const routes = {
  healthz: defineRoute({ method: 'GET', path: '/healthz', summary: 'The process is alive', tag: 'system', status: 200, response: Health, access: PUBLIC }),
  readyz: defineRoute({ method: 'GET', path: '/readyz', summary: 'Store and engine are reachable', tag: 'system', status: 200, response: Health, access: PUBLIC }),

  listProjects: defineRoute({ access: USER, method: 'GET', path: `${V1}/projects`, summary: 'List projects', tag: 'projects', status: 200, response: z.array(Project) }),
  createProject: defineRoute({ access: USER, method: 'POST', path: `${V1}/projects`, summary: 'Create a project', tag: 'projects', status: 201, body: ProjectCreate, response: Project }),
  getProject: defineRoute({ access: project('viewer'), method: 'GET', path: `${V1}/projects/:project`, summary: 'Show a project', tag: 'projects', status: 200, params: NameParams.project, response: Project }),
  deleteProject: defineRoute({ access: project('owner'),
    method: 'DELETE',
    path: `${V1}/projects/:project`,
    summary: 'Delete a project (409 while it has instances or volumes, unless force=true)',
    tag: 'projects',
    status: 200,
    params: NameParams.project,
    query: ForceQuery,
    response: Deleted,
  }),

  listApps: defineRoute({ access: USER, method: 'GET', path: `${V1}/apps`, summary: 'List the catalog', tag: 'apps', status: 200, response: z.array(App) }),
  createApp: defineRoute({ access: USER, method: 'POST', path: `${V1}/apps`, summary: 'Register an app', tag: 'apps', status: 201, body: AppCreate, response: App }),
  getApp: defineRoute({ access: USER, method: 'GET', path: `${V1}/apps/:app`, summary: 'Show an app', tag: 'apps', status: 200, params: NameParams.app, response: App }),
  updateApp: defineRoute({ access: USER, method: 'PUT', path: `${V1}/apps/:app`, summary: 'Replace an app definition', tag: 'apps', status: 200, params: NameParams.app, body: AppUpdate, response: App }),
  deleteApp: defineRoute({ access: USER, method: 'DELETE', path: `${V1}/apps/:app`, summary: 'Delete an app (409 while instances use it)', tag: 'apps', status: 200, params: NameParams.app, response: Deleted }),

  listImages: defineRoute({ access: USER, method: 'GET', path: `${V1}/images`, summary: 'List images on the engine', tag: 'images', status: 200, response: z.array(Image) }),
  pullImage: defineRoute({ access: ADMIN,
    method: 'POST',
    path: `${V1}/images/pull`,
    summary: 'Pull an image from a registry (admins only); progress streamed as NDJSON ImageProgress lines',
    tag: 'images',
    status: 200,
    body: ImagePull,
    stream: 'ndjson',
  }),
  loadImage: defineRoute({ access: ADMIN,
    method: 'POST',
    path: `${V1}/images/load`,
    summary: 'Load a `docker save` tarball (admins only; request body, streamed); progress as NDJSON',
    tag: 'images',
    status: 200,
    upload: 'application/x-tar',
    stream: 'ndjson',
  }),
  deleteImage: defineRoute({ access: ADMIN, method: 'DELETE', path: `${V1}/images/:id`, summary: 'Remove an image', tag: 'images', status: 200, params: ImageParams, query: ForceQuery, response: Deleted }),

  listInstances: defineRoute({ access: project('viewer'), method: 'GET', path: `${V1}/projects/:project/instances`, summary: 'List instances of a project', tag: 'instances', status: 200, params: NameParams.project, response: z.array(Instance) }),
  createInstance: defineRoute({ access: project('member'),
    method: 'POST',
    path: `${V1}/projects/:project/instances`,
    summary: 'Launch an app as an instance',
    tag: 'instances',
    status: 201,
    params: NameParams.project,
    body: InstanceCreate,
    response: Instance,
  }),
  getInstance: defineRoute({ access: project('viewer'), method: 'GET', path: INSTANCE, summary: 'Desired and observed state of an instance', tag: 'instances', status: 200, params: NameParams.instance, response: Instance }),
  updateInstance: defineRoute({ access: project('member'),
    method: 'PATCH',
    path: INSTANCE,
    summary: 'Change parameters, env or replicas (scale)',
    tag: 'instances',
    status: 200,
    params: NameParams.instance,
    body: InstancePatch,
    response: Instance,
  }),
  deleteInstance: defineRoute({ access: project('member'), method: 'DELETE', path: INSTANCE, summary: 'Delete an instance and its containers', tag: 'instances', status: 202, params: NameParams.instance, response: Instance }),
  startInstance: defineRoute({ access: project('member'), method: 'POST', path: `${INSTANCE}/start`, summary: 'Start a stopped instance', tag: 'instances', status: 200, params: NameParams.instance, body: Empty.optional(), response: Instance }),
  stopInstance: defineRoute({ access: project('member'), method: 'POST', path: `${INSTANCE}/stop`, summary: 'Stop every replica', tag: 'instances', status: 200, params: NameParams.instance, body: Empty.optional(), response: Instance }),
  restartInstance: defineRoute({ access: project('member'), method: 'POST', path: `${INSTANCE}/restart`, summary: 'Restart every replica', tag: 'instances', status: 200, params: NameParams.instance, body: Empty.optional(), response: Instance }),
  instanceLogs: defineRoute({ access: project('viewer'),
    method: 'GET',
    path: `${INSTANCE}/logs`,
    summary: 'Logs of the replicas as text lines prefixed by replica; follow=true streams until the client goes',
    tag: 'instances',
    status: 200,
    params: NameParams.instance,
    query: LogsQuery,
    stream: 'text',
  }),
  instanceExec: defineRoute({ access: project('member'),
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

  listVolumes: defineRoute({ access: project('viewer'), method: 'GET', path: `${V1}/projects/:project/volumes`, summary: 'List volumes of a project', tag: 'volumes', status: 200, params: NameParams.project, response: z.array(Volume) }),
  createVolume: defineRoute({ access: project('member'), method: 'POST', path: `${V1}/projects/:project/volumes`, summary: 'Create a persistent volume', tag: 'volumes', status: 201, params: NameParams.project, body: VolumeCreate, response: Volume }),
  getVolume: defineRoute({ access: project('viewer'), method: 'GET', path: `${V1}/projects/:project/volumes/:volume`, summary: 'Show a volume', tag: 'volumes', status: 200, params: NameParams.volume, response: Volume }),
  deleteVolume: defineRoute({ access: project('member'), method: 'DELETE', path: `${V1}/projects/:project/volumes/:volume`, summary: 'Delete a volume and its data (409 while mounted)', tag: 'volumes', status: 200, params: NameParams.volume, response: Deleted }),

  listEvents: defineRoute({ access: USER, method: 'GET', path: `${V1}/events`, summary: 'Stored lifecycle events, oldest first', tag: 'events', status: 200, query: EventsQuery, response: z.array(Event) }),
  streamEvents: defineRoute({ access: USER,
    method: 'GET',
    path: `${V1}/events/stream`,
    summary: 'Live lifecycle events as Server-Sent Events (honours Last-Event-ID)',
    tag: 'events',
    status: 200,
    query: ProjectFilter,
    stream: 'sse',
  }),

  listNodes: defineRoute({ access: USER, method: 'GET', path: `${V1}/nodes`, summary: 'Engine hosts with capacity and status', tag: 'nodes', status: 200, response: z.array(Node) }),
  openapi: defineRoute({ method: 'GET', path: `${V1}/openapi.json`, summary: 'This document', tag: 'system', status: 200, access: PUBLIC, response: z.record(z.string(), z.unknown()) }),

  login: defineRoute({ method: 'POST', path: `${V1}/auth/login`, summary: 'Password login: sets the session cookie; answers the CSRF token', tag: 'auth', status: 200, body: Login, response: LoginResult, access: PUBLIC }),
  logout: defineRoute({ method: 'POST', path: `${V1}/auth/logout`, summary: 'End the session', tag: 'auth', status: 200, body: Empty.optional(), response: Deleted, access: USER }),
  whoami: defineRoute({ method: 'GET', path: `${V1}/auth/whoami`, summary: 'The caller, how it signed in, and its memberships', tag: 'auth', status: 200, response: Whoami, access: USER }),
  changePassword: defineRoute({ method: 'PUT', path: `${V1}/auth/password`, summary: 'Change your own password (ends your other sessions)', tag: 'auth', status: 200, body: PasswordChange, response: User, access: USER }),

  listUsers: defineRoute({ method: 'GET', path: `${V1}/users`, summary: 'List users', tag: 'users', status: 200, response: z.array(User), access: ADMIN }),
  createUser: defineRoute({ method: 'POST', path: `${V1}/users`, summary: 'Create a user', tag: 'users', status: 201, body: UserCreate, response: User, access: ADMIN }),
  getUser: defineRoute({ method: 'GET', path: `${V1}/users/:user`, summary: 'Show a user', tag: 'users', status: 200, params: UserParams, response: User, access: ADMIN }),
  updateUser: defineRoute({ method: 'PATCH', path: `${V1}/users/:user`, summary: 'Disable, enable, promote or reset the password of a user', tag: 'users', status: 200, params: UserParams, body: UserPatch, response: User, access: ADMIN }),
  deleteUser: defineRoute({ method: 'DELETE', path: `${V1}/users/:user`, summary: 'Delete a user, its tokens, sessions and memberships', tag: 'users', status: 200, params: UserParams, response: Deleted, access: ADMIN }),

  listTokens: defineRoute({ method: 'GET', path: `${V1}/tokens`, summary: 'Your API tokens', tag: 'tokens', status: 200, response: z.array(Token), access: USER }),
  createToken: defineRoute({ method: 'POST', path: `${V1}/tokens`, summary: 'Create an API token (shown once)', tag: 'tokens', status: 201, body: TokenCreate, response: TokenCreated, access: USER }),
  deleteToken: defineRoute({ method: 'DELETE', path: `${V1}/tokens/:id`, summary: 'Revoke one of your tokens', tag: 'tokens', status: 200, params: IdParams, response: Deleted, access: USER }),

  listMembers: defineRoute({ method: 'GET', path: `${V1}/projects/:project/members`, summary: 'Members of a project and their roles', tag: 'members', status: 200, params: NameParams.project, response: z.array(Member), access: project('viewer') }),
  putMember: defineRoute({ method: 'PUT', path: `${V1}/projects/:project/members/:user`, summary: 'Add a member or change its role', tag: 'members', status: 200, params: MemberParams, body: MemberPut, response: Member, access: project('owner') }),
  deleteMember: defineRoute({ method: 'DELETE', path: `${V1}/projects/:project/members/:user`, summary: 'Remove a member', tag: 'members', status: 200, params: MemberParams, response: Deleted, access: project('owner') }),

  getUsage: defineRoute({ method: 'GET', path: `${V1}/projects/:project/usage`, summary: 'Use against quota', tag: 'quotas', status: 200, params: NameParams.project, response: Usage, access: project('viewer') }),
  updateQuota: defineRoute({ method: 'PATCH', path: `${V1}/projects/:project/quota`, summary: 'Set limits (null: none)', tag: 'quotas', status: 200, params: NameParams.project, body: QuotaPatch, response: Quota, access: ADMIN }),
  getSettings: defineRoute({ method: 'GET', path: `${V1}/settings`, summary: "The installation's settings: who creates projects, default quota and limits, webhook ranges", tag: 'settings', status: 200, response: Settings, access: ADMIN }),
  updateSettings: defineRoute({ method: 'PATCH', path: `${V1}/settings`, summary: 'Change settings: each key given replaces that setting (audited)', tag: 'settings', status: 200, body: SettingsPatch, response: Settings, access: ADMIN }),
  getPolicy: defineRoute({ method: 'GET', path: `${V1}/projects/:project/policy`, summary: 'The container policy of a project', tag: 'policy', status: 200, params: NameParams.project, response: Policy, access: project('viewer') }),
  putPolicy: defineRoute({ method: 'PUT', path: `${V1}/projects/:project/policy`, summary: 'Relax or tighten the container policy (audited)', tag: 'policy', status: 200, params: NameParams.project, body: Policy, response: Policy, access: ADMIN }),

  listSecrets: defineRoute({ method: 'GET', path: `${V1}/projects/:project/secrets`, summary: 'Secret names and versions (never values)', tag: 'secrets', status: 200, params: NameParams.project, response: z.array(Secret), access: project('member') }),
  putSecret: defineRoute({ method: 'PUT', path: `${V1}/projects/:project/secrets/:secret`, summary: 'Create or replace a secret (write-only)', tag: 'secrets', status: 200, params: SecretParams, body: SecretPut, response: Secret, access: project('member') }),
  deleteSecret: defineRoute({ method: 'DELETE', path: `${V1}/projects/:project/secrets/:secret`, summary: 'Delete a secret (409 while used)', tag: 'secrets', status: 200, params: SecretParams, response: Deleted, access: project('member') }),

  listAudit: defineRoute({ method: 'GET', path: `${V1}/audit`, summary: 'The audit log (append-only): oldest first, or newest first with order=desc', tag: 'audit', status: 200, query: AuditQuery, response: z.array(AuditEntry), access: ADMIN }),
  queryMetrics: defineRoute({ method: 'GET', path: `${V1}/metrics/query`, summary: 'A metric over time, for a node, project, instance, component or replica (project scopes need the viewer role)', tag: 'metrics', status: 200, query: MetricsQuery, response: MetricsResult, access: USER }),
  latestMetrics: defineRoute({ method: 'GET', path: `${V1}/metrics/latest`, summary: 'The latest sample of every running replica you can see', tag: 'metrics', status: 200, query: LatestQuery, response: z.array(ReplicaSample), access: USER }),
  instanceMetrics: defineRoute({ method: 'GET', path: `${INSTANCE}/metrics`, summary: 'CPU, memory, network, block I/O and restarts of an instance over a range', tag: 'metrics', status: 200, params: NameParams.instance, query: RangeQuery, response: MetricsBundle, access: project('viewer') }),
  nodeMetrics: defineRoute({ method: 'GET', path: `${V1}/nodes/:node/metrics`, summary: 'CPU, memory, load and disk of a node over a range', tag: 'metrics', status: 200, params: NodeParams, query: RangeQuery, response: MetricsBundle, access: USER }),
  latestNodeMetrics: defineRoute({ method: 'GET', path: `${V1}/nodes/metrics/latest`, summary: 'The latest sample of every node', tag: 'metrics', status: 200, response: z.array(NodeSample), access: USER }),

  listAlertRules: defineRoute({ method: 'GET', path: `${V1}/projects/:project/alerts`, summary: 'Alert rules of a project and their state', tag: 'alerts', status: 200, params: NameParams.project, response: z.array(AlertRule), access: project('viewer') }),
  createAlertRule: defineRoute({ method: 'POST', path: `${V1}/projects/:project/alerts`, summary: 'Create an alert rule (the webhook secret is answered once)', tag: 'alerts', status: 201, params: NameParams.project, body: AlertRuleCreate, response: AlertRuleCreated, access: project('member') }),
  getAlertRule: defineRoute({ method: 'GET', path: `${V1}/projects/:project/alerts/:alert`, summary: 'Show an alert rule and its state', tag: 'alerts', status: 200, params: AlertParams, response: AlertRule, access: project('viewer') }),
  updateAlertRule: defineRoute({ method: 'PUT', path: `${V1}/projects/:project/alerts/:alert`, summary: 'Replace an alert rule (a webhook secret generated by this update is answered once)', tag: 'alerts', status: 200, params: AlertParams, body: AlertRuleUpdate, response: AlertRuleCreated, access: project('member') }),
  deleteAlertRule: defineRoute({ method: 'DELETE', path: `${V1}/projects/:project/alerts/:alert`, summary: 'Delete an alert rule', tag: 'alerts', status: 200, params: AlertParams, response: Deleted, access: project('member') }),
  listAlertDeliveries: defineRoute({ method: 'GET', path: `${V1}/projects/:project/alerts/:alert/deliveries`, summary: 'Webhook deliveries of a rule, newest first', tag: 'alerts', status: 200, params: AlertParams, response: z.array(Delivery), access: project('viewer') }),
  listFiringAlerts: defineRoute({ method: 'GET', path: `${V1}/alerts`, summary: 'Firing alerts across all projects', tag: 'alerts', status: 200, response: z.array(FiringAlert), access: ADMIN }),
  listNodeAlertRules: defineRoute({ method: 'GET', path: `${V1}/node-alerts`, summary: 'Alert rules on node metrics and their state', tag: 'alerts', status: 200, response: z.array(NodeAlertRule), access: ADMIN }),
  createNodeAlertRule: defineRoute({ method: 'POST', path: `${V1}/node-alerts`, summary: 'Create a node alert rule (the webhook secret is answered once)', tag: 'alerts', status: 201, body: NodeAlertRuleCreate, response: NodeAlertRuleCreated, access: ADMIN }),
  getNodeAlertRule: defineRoute({ method: 'GET', path: `${V1}/node-alerts/:alert`, summary: 'Show a node alert rule and its state', tag: 'alerts', status: 200, params: NodeAlertParams, response: NodeAlertRule, access: ADMIN }),
  updateNodeAlertRule: defineRoute({ method: 'PUT', path: `${V1}/node-alerts/:alert`, summary: 'Replace a node alert rule (a webhook secret generated by this update is answered once)', tag: 'alerts', status: 200, params: NodeAlertParams, body: NodeAlertRuleUpdate, response: NodeAlertRuleCreated, access: ADMIN }),
  deleteNodeAlertRule: defineRoute({ method: 'DELETE', path: `${V1}/node-alerts/:alert`, summary: 'Delete a node alert rule', tag: 'alerts', status: 200, params: NodeAlertParams, response: Deleted, access: ADMIN }),
  listNodeAlertDeliveries: defineRoute({ method: 'GET', path: `${V1}/node-alerts/:alert/deliveries`, summary: 'Webhook deliveries of a node rule, newest first', tag: 'alerts', status: 200, params: NodeAlertParams, response: z.array(Delivery), access: ADMIN }),

  getAutoscale: defineRoute({ method: 'GET', path: `${INSTANCE}/components/:component/autoscale`, summary: 'The autoscaling policy of a component and its last decision', tag: 'autoscaling', status: 200, params: ComponentParams, response: Autoscale, access: project('viewer') }),
  putAutoscale: defineRoute({ method: 'PUT', path: `${INSTANCE}/components/:component/autoscale`, summary: 'Scale a component between min and max on its average CPU and/or memory (each needs its limit)', tag: 'autoscaling', status: 200, params: ComponentParams, body: AutoscalePut, response: Autoscale, access: project('member') }),
  deleteAutoscale: defineRoute({ method: 'DELETE', path: `${INSTANCE}/components/:component/autoscale`, summary: 'Stop autoscaling a component (its replica count stays)', tag: 'autoscaling', status: 200, params: ComponentParams, response: Deleted, access: project('member') }),

  listProjectAudit: defineRoute({ method: 'GET', path: `${V1}/projects/:project/audit`, summary: 'The audit log of one project: oldest first, or newest first with order=desc', tag: 'audit', status: 200, params: NameParams.project, query: AuditQuery, response: z.array(AuditEntry), access: project('owner') }),
} as const;

export type Routes = typeof routes;
export type RouteId = keyof Routes;
