import type { AppService } from '../domain/app.service.js';
import type { AuthService, Principal } from '../domain/auth.service.js';
import type { EventService } from '../domain/event.service.js';
import type { ImageService } from '../domain/image.service.js';
import type { InstanceService } from '../domain/instance.service.js';
import type { ProjectService } from '../domain/project.service.js';
import type { Runtime } from '../domain/runtime.js';
import type { VolumeService } from '../domain/volume.service.js';
import type { Store } from '../store/store.js';

/** What the HTTP layer may call: services only (plus pings for readiness). */
export interface Services {
  auth: AuthService;
  projects: ProjectService;
  apps: AppService;
  instances: InstanceService;
  volumes: VolumeService;
  images: ImageService;
  events: EventService;
  runtime: Runtime;
  store: Store;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
