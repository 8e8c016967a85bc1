import type { Generated } from 'kysely';

/** Row shapes of the state database. JSON columns hold text; repositories parse them. */
export interface Database {
  schema_migrations: { id: number; name: string; applied_at: string };
  users: UsersTable;
  tokens: TokensTable;
  projects: ProjectsTable;
  apps: AppsTable;
  instances: InstancesTable;
  volumes: VolumesTable;
  events: EventsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  audit: AuditTable;
  secrets: SecretsTable;
  alert_rules: AlertRulesTable;
  alert_series: AlertSeriesTable;
  alert_deliveries: AlertDeliveriesTable;
  autoscale_policies: AutoscalePoliciesTable;
  settings: SettingsTable;
  pending_memberships: PendingMembershipsTable;
}

/** A membership by user name, for a name that has no account yet; made real when it has one. */
export interface PendingMembershipsTable {
  project: string;
  user_name: string;
  role: 'viewer' | 'member' | 'owner';
  added_at: string;
}

/** One row per setting: its JSON value (what the contract's Settings schema reads). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface MembershipsTable {
  project: string;
  user_id: string;
  role: 'viewer' | 'member' | 'owner';
  added_at: string;
}

export interface SessionsTable {
  hash: string;
  user_id: string;
  csrf: string;
  created_at: string;
  expires_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  time: string;
  actor: string | null;
  token: string | null;
  address: string;
  action: string;
  method: string;
  path: string;
  project: string | null;
  /** The id of the project named `project` when the entry was written (a re-created project has another). */
  project_id: string | null;
  status: number;
  outcome: 'ok' | 'refused' | 'failed';
  code: string | null;
}

export interface SecretsTable {
  project: string;
  name: string;
  ciphertext: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  name: string;
  password_hash: string;
  is_admin: number;
  disabled: number;
  created_at: string;
}

export interface TokensTable {
  id: string;
  user_id: string;
  name: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  read_only: Generated<number>;
  /** JSON array of project names, or null for every project. */
  projects: string | null;
}

export interface ProjectsTable {
  name: string;
  /** Given once at creation, never reused: what events and audit entries of the project are keyed by. */
  id: string;
  description: string;
  deleting: number;
  created_at: string;
  /** JSON Quota (missing keys: no limit). */
  quota: Generated<string>;
  /** JSON Policy (missing keys: defaults). */
  policy: Generated<string>;
}

export interface AppsTable {
  name: string;
  project: string | null;
  title: string;
  description: string;
  parameters: string;
  components: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface InstancesTable {
  id: string;
  project: string;
  name: string;
  app: string;
  app_version: number;
  parameters: string;
  replicas_override: string | null;
  env: string;
  components: string;
  desired_state: 'running' | 'stopped';
  deleting: number;
  generation: number;
  restart_nonce: number;
  phase: string;
  reason: string | null;
  observed: string;
  observed_at: string | null;
  observed_generation: number;
  created_at: string;
  updated_at: string;
}

export interface VolumesTable {
  project: string;
  name: string;
  created_at: string;
  size_bytes: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  time: string;
  type: string;
  project: string | null;
  instance: string | null;
  message: string;
  data: string;
  /** The id of the project named `project` when the event was recorded (a re-created project has another). */
  project_id: string | null;
  /** The id of the user this event is private to (with admins), or null. */
  private_to: string | null;
}

export interface AlertRulesTable {
  project: string;
  name: string;
  metric: string;
  agg: string;
  scope: string;
  target: string | null;
  comparison: string;
  threshold: number;
  window_seconds: number;
  for_seconds: number;
  webhook_url: string | null;
  /** Sealed by the SecretBox. */
  webhook_secret: string | null;
  enabled: number;
  evaluated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AlertSeriesTable {
  project: string;
  rule: string;
  key: string;
  state: 'inactive' | 'pending' | 'firing';
  value: number | null;
  since: string | null;
}

export interface AlertDeliveriesTable {
  id: Generated<number>;
  project: string;
  rule: string;
  event: 'firing' | 'resolved';
  key: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  next_attempt_at: string | null;
  delivered_at: string | null;
}

export interface AutoscalePoliciesTable {
  instance_id: string;
  component: string;
  project: string;
  instance: string;
  min_replicas: number;
  max_replicas: number;
  target_cpu_percent: number | null;
  target_memory_percent: number | null;
  up_window_seconds: number;
  down_window_seconds: number;
  last_cpu_percent: number | null;
  last_memory_percent: number | null;
  last_decision: string | null;
  last_decision_at: string | null;
  /** JSON Recommendation[] */
  recommendations: string;
  created_at: string;
  updated_at: string;
}
