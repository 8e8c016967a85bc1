import type { Policy } from '@gureum/contract';
import { componentViolations, effectivePolicy, replicaSecurity, type PolicyOptions } from '../domain/governance/policy.js';
import type { InstanceRecord, RenderedComponent } from '../domain/core/records.js';
import { specHash } from '../domain/catalog/render.js';
import type { ReplicaSecurity, ReplicaSpec } from '../domain/core/runtime.js';
import { secretsUsed, type OpenedSecret, type SecretSource } from '../domain/secrets/secret.service.js';

/** Secret files are readable by the replica's user only. */
export const SECRET_FILE_MODE = 0o400;

/** What the replicas of one component run with beyond the component itself, decided once per reconcile. */
export interface ComponentPlan {
  /** Covers the component, the restart nonce, the effective security and the secret versions. */
  hash: string;
  /** The project's policy refuses this component: its replicas must not run. Starts with POLICY_VIOLATION. */
  refused: string | null;
  /** No replica can be made now (a secret is missing); the existing ones are left alone. */
  blocked: string | null;
  security: ReplicaSecurity;
  secretEnv: Record<string, string>;
  files: NonNullable<ReplicaSpec['files']>;
  binds: NonNullable<ReplicaSpec['binds']>;
  /** allowRoot is off: what the replicas run as (resolved with the image's own files) must be checked before one is made. */
  checkImageUser: boolean;
}

/**
 * Plans every component of an instance under its project's current policy and secrets.
 * The policy is checked here again (not only at launch): a policy tightened since, or a
 * spec written by other means, is refused all the same.
 */
export async function planComponents(instance: InstanceRecord, storedPolicy: Partial<Policy>, secrets: SecretSource | undefined, options: PolicyOptions = {}): Promise<Map<string, ComponentPlan>> {
  const policy = effectivePolicy(storedPolicy);
  const names = [...secretsUsed(instance.components)];
  const opened = names.length > 0 && secrets ? await secrets.read(instance.project, names) : new Map<string, OpenedSecret>();
  const plans = new Map<string, ComponentPlan>();
  for (const c of instance.components) plans.set(c.name, planComponent(instance, c, policy, opened, options));
  return plans;
}

function planComponent(instance: InstanceRecord, c: RenderedComponent, policy: Policy, opened: Map<string, OpenedSecret>, options: PolicyOptions): ComponentPlan {
  const violations = componentViolations(policy, c, undefined, options);
  const security = replicaSecurity(policy, c);
  const uses = c.secrets ?? [];
  const missing = uses.filter((u) => !opened.has(u.secret)).map((u) => u.secret);
  const secretEnv: Record<string, string> = {};
  const files: ComponentPlan['files'] = [];
  for (const u of uses) {
    const s = opened.get(u.secret);
    if (!s) continue;
    if (u.env !== undefined) secretEnv[u.env] = s.value;
    if (u.path !== undefined) files.push({ path: u.path, content: Buffer.from(s.value, 'utf8'), mode: SECRET_FILE_MODE });
  }
  // Versions, never values: the hash is a label anyone who can list containers reads.
  const versions = Object.fromEntries(uses.map((u) => [u.secret, opened.get(u.secret)?.version ?? null]));
  return {
    hash: specHash(c, instance.restartNonce, { security, secrets: versions }),
    refused: violations.length > 0 ? `POLICY_VIOLATION: ${violations.map((v) => v.message).join('; ')}` : null,
    blocked: missing.length > 0 ? `SECRET_NOT_FOUND: component ${c.name} uses secret ${[...new Set(missing)].join(', ')}, which project ${instance.project} does not have` : null,
    security,
    secretEnv,
    files,
    binds: (c.hostMounts ?? []).map((m) => ({ ...m })),
    checkImageUser: !policy.allowRoot,
  };
}
