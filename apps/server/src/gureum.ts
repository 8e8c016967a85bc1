import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from './config.js';
import { AlertEvaluator } from './domain/alerts/alert-evaluator.js';
import { AlertService } from './domain/alerts/alert.service.js';
import { NodeAlertService } from './domain/alerts/node-alert.service.js';
import { AppService } from './domain/catalog/app.service.js';
import { AuditService } from './domain/identity/audit.service.js';
import { AuthService } from './domain/identity/auth.service.js';
import { AutoscaleService } from './domain/autoscaling/autoscale.service.js';
import { Autoscaler } from './domain/autoscaling/autoscaler.js';
import { EventService } from './domain/core/event.service.js';
import { ImageService } from './domain/catalog/image.service.js';
import { SettingsService } from './domain/governance/settings.service.js';
import { clearUploads } from './domain/catalog/image-upload.js';
import { InstanceService } from './domain/instances/instance.service.js';
import { MetricsCollector } from './domain/monitoring/metrics-collector.js';
import { MetricsService } from './domain/monitoring/metrics.service.js';
import { Telemetry } from './domain/core/telemetry.js';
import { resolveHostPath } from './domain/instances/host-path.js';
import { PolicyGuard, type PolicyOptions } from './domain/governance/policy.js';
import { PolicyService } from './domain/governance/policy.service.js';
import { ProjectService } from './domain/identity/project.service.js';
import { QuotaService } from './domain/governance/quota.service.js';
import { UserService } from './domain/identity/user.service.js';
import type { Runtime } from './domain/core/runtime.js';
import { SecretBox } from './domain/core/secret-box.js';
import { SecretReader, SecretService, SecretsGuard } from './domain/secrets/secret.service.js';
import { VolumeUsage } from './domain/volumes/volume-usage.js';
import { VolumeService } from './domain/volumes/volume.service.js';
import { WebhookSender } from './domain/alerts/webhook-sender.js';
import { DockerDriver } from './drivers/docker/docker.driver.js';
import type { Services } from './http/context.js';
import { buildServer } from './http/server.js';
import type { Logger } from './logger.js';
import { Reconciler } from './reconciler/reconciler.js';
import { openDatabase } from './store/db.js';
import { MetricsRepository } from './store/metrics.repository.js';
import { Store } from './store/store.js';

export interface Gureum {
  http: FastifyInstance;
  services: Services;
  reconciler: Reconciler;
  /** Set when this start created the admin without a given password. */
  generatedAdminPassword: string | undefined;
  tokenFile: string;
  stop(): Promise<void>;
}

export function createRuntime(config: Config): Runtime {
  const host = config.dockerHost;
  const installation = config.installation !== undefined ? { installation: config.installation } : {};
  if (host?.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return new DockerDriver({ host: url.hostname, port: Number(url.port), ...installation });
  }
  return new DockerDriver({ ...(host ? { socketPath: host.replace(/^unix:\/\//, '') } : {}), ...installation });
}

/** The PEM files of GUREUM_TLS_CERT / GUREUM_TLS_KEY; a file that cannot be read stops start-up, naming its variable. */
function readTls(tls: NonNullable<Config['tls']>): { cert: Buffer; key: Buffer } {
  const read = (file: string, variable: string) => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new ConfigError(`invalid configuration:\n  ${variable}=${JSON.stringify(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  };
  return { cert: read(tls.certFile, 'GUREUM_TLS_CERT'), key: read(tls.keyFile, 'GUREUM_TLS_KEY') };
}

/** Wires every part by constructor arguments, in one place. Does not listen. */
export async function createGureum(config: Config, log: Logger, runtime: Runtime = createRuntime(config)): Promise<Gureum> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const uploadDir = path.join(config.dataDir, 'uploads');
  await clearUploads(uploadDir);
  const db = await openDatabase(config.databaseUrl);
  const store = new Store(db);
  const telemetry = new Telemetry();
  const metricsRepo = new MetricsRepository(db);
  const collector = new MetricsCollector({
    runtime,
    store,
    repo: metricsRepo,
    log: log.child({ part: 'metrics' }),
    intervalMs: config.metricsIntervalSeconds * 1000,
    retention: config.metricsRetention,
    diskPaths: [config.dataDir],
    onCollected: (ms, replicas) => telemetry.observeCollection(ms, replicas),
  });
  const metrics = new MetricsService({ repo: metricsRepo, store, runtime, collector, intervalSeconds: config.metricsIntervalSeconds || 10, retention: config.metricsRetention });
  const events = new EventService(store);
  const auth = new AuthService(store, undefined, config.sessionHours * 3600 * 1000);
  const boot = await auth.bootstrap(config.dataDir, config.adminPassword);

  const secretBox = await SecretBox.load(config.dataDir);
  // The socket Gureum itself drives is as off-limits to replicas as the usual ones.
  // Symlinks of host paths are followed only for a local engine: a remote one's filesystem is not this one.
  const localEngine = config.dockerHost === undefined || config.dockerHost.startsWith('unix://');
  const policyOptions: PolicyOptions = {
    ...(config.dockerHost?.startsWith('unix://') && { engineSockets: [config.dockerHost.slice('unix://'.length)] }),
    ...(localEngine && { resolveHostPath }),
  };
  const reconciler = new Reconciler({ store, runtime, events, log: log.child({ part: 'reconciler' }), resyncMs: config.resyncSeconds * 1000, backoffMaxMs: config.restartBackoffMaxSeconds * 1000, secrets: new SecretReader(store, secretBox), policy: policyOptions, onReconciled: (ms) => telemetry.observeReconcile(ms), onProjectDeleted: (name) => metricsRepo.removeProject(name) });
  const settings = new SettingsService(store, events);
  const projects = new ProjectService(store, events, reconciler, settings);
  const apps = new AppService(store, events);
  const quotas = new QuotaService(store);
  // Fresh enough for an answer: at most one engine measurement per few seconds, whatever the traffic.
  const volumeUsage = new VolumeUsage(store, runtime, events, { periodMs: config.volumeUsageSeconds * 1000, freshMs: Math.min(5000, config.volumeUsageSeconds * 1000), log: log.child({ part: 'volume-usage' }) });
  telemetry.queueDepth = () => reconciler.depth;
  const instances = new InstanceService(store, projects, apps, events, reconciler, settings, [quotas, new PolicyGuard(runtime, policyOptions), new SecretsGuard()]);
  const webhooks = new WebhookSender(store, secretBox, events, log.child({ part: 'webhooks' }), {
    timeoutMs: config.webhookTimeoutSeconds * 1000,
    maxAttempts: config.webhookAttempts,
    retryBaseMs: config.webhookRetrySeconds * 1000,
    retryMaxMs: 3_600_000,
    ranges: async () => (await settings.get()).webhooks,
  });
  const alertEvaluator = new AlertEvaluator(store, metrics.reader, events, webhooks, log.child({ part: 'alerts' }), config.alertIntervalSeconds * 1000);
  const autoscale = new AutoscaleService(store, instances, events);
  const autoscaler = new Autoscaler(store, metrics.reader, autoscale, log.child({ part: 'autoscaler' }), { intervalMs: config.autoscaleIntervalSeconds * 1000, windowMs: config.autoscaleWindowSeconds * 1000 });
  const services: Services = {
    auth,
    users: new UserService(store, auth, events),
    audit: new AuditService(store),
    quotas,
    projects,
    apps,
    instances,
    volumes: new VolumeService(store, projects, runtime, events, quotas, volumeUsage),
    volumeUsage,
    secrets: new SecretService(store, projects, secretBox, events, reconciler),
    policies: new PolicyService(store, projects, events, reconciler),
    settings,
    images: new ImageService(runtime, events, store, { dir: uploadDir, limits: config.images }),
    events,
    metrics,
    telemetry,
    alerts: new AlertService(store, projects, secretBox, events),
    nodeAlerts: new NodeAlertService(store, secretBox, events),
    autoscale,
    runtime,
    store,
  };
  const http = await buildServer(services, log, { tls: config.tls && readTls(config.tls), streamRecheckMs: config.streamRecheckSeconds * 1000 });
  reconciler.start();
  collector.start();
  webhooks.start();
  alertEvaluator.start();
  autoscaler.start();
  volumeUsage.start();
  return {
    http,
    services,
    reconciler,
    generatedAdminPassword: boot.generatedPassword,
    tokenFile: boot.tokenFile,
    async stop() {
      reconciler.stop();
      await collector.stop();
      await Promise.all([alertEvaluator.stop(), autoscaler.stop(), webhooks.stop()]);
      volumeUsage.stop();
      await http.close();
      await store.close();
    },
  };
}
