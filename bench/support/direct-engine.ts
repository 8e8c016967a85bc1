import { effectivePolicy, replicaSecurity } from '../../apps/server/src/domain/governance/policy.js';
import type Docker from 'dockerode';
import { networkName } from '../../apps/server/src/domain/core/labels.js';
import type { InstanceRecord, RenderedComponent } from '../../apps/server/src/domain/core/records.js';
import { specHash } from '../../apps/server/src/domain/catalog/render.js';
import { toCreateOptions } from '../../apps/server/src/drivers/docker/docker-mapping.js';
import { replicaSpec } from '../../apps/server/src/reconciler/replica-spec.js';

/**
 * Containers made straight through the Engine API, as a baseline for Gureum. They get exactly
 * the create options Gureum would give (image, command, env, init, network, aliases, labels),
 * except that every `io.gureum.` label key becomes `io.gureum-bench.`: the same number and size
 * of labels, but invisible to a Gureum running in the same engine (which would otherwise remove
 * them as strays).
 */
export const BENCH_LABEL = 'io.gureum-bench.run';

export interface DirectSet {
  project: string;
  network: string;
  ids: string[];
  /** How long creating the network took (ms). */
  networkMs: number;
}

function renamedLabels(labels: Record<string, string> | undefined, runId: string): Record<string, string> {
  const out: Record<string, string> = { [BENCH_LABEL]: runId };
  for (const [k, v] of Object.entries(labels ?? {})) out[k.replace(/^io\.gureum\./, 'io.gureum-bench.')] = v;
  return out;
}

/** The create options of replica `index` of a one-component instance running `command` on `image`. */
export function directCreateOptions(
  opts: { project: string; instance: string; image: string; command: string[]; replicas: number; runId: string; restartAlways?: boolean },
  index: number,
): Docker.ContainerCreateOptions {
  const component: RenderedComponent = { name: 'main', image: opts.image, command: opts.command, env: {}, ports: [], replicas: opts.replicas, volumes: [] };
  const now = new Date().toISOString();
  const instance: InstanceRecord = {
    id: `direct-${opts.runId}-${opts.instance}`,
    project: opts.project,
    name: opts.instance,
    app: 'direct',
    appVersion: 1,
    parameters: {},
    replicasOverride: null,
    env: {},
    components: [component],
    desiredState: 'running',
    deleting: false,
    generation: 1,
    restartNonce: 0,
    phase: 'pending',
    reason: null,
    replicas: [],
    observedAt: null,
    observedGeneration: 0,
    createdAt: now,
    updatedAt: now,
  };
  const plan = { hash: specHash(component, 0), security: replicaSecurity(effectivePolicy({}), component), secretEnv: {}, files: [], binds: [] };
  const options = toCreateOptions(replicaSpec(instance, component, index, plan));
  options.Labels = renamedLabels(options.Labels, opts.runId);
  if (opts.restartAlways) options.HostConfig = { ...options.HostConfig, RestartPolicy: { Name: 'always' } };
  return options;
}

/** What Gureum does for a new instance, minus Gureum: create the network, then create+start every replica at once. */
export async function createDirect(
  docker: Docker,
  opts: { project: string; instance: string; image: string; command: string[]; replicas: number; runId: string; restartAlways?: boolean },
): Promise<DirectSet> {
  const network = networkName(opts.project);
  const t0 = performance.now();
  await docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: { [BENCH_LABEL]: opts.runId } });
  const networkMs = performance.now() - t0;
  const ids = await Promise.all(
    Array.from({ length: opts.replicas }, async (_, index) => {
      const container = await docker.createContainer(directCreateOptions(opts, index));
      await container.start();
      return container.id;
    }),
  );
  return { project: opts.project, network, ids, networkMs };
}

/** Removes every container and network this run made directly (by its run label). */
export async function removeDirect(docker: Docker, runId: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL}=${runId}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  const networks = await docker.listNetworks({ filters: { label: [`${BENCH_LABEL}=${runId}`] } });
  for (const n of networks) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}

/** Removes one set: its containers, then its network. */
export async function removeDirectSet(docker: Docker, set: DirectSet): Promise<void> {
  await Promise.all(set.ids.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
  await docker.getNetwork(set.network).remove().catch(() => undefined);
}
