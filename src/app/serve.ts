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
import { sqliteDriverName } from '../db/sqlite-driver.js';
import { BragbotError } from '../core/errors.js';
import { ConsoleChatPort } from '../delivery/console-port.js';
import type { Logger } from '../logging.js';
import { startPurgeSchedule } from '../scheduling/purge.js';
import { startScheduler, type SchedulerHandle } from '../scheduling/scheduler.js';
import { loadDemoIfEmpty, type DemoIdentity } from '../services/demo.js';
import { deploymentClock, startDeploymentClock } from '../services/deployment-clock.js';
import { ensureWorkspace } from '../services/workspace.js';
import { Inbox } from '../services/inbox/index.js';
import { pendingMigrations } from '../db/migrate.js';
import { createMetrics, type Metrics } from './metrics.js';
import { checkReadiness, startOpsServer, type OpsServer, type Readiness, type ReadinessCheck } from './ops-server.js';

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
  /** Tests: /healthz, /readyz and /metrics on this port instead of OPS_PORT (0 = any free port). */
  opsPort?: number;
  /** Tests: the web pages on this port instead of WEB_PORT (0 = any free port). */
  webPort?: number;
  /** The demo and tests: send email through this nodemailer transport instead of SMTP_URL. */
  emailTransport?: import('nodemailer').Transporter | undefined;
  /** The demo: more web routes (its mailbox page). */
  webRoutes?: import('../web/index.js').WebRoutes[] | undefined;
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
  /** Where /healthz, /readyz and /metrics answer. */
  opsUrl: string;
  /** Where the web pages answer (WEB_MODE=on), as bound; links use PUBLIC_BASE_URL. */
  webUrl?: string | undefined;
  metrics: Metrics;
  readiness(): Promise<Readiness>;
  /**
   * Drains, then closes: /readyz answers 503 at once; planning and sending stop after the current
   * round, and Slack and Teams (together) stop taking requests and let the work they already
   * acknowledged finish (up to 20 s each); then the database and the ops endpoints close.
   */
  stop(): Promise<void>;
}

export async function startBragbot(opts: ServeOptions): Promise<Running> {
  const { config, logger } = opts;
  const applied = await migrate(config.DATABASE_URL);
  if (applied.length) logger.info({ applied }, 'database migrated');
  // SQLite's checkpoints on a worker thread: the event loop that answers acknowledgements never copies the WAL back (issue 16).
  const database = await openDatabase(config.DATABASE_URL, { backgroundCheckpoints: true, synchronous: config.SQLITE_SYNCHRONOUS });
  const stops: (() => Promise<void>)[] = [];
  let ops: OpsServer | undefined;
  let afterChannels = async (): Promise<void> => undefined;
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
    // Health and metrics before the chat adapters: a probe gets an answer (503, saying why) while they start.
    let draining = false;
    let lastReady = false;
    const connected: Partial<Record<'slack' | 'teams', () => boolean>> = {};
    const inFlight: Partial<Record<'slack' | 'teams', () => number>> = {};
    const metrics = createMetrics(config.INSTANCE_ID, {
      db,
      clock,
      inFlight: () => Object.fromEntries(Object.entries(inFlight).map(([k, f]) => [k, f()])),
      ready: () => lastReady && !draining,
      inboxDepth: () => inbox.depth(),
    });
    const checks: Record<string, ReadinessCheck> = {
      database: async () => {
        await db.$queryRawUnsafe('SELECT 1');
        return { ok: true, detail: database.provider };
      },
      migrations: async () => {
        const pending = await pendingMigrations(db, database.provider);
        return pending.length === 0 ? { ok: true } : { ok: false, detail: `not applied: ${pending.join(', ')}` };
      },
    };
    if (config.SLACK_MODE !== 'off') checks.slack = () => ({ ok: connected.slack?.() ?? false, detail: config.SLACK_MODE });
    if (config.TEAMS_MODE === 'on') checks.teams = () => ({ ok: connected.teams?.() ?? false });
    const readiness = async () => {
      const r = await checkReadiness(checks, draining);
      lastReady = r.ready;
      return r;
    };
    ops = await startOpsServer({ host: config.OPS_HOST, port: opts.opsPort ?? config.OPS_PORT, logger, registry: metrics.registry, readiness });
    const opsServer = ops;

    const reports = await import('../services/reports.js');
    const ports: ChatPort[] = [];
    let slackUrl: string | undefined;
    let teamsUrl: string | undefined;
    if (config.SLACK_MODE !== 'off') {
      const { startSlack } = await import('../adapters/slack/index.js');
      const { dbReportService } = await import('../adapters/slack/report-service-db.js');
      const slack = await startSlack({ config, db, workspaceId, logger, clock, reports: dbReportService(db), inbox, onAck: (kind, seconds) => metrics.acked('slack', kind, seconds), ...(opts.slackHttpPort !== undefined ? { httpPort: opts.slackHttpPort } : {}) });
      ports.push(slack.port);
      slackUrl = slack.url;
      connected.slack = slack.connected;
      inFlight.slack = slack.inFlight;
      stops.push(() => slack.stop());
    }
    if (config.TEAMS_MODE === 'on') {
      const { startTeams } = await import('../adapters/teams/index.js');
      const teams = await startTeams({ config, db, workspaceId, logger, clock, reports, inbox, onAnswered: (seconds) => metrics.acked('teams', 'activity', seconds), ...(opts.teamsPort !== undefined ? { port: opts.teamsPort } : {}) });
      ports.push(teams.port);
      teamsUrl = teams.url;
      connected.teams = teams.connected;
      inFlight.teams = teams.inFlight;
      stops.push(() => teams.stop());
    }
    let webUrl: string | undefined;
    let closeEmail = (): void => undefined;
    if (config.WEB_MODE === 'on') {
      const { startWeb } = await import('../web/index.js');
      const { createSignIn, signInSettingsOf } = await import('../web/auth/index.js');
      // Sign-in (OIDC) when configured: its routes, and who is signed in for the link pages' someone-else check.
      const oidc = signInSettingsOf(config);
      const signIn = oidc ? createSignIn({ db, workspaceId, clock, publicBaseUrl: config.PUBLIC_BASE_URL!, secret: config.LINK_SECRET!, oidc, sessionHours: config.OIDC_SESSION_HOURS }) : undefined;
      const web = await startWeb({
        db, workspaceId, clock, logger, publicBaseUrl: config.PUBLIC_BASE_URL!,
        signer: { secret: config.LINK_SECRET!, ttlDays: config.LINK_TTL_DAYS }, ratePerMinute: config.LINK_RATE_PER_MINUTE,
        signedInPerson: signIn?.signedInPerson,
      }, config.WEB_HOST, opts.webPort ?? config.WEB_PORT, [...(signIn ? [signIn.routes] : []), ...(opts.webRoutes ?? [])]);
      webUrl = web.url;
      stops.push(() => web.stop());
    }
    if (config.SMTP_URL || opts.emailTransport) {
      if (config.WEB_MODE !== 'on') throw new BragbotError('CONFIG_INVALID', 'email needs the web pages its links open: set WEB_MODE=on, PUBLIC_BASE_URL and LINK_SECRET');
      const { EmailPort } = await import('../adapters/email/index.js');
      const email = new EmailPort({
        db, workspaceId, clock, logger, smtp: opts.emailTransport ?? config.SMTP_URL!, from: config.SMTP_FROM ?? 'bragbot <bragbot@localhost>',
        signer: { secret: config.LINK_SECRET!, ttlDays: config.LINK_TTL_DAYS }, publicBaseUrl: config.PUBLIC_BASE_URL!,
      });
      ports.push(email);
      // Closed after the dispatcher's last round (stops run together), not during it.
      closeEmail = () => email.close();
    }
    // No chat platform: messages are printed, so a planned nudge is never silently dropped.
    if (ports.length === 0) ports.push(new ConsoleChatPort());
    // The channels have said how to tell their people: finish what earlier processes left.
    inbox.start();
    // After the channels: clicks they acknowledged while draining go through the inbox too.
    afterChannels = () => inbox.stop().then(() => undefined);

    const running: Running = {
      database, workspaceId, clock, scheduler: null, ports, teamsUrl, slackUrl, webUrl, opsUrl: opsServer.url, metrics, readiness,
      startScheduling() {
        if (running.scheduler || !config.SCHEDULER_ENABLED) return running.scheduler;
        const s = startScheduler({
          db, provider: database.provider, config, logger, ports, workspaceId, clock,
          onCycle: (report) => metrics.planned(report),
          onTick: (result, trigger) => metrics.tick(result, trigger),
          onDelivery: (e) => metrics.delivery(e),
        });
        running.scheduler = s;
        stops.push(() => s.stop());
        // The daily retention purge rides on the same switch: a replica that plans also purges (claimed once a day).
        const p = startPurgeSchedule({ db, config, workspaceId, clock, logger });
        stops.push(() => p.stop());
        return s;
      },
      stop: async () => {
        draining = true;
        logger.info('draining: not ready; finishing acknowledged work');
        // The scheduler finishes its round while Slack and Teams finish what they acknowledged: the
        // longest of them, not their sum (each adapter waits up to 20 s).
        await Promise.all(stops.map((stop) => stop().catch((err: unknown) => logger.error({ err }, 'error while stopping'))));
        await afterChannels().catch((err: unknown) => logger.error({ err }, 'error while stopping the inbox'));
        closeEmail();
        await database.close();
        await opsServer.stop();
      },
    };
    if (opts.scheduling !== 'deferred') running.startScheduling();
    logger.info({ database: database.provider, ...(database.provider === 'sqlite' ? { sqliteDriver: sqliteDriverName() } : {}), node: process.versions.node, platforms: ports.map((p) => p.platform), scheduler: config.SCHEDULER_ENABLED }, 'bragbot is running');
    return running;
  } catch (e) {
    for (const stop of stops) await stop().catch(() => undefined);
    await afterChannels().catch(() => undefined);
    await database.close();
    await ops?.stop();
    throw e;
  }
}
