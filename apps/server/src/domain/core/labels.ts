import { randomBytes } from 'node:crypto';

/** Labels on every engine object Gureum creates, so observed state can be rebuilt from the engine. */
export const LABEL = {
  managed: 'io.gureum.managed',
  project: 'io.gureum.project',
  instance: 'io.gureum.instance',
  instanceId: 'io.gureum.instance-id',
  component: 'io.gureum.component',
  replica: 'io.gureum.replica',
  specHash: 'io.gureum.spec-hash',
  volume: 'io.gureum.volume',
  /** A container made only to read an image's files, never started, removed at once. */
  probe: 'io.gureum.probe',
} as const;

/**
 * Engine names use "_" as separator: it cannot occur in a project or volume name (DNS
 * labels), so names never collide. An installation's names carry it (`gureum.<installation>_`),
 * so two installations on one engine with the same project never share a network or a volume.
 */
function prefix(installation: string | undefined): string {
  return installation ? `gureum.${installation}_` : 'gureum_';
}

export function networkName(project: string, installation?: string): string {
  return `${prefix(installation)}${project}`;
}

export function volumeName(project: string, volume: string, installation?: string): string {
  return `${prefix(installation)}${project}_${volume}`;
}

/**
 * Unique per creation (a random suffix): a replacement never collides with a container of the
 * same slot that the engine is still removing (e.g. one removed by hand a moment ago).
 */
export function containerName(project: string, instance: string, component: string, index: number, specHash: string): string {
  return `gureum_${project}_${instance}_${component}_${index}_${specHash.slice(0, 8)}_${randomBytes(3).toString('hex')}`;
}
