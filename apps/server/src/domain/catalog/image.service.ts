import type { Readable } from 'node:stream';
import type { Image } from '@gureum/contract';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { PullProgress, Runtime } from '../core/runtime.js';

/** Images live in the engine, not in the store: these calls go to the runtime directly. */
export class ImageService {
  constructor(
    private readonly runtime: Runtime,
    private readonly events: EventService,
  ) {}

  async list(): Promise<Image[]> {
    return this.runtime.listImages();
  }

  async pull(ref: string, onProgress: (p: PullProgress) => void): Promise<Image> {
    await this.runtime.pullImage(ref, onProgress);
    const image = await this.runtime.inspectImage(ref);
    if (!image) throw new DomainError('IMAGE_PULL_FAILED', `pulled ${ref} but the engine does not list it`);
    await this.events.record('image.pulled', { message: `image ${ref} pulled`, data: { ref, id: image.id } });
    return image;
  }

  async load(tar: Readable, onProgress: (p: PullProgress) => void): Promise<Image[]> {
    const refs = await this.runtime.loadImage(tar, onProgress);
    const images: Image[] = [];
    for (const ref of refs) {
      const image = await this.runtime.inspectImage(ref);
      if (image) images.push(image);
    }
    await this.events.record('image.loaded', { message: `image(s) ${refs.join(', ')} loaded`, data: { refs } });
    return images;
  }

  async delete(id: string, force: boolean): Promise<void> {
    await this.runtime.removeImage(id, force);
    await this.events.record('image.deleted', { message: `image ${id} removed`, data: { id } });
  }
}
