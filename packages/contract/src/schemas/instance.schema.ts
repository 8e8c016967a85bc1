import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

export const ParamValue = z.union([z.string(), z.number(), z.boolean()]);
export const EnvMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string());

/** A number (single-component apps) or a count per component name. */
export const ReplicasInput = z.union([z.number().int().min(0).max(100), z.record(Name, z.number().int().min(0).max(100))]);

export const InstanceCreate = z
  .object({
    name: Name,
    app: Name,
    parameters: z.record(z.string(), ParamValue).default({}),
    replicas: ReplicasInput.optional(),
    env: EnvMap.optional().describe('Extra environment for every component'),
  })
  .strict();
export type InstanceCreate = z.infer<typeof InstanceCreate>;

export const InstancePatch = z
  .object({
    parameters: z.record(z.string(), ParamValue).optional(),
    replicas: ReplicasInput.optional(),
    env: EnvMap.optional(),
    refreshImages: z
      .boolean()
      .optional()
      .describe("Upgrade: pin every component to the image its tag names on the engine now, and roll the replicas onto it. Without it the replicas keep the image they were launched (or last upgraded) with, whatever the tag names since"),
  })
  .strict();
export type InstancePatch = z.infer<typeof InstancePatch>;

export const Phase = z.enum(['pending', 'running', 'degraded', 'stopped', 'failed', 'deleting']);
export type Phase = z.infer<typeof Phase>;

export const PublishedPort = z.object({
  name: z.string(),
  containerPort: z.number().int(),
  protocol: z.enum(['tcp', 'udp']),
  hostIp: z.string().optional(),
  hostPort: z.number().int().optional(),
});

export const ReplicaStatus = z.object({
  component: Name,
  index: z.number().int(),
  containerId: z.string().nullable(),
  state: z.enum(['pending', 'created', 'running', 'restarting', 'exited', 'dead', 'paused', 'removing', 'missing']),
  restartCount: z.number().int(),
  lastExitCode: z.number().int().nullable(),
  oomKilled: z.boolean(),
  health: z.enum(['none', 'starting', 'healthy', 'unhealthy']),
  startedAt: Timestamp.nullable(),
  node: z.string().nullable(),
  ip: z.string().nullable(),
  ports: z.array(PublishedPort),
  specHash: z.string().nullable().describe('The spec its container runs; while the slot has no container, the spec of its last one (null: it never had one)'),
  current: z.boolean().describe('Runs the instance’s current spec'),
});
export type ReplicaStatus = z.infer<typeof ReplicaStatus>;

export const ComponentView = z.object({
  name: Name,
  image: z.string(),
  imageId: z.string().nullable().describe('The engine image id (sha256:…) every replica of the component runs: pinned when the instance is first reconciled and kept until an upgrade (refreshImages, or a different image in the app). Null until pinned'),
  desiredReplicas: z.number().int(),
  readyReplicas: z.number().int(),
});

export const Instance = z.object({
  project: Name,
  name: Name,
  app: Name,
  appVersion: z.number().int(),
  parameters: z.record(z.string(), ParamValue),
  env: EnvMap,
  desiredState: z.enum(['running', 'stopped']),
  phase: Phase,
  reason: z.string().nullable(),
  generation: z.number().int(),
  observedGeneration: z.number().int().describe('The generation phase, reason and replicas were observed for: they describe the current definition once this equals generation'),
  components: z.array(ComponentView),
  replicas: z.array(ReplicaStatus),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  observedAt: Timestamp.nullable().describe('When the status was last written: on every change, at the first look after a start of Gureum, and at least every minute otherwise'),
});
export type Instance = z.infer<typeof Instance>;

export const LogsQuery = z.object({
  component: Name.optional(),
  replica: z.coerce.number().int().min(0).optional(),
  tail: z.coerce.number().int().min(0).max(100000).optional(),
  follow: z.enum(['true', 'false', '1', '0']).optional(),
  timestamps: z.enum(['true', 'false', '1', '0']).optional(),
});

export const ExecQuery = z.object({
  component: Name.optional(),
  replica: z.coerce.number().int().min(0).optional(),
  command: z.string().optional().describe('JSON array or a single program; default /bin/sh'),
  cols: z.coerce.number().int().min(1).max(1000).optional(),
  rows: z.coerce.number().int().min(1).max(1000).optional(),
  // Read by the auth hook, not the handler: documented here so the OpenAPI document shows them.
  csrf: z
    .string()
    .optional()
    .describe("Session (cookie) callers only: the login's CSRF token, needed when the browser's Origin is not Gureum's own (a WebSocket handshake cannot carry X-CSRF-Token)"),
  access_token: z.string().optional().describe('An API token, for clients that cannot set the Authorization header on a WebSocket (browsers); the header wins when both are sent'),
});
