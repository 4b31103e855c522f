/**
 * The Slack adapter's entry point for `bragbot serve`:
 *
 *   const slack = await startSlack({ config, db, workspaceId, logger, clock, reports: dbReportService(db) });
 *   dispatcher.register(slack.port);           // ChatPort for the outbox
 *   …on shutdown: await slack.stop();
 *
 * The core never imports from here; this folder imports the core.
 */
import type { Server } from 'node:http';
import type { App, SocketModeReceiver } from '@slack/bolt';
import { BragbotError } from '../../core/errors.js';
import { timingAcks } from './ack-timing.js';
import { createReceiver, createSlackApp, createSlackWebClient, identify, type SlackIdentity } from './app.js';
import { createSlackChatPort, type SlackChatPort } from './chat-port.js';
import { InFlight } from './in-flight.js';
import { Inbox } from '../../services/inbox/index.js';
import { slackTeller } from './inbox.js';

/** How long a shutdown waits for acknowledged work (Kubernetes' default grace period is 30 s). */
const STOP_GRACE_MS = 20_000;
import type { HandlerDeps, SlackDeps } from './deps.js';

export interface SlackRuntime {
  port: SlackChatPort;
  app: App;
  identity: SlackIdentity;
  /** HTTP mode: where the receiver listens (http://127.0.0.1:PORT), for tests and logs. */
  url?: string | undefined;
  /** Acknowledged requests whose work is still running (the post-ack queue). */
  inFlight(): number;
  /** HTTP: listening and not shutting down; Socket Mode: the websocket to Slack is open. For readiness. */
  connected(): boolean;
  stop(): Promise<void>;
}

export async function startSlack(deps: SlackDeps): Promise<SlackRuntime> {
  const { config, logger } = deps;
  if (config.SLACK_MODE === 'off') throw new BragbotError('CONFIG_INVALID', 'SLACK_MODE is off: set SLACK_MODE=socket or SLACK_MODE=http to start the Slack app.');
  const log = logger.child({ component: 'slack' });
  const outboxClient = createSlackWebClient(config, log, 'outbox');
  const identity = await identify(outboxClient);
  // Slack started on its own (tests, tools) keeps its own inbox, and finishes what it left.
  const ownInbox = deps.inbox ? null : new Inbox({ db: deps.db, clock: deps.clock, logger: log, instanceId: config.INSTANCE_ID });
  const inbox = deps.inbox ?? ownInbox!;
  const handlerDeps: HandlerDeps = { db: deps.db, workspaceId: deps.workspaceId, logger: log, clock: deps.clock, reports: deps.reports, teamId: identity.teamId, botUserId: identity.botUserId, inbox };
  inbox.register('slack', slackTeller(handlerDeps, createSlackWebClient(config, log, 'interactive')));
  const inFlight = new InFlight();
  const transport = createReceiver(config, log, deps.wallClock);
  const receiver = deps.onAck ? timingAcks(transport, deps.onAck) : transport;
  const app = createSlackApp({ config, logger: log, identity, handlerDeps, inFlight, receiver });
  let url: string | undefined;
  let stopping = false;
  if (config.SLACK_MODE === 'http') {
    const server = (await app.start(deps.httpPort ?? config.SLACK_PORT)) as Server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : deps.httpPort ?? config.SLACK_PORT;
    url = `http://127.0.0.1:${port}`;
    log.info({ port, team: identity.teamId }, 'slack: HTTP receiver listening on /slack/events');
  } else {
    await app.start();
    log.info({ team: identity.teamId }, 'slack: connected in Socket Mode');
  }
  const port = createSlackChatPort({ client: outboxClient, db: deps.db, workspaceId: deps.workspaceId, logger: log });
  ownInbox?.start();
  const connected = (): boolean => {
    if (stopping) return false;
    if (config.SLACK_MODE === 'socket') return (transport as SocketModeReceiver).client.websocket?.isActive() ?? false;
    return url !== undefined;
  };
  const stop = async () => {
    stopping = true;
    // Stop taking requests, then let acknowledged clicks finish before the database closes
    // (what does not finish in time is in the inbox: the next process finishes it).
    await app.stop();
    if (!(await inFlight.idle(STOP_GRACE_MS))) log.error({ running: inFlight.size }, 'slack: stopped with acknowledged work still running');
    await ownInbox?.stop(1_000);
  };
  return { port, app, identity, url, inFlight: () => inFlight.size, connected, stop };
}

export type { SlackDeps } from './deps.js';
export type { ReportService, ReportPreview, ReportFileOut, ReportFileFormat } from './report-service.js';
export { dbReportService } from './report-service-db.js';
export { createSlackWebClient } from './app.js';
export { mapSlackUsersByEmail, type SlackMappingResult } from './people-mapping.js';
export { recordSlackThreadOpened } from './threads.js';
export { renderOutbound } from './render/outbound.js';
export { SLACK_COMMANDS, SLACK_BOT_SCOPES, SLACK_BOT_EVENTS } from './ids.js';
