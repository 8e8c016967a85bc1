import { isDomainError } from '../domain/core/errors.js';
import type { InstanceRecord, RenderedComponent } from '../domain/core/records.js';
import type { Runtime } from '../domain/core/runtime.js';
import type { Store } from '../store/store.js';

export interface PinOutcome {
  /** The instance with every component it could pin pinned. */
  instance: InstanceRecord;
  /** Why a component could not be pinned (its image cannot be found), by component name. */
  problems: Map<string, string>;
}

/**
 * Pins each component that is not pinned yet to the engine image id its reference names now,
 * pulling the image first when the engine does not have it. From then on every replica of the
 * component (scale-up, crash restart, engine restart) runs that id, whatever the tag names later;
 * only an upgrade (a new image in the app, or refreshImages) unpins it. A component with no
 * replica wanted is pinned only when its image is already there: nothing is pulled for it.
 */
export async function pinImages(runtime: Runtime, store: Store, instance: InstanceRecord): Promise<PinOutcome> {
  const problems = new Map<string, string>();
  let changed = false;
  const components: RenderedComponent[] = [];
  for (const c of instance.components) {
    if (c.imageId !== undefined) {
      components.push(c);
      continue;
    }
    const id = await resolve(runtime, c, problems);
    if (id === null) components.push(c);
    else {
      components.push({ ...c, imageId: id });
      changed = true;
    }
  }
  if (!changed) return { instance, problems };
  await store.instances.pinImages(instance.id, instance.generation, components);
  return { instance: { ...instance, components }, problems };
}

async function resolve(runtime: Runtime, c: RenderedComponent, problems: Map<string, string>): Promise<string | null> {
  const there = await runtime.inspectImage(c.image);
  if (there) return there.id;
  if (c.replicas === 0) return null;
  try {
    await runtime.pullImage(c.image, () => {});
  } catch (err) {
    if (isDomainError(err) && err.code === 'ENGINE_UNAVAILABLE') throw err;
    problems.set(c.name, `image ${c.image} cannot be found: ${(err as Error).message}`);
    return null;
  }
  const pulled = await runtime.inspectImage(c.image);
  if (!pulled) problems.set(c.name, `image ${c.image} was pulled but the engine does not show it`);
  return pulled?.id ?? null;
}
