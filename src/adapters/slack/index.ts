/**
 * The Slack adapter's entry point for `bragbot serve`:
 *
 *   const slack = await startSlack({ config, db, workspaceId, logger, clock: () => new Date(), reports: dbReportService(db) });
 *   dispatcher.register(slack.port);           // ChatPort for the outbox
 *   …on shutdown: await slack.stop();
 *
 * The core never imports from here; this folder imports the core.
 */
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import { BragbotError } from '../../core/errors.js';
import { createSlackApp, createSlackWebClient, identify, type SlackIdentity } from './app.js';
import { createSlackChatPort, type SlackChatPort } from './chat-port.js';
import type { HandlerDeps, SlackDeps } from './deps.js';

export interface SlackRuntime {
  port: SlackChatPort;
  app: App;
  identity: SlackIdentity;
  /** HTTP mode: where the receiver listens (http://127.0.0.1:PORT), for tests and logs. */
  url?: string | undefined;
  stop(): Promise<void>;
}

export async function startSlack(deps: SlackDeps): Promise<SlackRuntime> {
  const { config, logger } = deps;
  if (config.SLACK_MODE === 'off') throw new BragbotError('CONFIG_INVALID', 'SLACK_MODE is off: set SLACK_MODE=socket or SLACK_MODE=http to start the Slack app.');
  const log = logger.child({ component: 'slack' });
  const outboxClient = createSlackWebClient(config, log, 'outbox');
  const identity = await identify(outboxClient);
  const handlerDeps: HandlerDeps = { db: deps.db, workspaceId: deps.workspaceId, logger: log, clock: deps.clock, reports: deps.reports, teamId: identity.teamId, botUserId: identity.botUserId };
  const app = createSlackApp({ config, logger: log, identity, handlerDeps });
  let url: string | undefined;
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
  return { port, app, identity, url, stop: async () => { await app.stop(); } };
}

export type { SlackDeps } from './deps.js';
export type { ReportService, ReportPreview, ReportFileOut, ReportFileFormat } from './report-service.js';
export { dbReportService } from './report-service-db.js';
export { createSlackWebClient } from './app.js';
export { mapSlackUsersByEmail, type SlackMappingResult } from './people-mapping.js';
export { recordSlackThreadOpened } from './threads.js';
export { renderOutbound } from './render/outbound.js';
export { SLACK_COMMANDS, SLACK_BOT_SCOPES, SLACK_BOT_EVENTS } from './ids.js';
