import path from 'node:path';
import { parseByteSize } from '@gureum/contract';
import { z } from 'zod';

const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** A byte size: 1048576, 512M, 32G, 1.5GiB. */
const ByteSize = z.string().transform((text, ctx) => {
  const bytes = parseByteSize(text);
  if (bytes === undefined || bytes < 1) {
    ctx.addIssue({ code: 'custom', message: 'must be a size such as 32G, 512M or 1048576' });
    return z.NEVER;
  }
  return bytes;
});

/** Every setting, its variable and its default: the one place configuration is read. */
const EnvSchema = z.object({
  GUREUM_PORT: z.coerce.number().int().min(0).max(65535).default(7070),
  GUREUM_HOST: z.string().min(1).default('127.0.0.1'),
  GUREUM_DATA_DIR: z.string().min(1).default('./data'),
  GUREUM_DATABASE_URL: z
    .string()
    .regex(/^sqlite:.+/, { message: 'must be sqlite:<path> (PostgreSQL is not supported yet)' })
    .optional(),
  GUREUM_ADMIN_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }).optional(),
  GUREUM_LOG_LEVEL: LogLevel.default('info'),
  GUREUM_RUNTIME: z.enum(['docker']).default('docker'),
  GUREUM_DOCKER_HOST: z
    .string()
    .regex(/^(unix:\/\/\/.+|tcp:\/\/[^:]+:\d+)$/, { message: 'must be unix:///path or tcp://host:port' })
    .optional(),
  GUREUM_INSTALLATION: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, { message: 'must be 1-63 lowercase letters, digits, ".", "_" or "-"' })
    .optional(),
  GUREUM_RESYNC_SECONDS: z.coerce.number().positive().max(3600).default(10),
  GUREUM_RESTART_BACKOFF_MAX_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  GUREUM_METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  GUREUM_METRICS_RAW_HOURS: z.coerce.number().positive().max(24 * 366).default(24),
  GUREUM_METRICS_MINUTE_DAYS: z.coerce.number().positive().max(3660).default(7),
  GUREUM_METRICS_HOUR_DAYS: z.coerce.number().positive().max(36600).default(90),
  GUREUM_ALERT_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(15),
  GUREUM_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(300).default(10),
  GUREUM_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  GUREUM_WEBHOOK_RETRY_SECONDS: z.coerce.number().min(0.05).max(3600).default(10),
  GUREUM_AUTOSCALE_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(15),
  GUREUM_AUTOSCALE_WINDOW_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  GUREUM_TLS_CERT: z.string().min(1).optional(),
  GUREUM_TLS_KEY: z.string().min(1).optional(),
  // Fractions allowed (0.5 = 30 minutes); at most 30 days.
  GUREUM_SESSION_HOURS: z.coerce.number().positive().max(720).default(12),
  GUREUM_VOLUME_USAGE_SECONDS: z.coerce.number().positive().max(86400).default(60),
  GUREUM_STREAM_RECHECK_SECONDS: z.coerce.number().positive().max(3600).default(5),
  GUREUM_IMAGE_MAX_BYTES: ByteSize.default(32 * 1024 ** 3),
  GUREUM_IMAGE_MAX_EXPANSION: z.coerce.number().min(1).max(100_000).default(100),
  GUREUM_IMAGE_MAX_LAYERS: z.coerce.number().int().min(1).max(1000).default(127),
  GUREUM_IMAGE_STORAGE_BYTES: ByteSize.optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<file>` (default `sqlite:<dataDir>/gureum.db`). */
  databaseUrl: string;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof LogLevel>;
  runtime: 'docker';
  dockerHost: string | undefined;
  /** Set when several Gureums share one engine: each sees only its own containers and volumes. */
  installation: string | undefined;
  resyncSeconds: number;
  restartBackoffMaxSeconds: number;
  /** Seconds between metric samples; 0 turns collection off. */
  metricsIntervalSeconds: number;
  /** How long raw samples, 1-minute and 1-hour roll-ups are kept, in seconds. */
  metricsRetention: { rawSeconds: number; minuteSeconds: number; hourSeconds: number };
  /** How often alert rules are evaluated. */
  alertIntervalSeconds: number;
  webhookTimeoutSeconds: number;
  /** Attempts of a webhook delivery before it is given up as failed. */
  webhookAttempts: number;
  /** Wait before the first retry of a webhook; doubled after each failure (at most an hour). */
  webhookRetrySeconds: number;
  /** How often autoscaling policies are evaluated. */
  autoscaleIntervalSeconds: number;
  /** The CPU average an autoscaling decision reads. */
  autoscaleWindowSeconds: number;
  /** PEM files: when set, Gureum serves HTTPS (and session cookies are Secure). */
  tls: { certFile: string; keyFile: string } | undefined;
  /** How long a password login's session lasts. */
  sessionHours: number;
  /** Period of the measurement of what volumes hold on disk. */
  volumeUsageSeconds: number;
  /** How often an open stream or terminal checks that its credential still holds. */
  streamRecheckSeconds: number;
  /** Bounds on one image upload (checked before the engine gets it) and on all images together. */
  images: { maxExpandedBytes: number; maxExpansionRatio: number; maxLayers: number; storageBytes: number | undefined };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; a bad variable stops start-up with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])] ?? '')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if ((e.GUREUM_TLS_CERT === undefined) !== (e.GUREUM_TLS_KEY === undefined)) {
    throw new ConfigError(`invalid configuration:\n  ${e.GUREUM_TLS_CERT === undefined ? 'GUREUM_TLS_CERT' : 'GUREUM_TLS_KEY'}="": must be set together with ${e.GUREUM_TLS_CERT === undefined ? 'GUREUM_TLS_KEY' : 'GUREUM_TLS_CERT'} (both PEM files, or neither)`);
  }
  const dataDir = path.resolve(e.GUREUM_DATA_DIR);
  return {
    port: e.GUREUM_PORT,
    host: e.GUREUM_HOST,
    dataDir,
    databaseUrl: e.GUREUM_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'gureum.db')}`,
    adminPassword: e.GUREUM_ADMIN_PASSWORD,
    logLevel: e.GUREUM_LOG_LEVEL,
    runtime: e.GUREUM_RUNTIME,
    dockerHost: e.GUREUM_DOCKER_HOST,
    installation: e.GUREUM_INSTALLATION,
    resyncSeconds: e.GUREUM_RESYNC_SECONDS,
    restartBackoffMaxSeconds: e.GUREUM_RESTART_BACKOFF_MAX_SECONDS,
    metricsIntervalSeconds: e.GUREUM_METRICS_INTERVAL_SECONDS,
    metricsRetention: { rawSeconds: e.GUREUM_METRICS_RAW_HOURS * 3600, minuteSeconds: e.GUREUM_METRICS_MINUTE_DAYS * 86_400, hourSeconds: e.GUREUM_METRICS_HOUR_DAYS * 86_400 },
    alertIntervalSeconds: e.GUREUM_ALERT_INTERVAL_SECONDS,
    webhookTimeoutSeconds: e.GUREUM_WEBHOOK_TIMEOUT_SECONDS,
    webhookAttempts: e.GUREUM_WEBHOOK_ATTEMPTS,
    webhookRetrySeconds: e.GUREUM_WEBHOOK_RETRY_SECONDS,
    autoscaleIntervalSeconds: e.GUREUM_AUTOSCALE_INTERVAL_SECONDS,
    autoscaleWindowSeconds: e.GUREUM_AUTOSCALE_WINDOW_SECONDS,
    tls: e.GUREUM_TLS_CERT !== undefined && e.GUREUM_TLS_KEY !== undefined ? { certFile: path.resolve(e.GUREUM_TLS_CERT), keyFile: path.resolve(e.GUREUM_TLS_KEY) } : undefined,
    sessionHours: e.GUREUM_SESSION_HOURS,
    volumeUsageSeconds: e.GUREUM_VOLUME_USAGE_SECONDS,
    streamRecheckSeconds: e.GUREUM_STREAM_RECHECK_SECONDS,
    images: { maxExpandedBytes: e.GUREUM_IMAGE_MAX_BYTES, maxExpansionRatio: e.GUREUM_IMAGE_MAX_EXPANSION, maxLayers: e.GUREUM_IMAGE_MAX_LAYERS, storageBytes: e.GUREUM_IMAGE_STORAGE_BYTES },
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/;

/**
 * The warning to print when Gureum serves plain HTTP on an address other hosts can reach
 * (passwords, session cookies and tokens would cross the network in clear), or null.
 */
export function listenWarning(config: Pick<Config, 'host' | 'port' | 'tls'>): string | null {
  if (config.tls || LOOPBACK.test(config.host)) return null;
  return `warning: serving plain HTTP on ${config.host}:${config.port}, reachable from other hosts: passwords, session cookies and API tokens cross the network unencrypted. Set GUREUM_TLS_CERT and GUREUM_TLS_KEY, put Gureum behind a TLS proxy, or leave GUREUM_HOST unset (127.0.0.1)`;
}

/** The settings as printed at start, secrets masked. */
export function describeConfig(config: Config): Record<string, string | number> {
  return {
    GUREUM_PORT: config.port,
    GUREUM_HOST: config.host,
    GUREUM_DATA_DIR: config.dataDir,
    GUREUM_DATABASE_URL: config.databaseUrl.replace(/:\/\/([^:@/]+):[^@]*@/, '://$1:***@'),
    GUREUM_ADMIN_PASSWORD: config.adminPassword ? '***' : '(unset: generated on first start)',
    GUREUM_LOG_LEVEL: config.logLevel,
    GUREUM_RUNTIME: config.runtime,
    GUREUM_DOCKER_HOST: config.dockerHost ?? '(local socket)',
    GUREUM_INSTALLATION: config.installation ?? '(none)',
    GUREUM_RESYNC_SECONDS: config.resyncSeconds,
    GUREUM_RESTART_BACKOFF_MAX_SECONDS: config.restartBackoffMaxSeconds,
    GUREUM_METRICS_INTERVAL_SECONDS: config.metricsIntervalSeconds,
    GUREUM_METRICS_RAW_HOURS: config.metricsRetention.rawSeconds / 3600,
    GUREUM_METRICS_MINUTE_DAYS: config.metricsRetention.minuteSeconds / 86_400,
    GUREUM_METRICS_HOUR_DAYS: config.metricsRetention.hourSeconds / 86_400,
    GUREUM_ALERT_INTERVAL_SECONDS: config.alertIntervalSeconds,
    GUREUM_WEBHOOK_TIMEOUT_SECONDS: config.webhookTimeoutSeconds,
    GUREUM_WEBHOOK_ATTEMPTS: config.webhookAttempts,
    GUREUM_WEBHOOK_RETRY_SECONDS: config.webhookRetrySeconds,
    GUREUM_AUTOSCALE_INTERVAL_SECONDS: config.autoscaleIntervalSeconds,
    GUREUM_AUTOSCALE_WINDOW_SECONDS: config.autoscaleWindowSeconds,
    GUREUM_TLS_CERT: config.tls?.certFile ?? '(unset: plain HTTP)',
    GUREUM_TLS_KEY: config.tls ? config.tls.keyFile : '(unset)',
    GUREUM_SESSION_HOURS: config.sessionHours,
    GUREUM_VOLUME_USAGE_SECONDS: config.volumeUsageSeconds,
    GUREUM_STREAM_RECHECK_SECONDS: config.streamRecheckSeconds,
    GUREUM_IMAGE_MAX_BYTES: config.images.maxExpandedBytes,
    GUREUM_IMAGE_MAX_EXPANSION: config.images.maxExpansionRatio,
    GUREUM_IMAGE_MAX_LAYERS: config.images.maxLayers,
    GUREUM_IMAGE_STORAGE_BYTES: config.images.storageBytes ?? '(unset: no limit but the disk)',
  };
}
