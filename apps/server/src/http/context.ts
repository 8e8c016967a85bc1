import type { AlertService } from '../domain/alert.service.js';
import type { AppService } from '../domain/app.service.js';
import type { Principal } from '../domain/access.js';
import type { AuditService } from '../domain/audit.service.js';
import type { AuthService } from '../domain/auth.service.js';
import type { AutoscaleService } from '../domain/autoscale.service.js';
import type { QuotaService } from '../domain/quota.service.js';
import type { UserService } from '../domain/user.service.js';
import type { EventService } from '../domain/event.service.js';
import type { ImageService } from '../domain/image.service.js';
import type { InstanceService } from '../domain/instance.service.js';
import type { MetricsService } from '../domain/metrics.service.js';
import type { Telemetry } from '../domain/telemetry.js';
import type { PolicyService } from '../domain/policy.service.js';
import type { SecretService } from '../domain/secret.service.js';
import type { ProjectService } from '../domain/project.service.js';
import type { Runtime } from '../domain/runtime.js';
import type { VolumeUsage } from '../domain/volume-usage.js';
import type { VolumeService } from '../domain/volume.service.js';
import type { Store } from '../store/store.js';

/** What the HTTP layer may call: services only (plus pings for readiness). */
export interface Services {
  auth: AuthService;
  users: UserService;
  audit: AuditService;
  quotas: QuotaService;
  projects: ProjectService;
  apps: AppService;
  instances: InstanceService;
  volumes: VolumeService;
  volumeUsage: VolumeUsage;
  secrets: SecretService;
  policies: PolicyService;
  images: ImageService;
  events: EventService;
  metrics: MetricsService;
  telemetry: Telemetry;
  alerts: AlertService;
  autoscale: AutoscaleService;
  runtime: Runtime;
  store: Store;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
