/**
 * The Teams adapter's entry point for `bragbot serve`:
 *
 *   const teams = await startTeams({ config, db, workspaceId, logger, clock, reports });
 *   dispatcher ports.push(teams.port);      // ChatPort for the outbox
 *   …on shutdown: await teams.stop();
 *
 * The core never imports from here; this folder imports the core.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@microsoft/teams.apps';
import type { ChatPort } from '../../core/chat.js';
import { BragbotError } from '../../core/errors.js';
import { createTeamsApp, DEFAULT_SERVICE_URL, MESSAGING_ENDPOINT } from './app.js';
import { resolveAuth, type TeamsAuth } from './auth.js';
import { createTeamsChatPort } from './chat-port.js';
import { connectorClient, type ConnectorClient } from './connector.js';
import type { HandlerDeps, TeamsDeps } from './deps.js';
import { registerHandlers } from './handlers/index.js';
import { reportServiceFrom } from './report-service.js';
import { Inbox } from '../../services/inbox/index.js';
import { teamsTeller } from './handlers/clicks/inboxed.js';
import { stopwatch } from '../../clock.js';
import { trackRequests } from '../../http/graceful.js';

/** How long a shutdown waits for activities being handled (as Slack's; Kubernetes' default grace is 30 s). */
const STOP_GRACE_MS = 20_000;

export interface TeamsRuntime {
  /** The ChatPort for the outbox. */
  port: ChatPort;
  app: App;
  /** Base URL the endpoint listens on (http://host:port); the messaging endpoint is `${url}/api/messages`. */
  url: string;
  messagingEndpoint: string;
  auth: TeamsAuth['mode'];
  connector: ConnectorClient;
  /** Activities being handled now (a click is answered when it has been recorded). */
  inFlight(): number;
  /** Listening and not shutting down: for readiness. */
  connected(): boolean;
  /** Stops taking connections, lets activities being handled finish (up to 20 s), then closes. */
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(new BragbotError('CONFIG_INVALID', `Teams: cannot listen on ${host}:${port} (${e.message}). Set TEAMS_PORT to a free port.`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The plan-page links `highlight-report` gives, when the web pages they open are on. */
async function planLinkOf(deps: TeamsDeps): Promise<HandlerDeps['planLink']> {
  const { config } = deps;
  if (config.WEB_MODE !== 'on' || !config.PUBLIC_BASE_URL || !config.LINK_SECRET) return undefined;
  const { planLinker } = await import('../../web/pages/plan-link.js');
  const link = planLinker({ db: deps.db, workspaceId: deps.workspaceId, signer: { secret: config.LINK_SECRET, ttlDays: config.LINK_TTL_DAYS }, publicBaseUrl: config.PUBLIC_BASE_URL }, deps.clock);
  return (personId, groupSlug) => link(personId, groupSlug, 'teams');
}

export async function startTeams(deps: TeamsDeps): Promise<TeamsRuntime> {
  const { config } = deps;
  if (config.TEAMS_MODE !== 'on') throw new BragbotError('CONFIG_INVALID', 'TEAMS_MODE is off: set TEAMS_MODE=on to start the Teams app.');
  const log = deps.logger.child({ component: 'teams' });
  const auth = resolveAuth(config, log);
  // Unauthenticated: loopback only, whatever was asked, so the demo endpoint is never exposed.
  const host = auth.skipAuth ? '127.0.0.1' : deps.host ?? '0.0.0.0';
  const server = createServer();
  const requests = trackRequests(server);
  if (deps.onAnswered) {
    const onAnswered = deps.onAnswered;
    server.on('request', (req, res) => {
      if (req.method !== 'POST') return;
      const elapsed = stopwatch();
      res.once('finish', () => onAnswered(elapsed() / 1000));
    });
  }
  const app = createTeamsApp({ auth, logger: log, server });
  const connector = connectorClient(app.api.http);
  // Teams started on its own (tests, the Playground) keeps its own inbox, and finishes what it left.
  const ownInbox = deps.inbox ? null : new Inbox({ db: deps.db, clock: deps.clock, logger: log, instanceId: config.INSTANCE_ID });
  const inbox = deps.inbox ?? ownInbox!;
  const handlerDeps: HandlerDeps = {
    inbox,
    db: deps.db,
    workspaceId: deps.workspaceId,
    logger: log,
    clock: deps.clock,
    reports: reportServiceFrom(deps.db, deps.reports),
    tenantId: auth.mode === 'production' ? config.TEAMS_TENANT_ID : undefined,
    connector,
    defaultServiceUrl: DEFAULT_SERVICE_URL,
    onInstalled: deps.onInstalled,
    planLink: await planLinkOf(deps),
  };
  inbox.register('teams', teamsTeller(handlerDeps));
  registerHandlers(app, handlerDeps);
  await app.initialize();
  const port = await listen(server, deps.port ?? config.TEAMS_PORT, host);
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  log.info({ port, host, endpoint: MESSAGING_ENDPOINT, auth: auth.mode }, 'teams: listening');
  ownInbox?.start();
  let stopping = false;
  const chatPort = createTeamsChatPort({ connector, db: deps.db, workspaceId: deps.workspaceId, logger: log, defaultServiceUrl: DEFAULT_SERVICE_URL });
  return {
    port: chatPort,
    app,
    url,
    messagingEndpoint: `${url}${MESSAGING_ENDPOINT}`,
    auth: auth.mode,
    connector,
    inFlight: () => requests.active,
    connected: () => server.listening && !stopping,
    stop: async () => {
      stopping = true;
      if (!(await requests.close(STOP_GRACE_MS))) log.error({ running: requests.active }, 'teams: stopped with activities still being handled');
      await ownInbox?.stop(1_000);
    },
  };
}

export type { TeamsDeps, HandlerDeps, InstalledConversation } from './deps.js';
export { startPlayground, PLAYGROUND_DEMO_PEOPLE, PLAYGROUND_IDS, type Playground, type PlaygroundOptions, type PlaygroundPerson } from './playground.js';
export type { TeamsReportService, ReportPreview, ReportsModule } from './report-service.js';
export { dbReportService } from './report-service.js';
export { renderOutbound } from './cards/outbound.js';
export { TEAMS_COMMANDS, TEAMS_RSC_PERMISSIONS } from './ids.js';
export { resolveAuth, UNAUTHENTICATED_WARNING } from './auth.js';
