import type { Command } from 'commander';

/** Resolves on SIGINT/SIGTERM: a container stop or Ctrl-C shuts down cleanly (leases released, database closed). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => resolve(s);
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}

/**
 * A long-running bot must not die because one request's promise was left unhandled inside an
 * SDK (Bolt throws on a signed JSON `null` body: found by the hostile-input tests). Log it
 * loudly and keep serving everyone else; uncaught exceptions still stop the process.
 */
export function surviveStrayRejections(logger: { error: (o: object, msg: string) => void }): void {
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection (a request got no answer); still running'));
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the bot: scheduler and dispatcher, and Slack / Teams as configured (see .env.example)')
    .action(async () => {
      const [{ loadConfig }, { createLogger }, { startBragbot }] = await Promise.all([
        import('../../config.js'),
        import('../../logging.js'),
        import('../../app/serve.js'),
      ]);
      const config = loadConfig();
      const logger = createLogger(config.LOG_LEVEL);
      if (config.TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED) {
        logger.warn('TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED is on: Teams requests are NOT authenticated. Local demos only.');
      }
      surviveStrayRejections(logger);
      const running = await startBragbot({ config, logger });
      const signal = await untilSignal();
      logger.info({ signal }, 'shutting down');
      await running.stop();
    });
}
