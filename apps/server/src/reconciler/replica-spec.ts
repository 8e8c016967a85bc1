import { containerName, LABEL } from '../domain/core/labels.js';
import type { InstanceRecord, RenderedComponent } from '../domain/core/records.js';
import { substitute } from '../domain/catalog/render.js';
import type { ReplicaSpec } from '../domain/core/runtime.js';
import type { ComponentPlan } from './replica-plan.js';

/** What one replica runs, with its names, labels and DNS aliases, confined and given its secrets as the plan says. */
export function replicaSpec(instance: InstanceRecord, c: RenderedComponent, index: number, plan: Pick<ComponentPlan, 'hash' | 'security' | 'secretEnv' | 'files' | 'binds'>): ReplicaSpec {
  const hash = plan.hash;
  const values = { replica: index };
  const sub = (s: string) => substitute(s, values);
  const spec: ReplicaSpec = {
    project: instance.project,
    instance: instance.name,
    instanceId: instance.id,
    component: c.name,
    index,
    name: containerName(instance.project, instance.name, c.name, index, hash),
    aliases: [`${instance.name}-${c.name}`, `${instance.name}-${c.name}-${index}`, `${c.name}.${instance.name}`, `${index}.${c.name}.${instance.name}`, ...(instance.components.length === 1 ? [instance.name] : [])],
    hostname: `${instance.name}-${c.name}-${index}`,
    // The pinned id, never the tag: what the tag names now is not what this instance was launched with.
    image: c.imageId ?? c.image,
    env: { ...Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, sub(v)])), ...plan.secretEnv, GUREUM_PROJECT: instance.project, GUREUM_INSTANCE: instance.name, GUREUM_COMPONENT: c.name, GUREUM_REPLICA: String(index) },
    ports: c.ports,
    mounts: c.volumes.map((v) => ({ project: instance.project, volume: v.volume, mountPath: v.mountPath, readOnly: v.readOnly })),
    binds: plan.binds,
    files: plan.files,
    security: plan.security,
    specHash: hash,
    labels: {
      [LABEL.managed]: 'true',
      [LABEL.project]: instance.project,
      [LABEL.instance]: instance.name,
      [LABEL.instanceId]: instance.id,
      [LABEL.component]: c.name,
      [LABEL.replica]: String(index),
      [LABEL.specHash]: hash,
    },
  };
  if (c.command) spec.command = c.command.map(sub);
  if (c.args) spec.args = c.args.map(sub);
  if (c.cpus !== undefined) spec.cpus = c.cpus;
  if (c.memoryBytes !== undefined) spec.memoryBytes = c.memoryBytes;
  if (c.healthCheck) spec.healthCheck = c.healthCheck;
  return spec;
}

