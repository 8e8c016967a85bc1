import type { AlertService } from '../domain/alerts/alert.service.js';
import type { NodeAlertService } from '../domain/alerts/node-alert.service.js';
import type { AppService } from '../domain/catalog/app.service.js';
import type { Principal } from '../domain/identity/access.js';
import type { AuditService } from '../domain/identity/audit.service.js';
import type { AuthService } from '../domain/identity/auth.service.js';
import type { AutoscaleService } from '../domain/autoscaling/autoscale.service.js';
import type { QuotaService } from '../domain/governance/quota.service.js';
import type { UserService } from '../domain/identity/user.service.js';
import type { EventService } from '../domain/core/event.service.js';
import type { ImageService } from '../domain/catalog/image.service.js';
import type { InstanceService } from '../domain/instances/instance.service.js';
import type { MetricsService } from '../domain/monitoring/metrics.service.js';
import type { Telemetry } from '../domain/core/telemetry.js';
import type { PolicyService } from '../domain/governance/policy.service.js';
import type { SettingsService } from '../domain/governance/settings.service.js';
import type { SecretService } from '../domain/secrets/secret.service.js';
import type { ProjectService } from '../domain/identity/project.service.js';
import type { Runtime } from '../domain/core/runtime.js';
import type { VolumeUsage } from '../domain/volumes/volume-usage.js';
import type { VolumeService } from '../domain/volumes/volume.service.js';
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
  settings: SettingsService;
  images: ImageService;
  events: EventService;
  metrics: MetricsService;
  telemetry: Telemetry;
  alerts: AlertService;
  nodeAlerts: NodeAlertService;
  autoscale: AutoscaleService;
  runtime: Runtime;
  store: Store;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
