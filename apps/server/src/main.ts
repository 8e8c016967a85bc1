import { ConfigError, describeConfig, listenWarning, loadConfig } from './config.js';
import { createGureum } from './gureum.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`gureum: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  log.info({ config: describeConfig(config) }, 'starting gureum');
  const gureum = await createGureum(config, log);
  if (gureum.generatedAdminPassword) {
    process.stderr.write(`\n  admin password (shown once): ${gureum.generatedAdminPassword}\n  admin API token: ${gureum.tokenFile}\n\n`);
  }
  await gureum.http.listen({ port: config.port, host: config.host });
  log.info({ url: `${config.tls ? 'https' : 'http'}://localhost:${config.port}`, tokenFile: gureum.tokenFile }, 'gureum is listening');
  const warning = listenWarning(config);
  if (warning) {
    process.stderr.write(`gureum: ${warning}\n`);
    log.warn(warning);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Containers keep running: a later start re-adopts them.
    gureum.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`gureum: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`gureum: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
