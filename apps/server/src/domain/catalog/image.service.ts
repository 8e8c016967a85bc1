import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Image, ImageUse } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { DomainError } from '../core/errors.js';
import type { EventService } from '../core/event.service.js';
import type { PullProgress, Runtime } from '../core/runtime.js';
import { canSee, type Scope } from '../identity/access.js';
import { TarballCheck } from './image-tarball.js';
import { spoolUpload, type ImageUploadLimits } from './image-upload.js';

/** Images live in the engine, not in the store: these calls go to the runtime directly. */
export class ImageService {
  constructor(
    private readonly runtime: Runtime,
    private readonly events: EventService,
    private readonly store: Store,
    private readonly uploads: { dir: string; limits: ImageUploadLimits },
  ) {}

  /** The engine's images (the admin provides them to everyone), each with the instances of the caller's projects that run it. */
  async list(scope: Scope): Promise<Image[]> {
    const [images, instances] = await Promise.all([this.runtime.listImages(), this.store.instances.list()]);
    const uses = instances.filter((i) => canSee(scope, i.project)).flatMap((i) => i.components.map((c) => ({ c, use: { project: i.project, instance: i.name, app: i.app, component: c.name } })));
    return images.map((image) => ({
      ...image,
      usedBy: uses.filter(({ c }) => (c.imageId !== undefined ? c.imageId === image.id : image.tags.includes(c.image))).map(({ use }): ImageUse => use),
    }));
  }

  async pull(ref: string, onProgress: (p: PullProgress) => void): Promise<Image> {
    await this.checkStorage(0);
    await this.runtime.pullImage(ref, onProgress);
    const image = await this.runtime.inspectImage(ref);
    if (!image) throw new DomainError('IMAGE_PULL_FAILED', `pulled ${ref} but the engine does not list it`);
    await this.events.record('image.pulled', { message: `image ${ref} pulled`, data: { ref, id: image.id } });
    return image;
  }

  /**
   * Loads a `docker save` tarball (plain or gzip). The upload is checked as it is written to a
   * file (expanded size, expansion ratio, layers), then against the image storage limit: a
   * refused one never reaches the engine, and is answered with its own status before any progress.
   */
  async load(tar: Readable, onProgress: (p: PullProgress) => void): Promise<Image[]> {
    const { limits } = this.uploads;
    // Checked in the same pass that receives it: a bomb stops the upload after a few megabytes.
    const check = new TarballCheck(limits);
    const upload = await spoolUpload(tar, this.uploads.dir, limits.maxExpandedBytes, check.transform);
    let refs: string[];
    try {
      await this.checkStorage(check.facts!.expandedBytes);
      refs = await this.runtime.loadImage(createReadStream(upload.file), onProgress);
    } finally {
      await upload.discard();
    }
    const images: Image[] = [];
    for (const ref of refs) {
      const image = await this.runtime.inspectImage(ref);
      if (image) images.push(image);
    }
    await this.events.record('image.loaded', { message: `image(s) ${refs.join(', ')} loaded`, data: { refs } });
    return images;
  }

  /** Refuses what would take the engine's images past the storage limit (a pull: once it is reached). */
  private async checkStorage(adding: number): Promise<void> {
    const limit = this.uploads.limits.storageBytes;
    if (limit === undefined) return;
    const used = await this.runtime.imageStorageBytes();
    if (used + adding > limit || used >= limit) {
      throw new DomainError('QUOTA_EXCEEDED', `images on the engine take ${used} bytes of the ${limit} allowed (GUREUM_IMAGE_STORAGE_BYTES)${adding > 0 ? `; this upload would add up to ${adding}` : ''}: remove unused images first`, {
        resource: 'imageStorage',
        usedBytes: used,
        limitBytes: limit,
        ...(adding > 0 && { addingBytes: adding }),
      });
    }
  }

  async delete(id: string, force: boolean): Promise<void> {
    await this.runtime.removeImage(id, force);
    await this.events.record('image.deleted', { message: `image ${id} removed`, data: { id } });
  }
}
