import { z } from 'zod';
import { LogCursor, Name, Timestamp } from './common.schema.js';

const limit = z.number().int().min(0).nullable().describe('null: no limit');

export const Quota = z
  .object({
    instances: limit,
    replicas: limit,
    cpus: z.number().min(0).nullable().describe('CPU cores; null: no limit'),
    memoryBytes: limit,
    volumes: limit,
    volumeBytes: limit.describe('Sum of the sizes volumes are created with'),
  })
  .strict();
export type Quota = z.infer<typeof Quota>;
export const QuotaPatch = Quota.partial().strict();

export const Usage = z.object({
  project: Name,
  quota: Quota,
  used: z.object({ instances: z.number(), replicas: z.number(), cpus: z.number(), memoryBytes: z.number(), volumes: z.number(), volumeBytes: z.number() }).describe('Counted against the quota (volumeBytes: declared sizes)'),
  measured: z.object({
    volumeBytes: z.number().describe('Bytes the volumes really hold on disk, at the last measurement'),
    volumesOverSize: z.array(Name).describe('Volumes holding more than their declared size'),
  }),
});
export type Usage = z.infer<typeof Usage>;

/** Capabilities a project's replicas keep beyond the default set when the admin allows them. */
export const Capability = z.string().regex(/^[A-Z_]{2,32}$/);

export const Policy = z
  .object({
    allowPrivileged: z.boolean().default(false),
    allowHostNetwork: z.boolean().default(false),
    allowHostPid: z.boolean().default(false),
    allowHostIpc: z.boolean().default(false),
    allowHostPaths: z.array(z.string().regex(/^\//)).default([]).describe('Host path prefixes that may be bind-mounted'),
    allowCapabilities: z.array(Capability).default([]),
    allowRoot: z.boolean().default(true).describe('Replicas may run as uid 0 (inside their user namespace-less container)'),
    allowHostPorts: z.boolean().default(true).describe("Components may publish a port on a fixed host port (a port of the node, taken from every other project); false: only engine-chosen host ports"),
    allowLowHostPorts: z.boolean().default(false).describe('Fixed host ports below 1024 (the privileged ports: 22, 80, 443, ...) may be taken'),
    pidsLimit: z.number().int().min(16).max(1_000_000).default(1024),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;

export const SecretPut = z.object({ value: z.string().max(1024 * 1024) }).strict();
export const Secret = z.object({ project: Name, name: Name, createdAt: Timestamp, updatedAt: Timestamp, version: z.number().int() });
export type Secret = z.infer<typeof Secret>;

export const AuditEntry = z.object({
  id: z.number().int(),
  time: Timestamp,
  actor: z.string().nullable().describe('User name; null when unauthenticated'),
  token: z.string().nullable().describe('Token name, or "session"'),
  address: z.string(),
  action: z.string().describe('Route id, e.g. createInstance, or exec.open'),
  method: z.string(),
  path: z.string(),
  project: z.string().nullable(),
  status: z.number().int(),
  outcome: z.enum(['ok', 'refused', 'failed']),
  code: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditQuery = z.object({
  since: LogCursor.optional().describe('An entry id (entries after it) or an ISO time (entries from then on)'),
  before: LogCursor.optional().describe('An entry id (entries before it) or an ISO time (entries before then): the next page of order=desc is before=<id of its last entry>'),
  actor: z.string().optional(),
  order: z.enum(['asc', 'desc']).default('asc').describe('asc: oldest first (the next page is since=<id of its last entry>); desc: newest first'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
