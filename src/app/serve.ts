/**
 * The composition root: the one place that wires config, database, scheduler, dispatcher and
 * the chat adapters together. Everything else receives what it needs as parameters.
 * Adapters are loaded only when configured, so a Slack-only council never loads the Teams SDK.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { ChatPort } from '../core/chat.js';
import { openDatabase, type Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ConsoleChatPort } from '../delivery/console-port.js';
import type { Logger } from '../logging.js';
import { startScheduler, type SchedulerHandle } from '../scheduling/scheduler.js';
import { loadDemoIfEmpty, type DemoIdentity } from '../services/demo.js';
import { deploymentClock, startDeploymentClock } from '../services/deployment-clock.js';
import { ensureWorkspace } from '../services/workspace.js';
import { Inbox } from '../services/inbox/index.js';

export interface ServeOptions {
  config: Config;
  logger: Logger;
  /** Tests: the clock to run on. Default: the deployment's (stored with the data, else the machine's). */
  clock?: Clock;
  /**
   * Load the demo plan into an empty database (npm run demo). With `startsAt`, an empty database's
   * clock starts then and runs in real time (the demo lives in York's 2021), for every surface.
   */
  demo?: (DemoIdentity & { startsAt?: Date | undefined }) | undefined;
  /** 'deferred': start the scheduler later with running.startScheduling() (the demo waits for its user). */
  scheduling?: 'now' | 'deferred';
  /** Tests: listen on these ports instead of the configured ones (0 = any free port). */
  slackHttpPort?: number;
  teamsPort?: number;
}

export interface Running {
  database: Database;
  workspaceId: string;
  /** The one clock everything in this process reads. */
  clock: Clock;
  scheduler: SchedulerHandle | null;
  /** Starts planning and sending (once); already done unless scheduling was 'deferred'. */
  startScheduling(): SchedulerHandle | null;
  ports: ChatPort[];
  /** Where the Teams endpoint listens, when Teams is on (for the Playground). */
  teamsUrl?: string | undefined;
  slackUrl?: string | undefined;
  stop(): Promise<void>;
}

export async function startBragbot(opts: ServeOptions): Promise<Running> {
  const { config, logger } = opts;
  const applied = await migrate(config.DATABASE_URL);
  if (applied.length) logger.info({ applied }, 'database migrated');
  const database = await openDatabase(config.DATABASE_URL);
  const stops: (() => Promise<void>)[] = [];
  try {
    const { db } = database;
    const workspaceId = await ensureWorkspace(db, config.BRAGBOT_WORKSPACE, config.BRAGBOT_WORKSPACE_NAME);
    // Only an empty database gets the demo's clock: a database with plans in it keeps its own time.
    const demoClock = opts.demo?.startsAt && (await db.group.count()) === 0;
    const clock = opts.clock ?? (demoClock ? await startDeploymentClock(db, opts.demo!.startsAt!) : await deploymentClock(db));
    if (opts.demo && (await loadDemoIfEmpty(db, workspaceId, clock(), opts.demo))) logger.info('demo plan loaded into the empty database');

    // One inbox for every channel: clicks are written before they are acknowledged, and whatever an
    // earlier process (or another replica) left unfinished is finished here once its lease runs out.
    const inbox = new Inbox({
      db, clock, logger, instanceId: config.INSTANCE_ID,
      leaseMs: config.INBOX_LEASE_MS, maxQueued: config.INBOX_MAX_QUEUED, concurrency: config.INBOX_CONCURRENCY,
    });

    const reports = await import('../services/reports.js');
    const ports: ChatPort[] = [];
    let slackUrl: string | undefined;
    let teamsUrl: string | undefined;
    if (config.SLACK_MODE !== 'off') {
      const { startSlack } = await import('../adapters/slack/index.js');
      const { dbReportService } = await import('../adapters/slack/report-service-db.js');
      const slack = await startSlack({ config, db, workspaceId, logger, clock, reports: dbReportService(db), inbox, ...(opts.slackHttpPort !== undefined ? { httpPort: opts.slackHttpPort } : {}) });
      ports.push(slack.port);
      slackUrl = slack.url;
      stops.push(() => slack.stop());
    }
    if (config.TEAMS_MODE === 'on') {
      const { startTeams } = await import('../adapters/teams/index.js');
      const teams = await startTeams({ config, db, workspaceId, logger, clock, reports, inbox, ...(opts.teamsPort !== undefined ? { port: opts.teamsPort } : {}) });
      ports.push(teams.port);
      teamsUrl = teams.url;
      stops.push(() => teams.stop());
    }
    // No chat platform: messages are printed, so a planned nudge is never silently dropped.
    if (ports.length === 0) ports.push(new ConsoleChatPort());
    // The channels have said how to tell their people: finish what earlier processes left.
    inbox.start();
    stops.push(() => inbox.stop().then(() => undefined));

    const running: Running = {
      database, workspaceId, clock, scheduler: null, ports, teamsUrl, slackUrl,
      startScheduling() {
        if (running.scheduler || !config.SCHEDULER_ENABLED) return running.scheduler;
        const s = startScheduler({ db, provider: database.provider, config, logger, ports, workspaceId, clock });
        running.scheduler = s;
        stops.unshift(() => s.stop()); // stop planning and sending before the adapters close
        return s;
      },
      stop: async () => {
        for (const stop of stops) await stop().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
        await database.close();
      },
    };
    if (opts.scheduling !== 'deferred') running.startScheduling();
    logger.info({ database: database.provider, platforms: ports.map((p) => p.platform), scheduler: config.SCHEDULER_ENABLED }, 'bragbot is running');
    return running;
  } catch (e) {
    for (const stop of stops) await stop().catch(() => undefined);
    await database.close();
    throw e;
  }
}
