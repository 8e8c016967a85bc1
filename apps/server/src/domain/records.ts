import type { ComponentSpec, EventType, ParameterSpec, ReplicaStatus } from '@gureum/contract';

export type ParamValue = string | number | boolean;

export interface ProjectRecord {
  name: string;
  description: string;
  deleting: boolean;
  createdAt: string;
}

export interface AppRecord {
  name: string;
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
  image: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  ports: { name: string; containerPort: number; protocol: 'tcp' | 'udp'; hostPort?: number; publish?: boolean }[];
  replicas: number;
  cpus?: number;
  memoryBytes?: number;
  volumes: { volume: string; mountPath: string; readOnly: boolean }[];
  healthCheck?: { command: string[]; intervalSeconds: number; timeoutSeconds: number; retries: number; startPeriodSeconds: number };
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
  createdAt: string;
  updatedAt: string;
}

export interface VolumeRecord {
  project: string;
  name: string;
  createdAt: string;
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
