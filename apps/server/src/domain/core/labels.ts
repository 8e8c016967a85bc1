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

/** Engine names use "_" as separator: it cannot occur in a DNS label, so names never collide. */
export function networkName(project: string): string {
  return `gureum_${project}`;
}

export function volumeName(project: string, volume: string): string {
  return `gureum_${project}_${volume}`;
}

/**
 * Unique per creation (a random suffix): a replacement never collides with a container of the
 * same slot that the engine is still removing (e.g. one removed by hand a moment ago).
 */
export function containerName(project: string, instance: string, component: string, index: number, specHash: string): string {
  return `gureum_${project}_${instance}_${component}_${index}_${specHash.slice(0, 8)}_${randomBytes(3).toString('hex')}`;
}
