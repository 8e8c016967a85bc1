import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

/** Parameter names are identifiers so that `{{name}}` substitutions read clearly. */
export const ParamName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { message: 'must be an identifier (letters, digits, _)' });

const paramBase = {
  name: ParamName,
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  required: z.boolean().optional().describe('A value must be given at launch when there is no default'),
};

export const ParameterSpec = z.discriminatedUnion('type', [
  z.object({ ...paramBase, type: z.literal('string'), default: z.string().optional(), pattern: z.string().optional() }).strict(),
  z
    .object({
      ...paramBase,
      type: z.literal('integer'),
      default: z.number().int().optional(),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
    })
    .strict(),
  z.object({ ...paramBase, type: z.literal('boolean'), default: z.boolean().optional() }).strict(),
  z
    .object({ ...paramBase, type: z.literal('enum'), values: z.array(z.string().min(1)).min(1), default: z.string().optional() })
    .strict(),
]);
export type ParameterSpec = z.infer<typeof ParameterSpec>;

// The distribution reference grammar (what registries and the engine accept), as in
// github.com/distribution/reference: lower-case path components, an optional registry host
// (any case) with a port, a tag, a digest. A name is at most 255 characters.
const ALNUM = '[a-z0-9]+';
const PATH_COMPONENT = `${ALNUM}(?:(?:[._]|__|-+)${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
const NAME_MAX = 255;

/** An image reference: [registry[:port]/]name[:tag][@digest], by the distribution reference grammar. */
export const ImageRef = z
  .string()
  .min(1)
  .max(512)
  .superRefine((ref, ctx) => {
    const match = REFERENCE.exec(ref);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid image reference: [registry[:port]/]name[:tag][@digest], with a lower-case name and no user or password' });
    } else if (match[1]!.length > NAME_MAX) {
      ctx.addIssue({ code: 'custom', message: `is not a valid image reference: the name is longer than ${NAME_MAX} characters` });
    }
  });

export const PortSpec = z
  .object({
    name: Name,
    containerPort: z.number().int().min(1).max(65535),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
    hostPort: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('Publish on this fixed host port (only with one replica); omit to keep the port inside the project network'),
    publish: z.boolean().optional().describe('Publish on a free host port chosen by the engine'),
  })
  .strict();
export type PortSpec = z.infer<typeof PortSpec>;

export const ParamRef = z.object({ param: ParamName }).strict();

export const HealthCheck = z
  .object({
    command: z.array(z.string()).min(1).describe('Run in the container; exit 0 means healthy'),
    intervalSeconds: z.number().positive().max(3600).default(10),
    timeoutSeconds: z.number().positive().max(3600).default(5),
    retries: z.number().int().min(1).max(100).default(3),
    startPeriodSeconds: z.number().min(0).max(3600).default(0),
  })
  .strict();

const MountPath = z.string().regex(/^\/[^\0]*$/, { message: 'must be an absolute path' });

/** A project volume, or (only where the project's policy allows it) a host path. */
export const VolumeMount = z.union([
  z
    .object({
      volume: z.string().min(1).describe('A project volume name; may contain {{param}}'),
      mountPath: MountPath,
      readOnly: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      hostPath: MountPath.describe('Refused unless the project policy allows this path'),
      mountPath: MountPath,
      readOnly: z.boolean().optional(),
    })
    .strict(),
]);

/** Requests that weaken isolation: each is refused unless the project's policy allows it. */
export const SecuritySpec = z
  .object({
    privileged: z.boolean().optional(),
    hostNetwork: z.boolean().optional(),
    hostPid: z.boolean().optional(),
    hostIpc: z.boolean().optional(),
    capAdd: z.array(z.string().regex(/^[A-Z_]{2,32}$/)).optional(),
    user: z.string().regex(/^[a-z0-9_][a-z0-9_.-]*(:[a-z0-9_][a-z0-9_.-]*)?$/i).optional().describe('uid[:gid] or name to run as'),
  })
  .strict();

/** A project secret given to a replica as an environment variable or a file. */
export const SecretRef = z
  .object({
    secret: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'must be a DNS label' }),
    env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    path: MountPath.optional(),
  })
  .strict()
  .refine((r) => (r.env === undefined) !== (r.path === undefined), { message: 'give exactly one of env or path' });

export const Resources = z
  .object({
    cpus: z.number().positive().max(1024).optional().describe('CPU cores, e.g. 0.5'),
    memoryBytes: z.number().int().min(6 * 1024 * 1024).optional().describe('Memory limit in bytes (at least 6 MiB)'),
  })
  .strict();

export const ComponentSpec = z
  .object({
    name: Name,
    image: ImageRef,
    command: z.array(z.string()).optional().describe('Replaces the image entrypoint; items may contain {{param}}'),
    args: z.array(z.string()).optional().describe('Replaces the image CMD; items may contain {{param}}'),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
    ports: z.array(PortSpec).optional(),
    replicas: z.union([z.number().int().min(0).max(100), ParamRef]).default(1),
    resources: Resources.optional(),
    volumes: z.array(VolumeMount).optional(),
    secrets: z.array(SecretRef).optional(),
    security: SecuritySpec.optional(),
    healthCheck: HealthCheck.optional(),
  })
  .strict();
export type ComponentSpec = z.infer<typeof ComponentSpec>;

export const AppBody = z
  .object({
    title: z.string().max(200).optional(),
    description: z.string().max(10000).optional(),
    parameters: z.array(ParameterSpec).default([]),
    components: z.array(ComponentSpec).min(1).max(20),
  })
  .strict();

export const AppCreate = AppBody.extend({
  name: Name,
  project: Name.optional().describe('Private to this project; omit for the global catalog (admin only)'),
}).strict();
export type AppCreate = z.infer<typeof AppCreate>;
export type AppCreateInput = z.input<typeof AppCreate>;

export const AppUpdate = AppBody;
export type AppUpdate = z.infer<typeof AppUpdate>;

export const App = z.object({
  name: Name,
  project: Name.nullable().describe('null: global catalog'),
  title: z.string(),
  description: z.string(),
  parameters: z.array(ParameterSpec),
  components: z.array(ComponentSpec),
  version: z.number().int().describe('Increments on every update'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type App = z.infer<typeof App>;
