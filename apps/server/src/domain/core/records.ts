import type { ComponentSpec, EventType, ParameterSpec, Policy, ProjectRole, Quota, ReplicaStatus } from '@gureum/contract';

export type ParamValue = string | number | boolean;

export interface ProjectRecord {
  name: string;
  description: string;
  deleting: boolean;
  createdAt: string;
  /** Limits set by the admin; a missing key means no limit. */
  quota: Partial<Quota>;
  /** Relaxations set by the admin; a missing key means the default. */
  policy: Partial<Policy>;
}

export interface MembershipRecord {
  project: string;
  userId: string;
  role: ProjectRole;
  addedAt: string;
}

export interface AppRecord {
  name: string;
  /** null: the global catalog. */
  project: string | null;
  title: string;
  description: string;
  parameters: ParameterSpec[];
  components: ComponentSpec[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A component with every parameter substituted: what the engine will run. */
export interface RenderedComponent {
  name: string;
  /** The image reference the app names (a tag, or a digest). */
  image: string;
  /** The engine image id the replicas run, pinned by the reconciler; absent until then. See docs/security.md, "Images". */
  imageId?: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  ports: { name: string; containerPort: number; protocol: 'tcp' | 'udp'; hostPort?: number; publish?: boolean }[];
  replicas: number;
  cpus?: number;
  memoryBytes?: number;
  volumes: { volume: string; mountPath: string; readOnly: boolean }[];
  healthCheck?: { command: string[]; intervalSeconds: number; timeoutSeconds: number; retries: number; startPeriodSeconds: number };
  /** Isolation the component asks to weaken; the project's policy decides (see domain/policy.ts). Absent: none. */
  security?: ComponentSecurity;
  /** Host paths bind-mounted (only under the policy's allowHostPaths). Absent: none. */
  hostMounts?: { hostPath: string; mountPath: string; readOnly: boolean }[];
  /** Project secrets given to replicas, by name (values are resolved by the reconciler). Absent: none. */
  secrets?: SecretUse[];
}

export interface ComponentSecurity {
  privileged?: boolean;
  hostNetwork?: boolean;
  hostPid?: boolean;
  hostIpc?: boolean;
  capAdd?: string[];
  /** uid[:gid] or name. */
  user?: string;
}

/** A secret as an environment variable (env) or as a file (path), exactly one of the two. */
export interface SecretUse {
  secret: string;
  env?: string;
  path?: string;
}

export interface SecretRecord {
  project: string;
  name: string;
  /** base64(iv | tag | AES-256-GCM ciphertext); see domain/secret-box.ts. */
  ciphertext: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type InstancePhase = 'pending' | 'running' | 'degraded' | 'stopped' | 'failed' | 'deleting';

export interface InstanceRecord {
  id: string;
  project: string;
  name: string;
  app: string;
  appVersion: number;
  parameters: Record<string, ParamValue>;
  replicasOverride: Record<string, number> | null;
  env: Record<string, string>;
  components: RenderedComponent[];
  desiredState: 'running' | 'stopped';
  deleting: boolean;
  generation: number;
  /** Bumped by "restart": part of every spec hash, so replicas are replaced one by one. */
  restartNonce: number;
  phase: InstancePhase;
  reason: string | null;
  replicas: ReplicaStatus[];
  observedAt: string | null;
  /** The generation the status (phase, reason, replicas) was observed for. */
  observedGeneration: number;
  createdAt: string;
  updatedAt: string;
}

export interface VolumeRecord {
  project: string;
  name: string;
  createdAt: string;
  sizeBytes: number | null;
}

export interface UserRecord {
  id: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  readOnly: boolean;
  /** null: every project the user may reach. */
  projects: string[] | null;
}

export interface EventRecord {
  id: number;
  time: string;
  type: EventType;
  project: string | null;
  instance: string | null;
  message: string;
  data: Record<string, unknown>;
}
