/**
 * The Teams SDK v2 App on our own HTTP server (so its port is known and its errors reach us),
 * with every option given explicitly: the SDK would otherwise read CLIENT_ID, SERVICE_URL,
 * CLOUD… from the environment behind the back of src/config.ts.
 */
import type { Server } from 'node:http';
import { PUBLIC, type ChannelID } from '@microsoft/teams.api';
import { App, ExpressAdapter } from '@microsoft/teams.apps';
import type { Logger } from '../../logging.js';
import type { TeamsAuth } from './auth.js';
import { sdkLogger } from './sdk-logger.js';
import { activityGuard } from './validate-request.js';

export const MESSAGING_ENDPOINT = '/api/messages';
/** The public Bot Connector; each conversation's reference carries its own (regional) one. */
export const DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams';
const TOKEN_SERVICE_URL = 'https://token.botframework.com';

/**
 * bragbot does not use Teams single sign-on. Without this, the SDK asks the Bot Framework
 * token service for the sender's user token on every activity: a network call per message
 * that can only fail (and does, slowly, on a machine that cannot reach it).
 */
class BragbotTeamsApp extends App {
  protected override async getUserToken(_channelId: ChannelID, _userId: string): Promise<string> {
    throw new Error('bragbot does not use user tokens');
  }
}

export function createTeamsApp(o: { auth: TeamsAuth; logger: Logger; server: Server }): App {
  const log = sdkLogger(o.logger);
  const adapter = new ExpressAdapter(o.server, { logger: log.child('http') });
  // Registered before app.initialize() adds the SDK's route, so it runs first.
  adapter.use(MESSAGING_ENDPOINT, ...activityGuard(o.logger.child({ component: 'teams-http' })));
  // A liveness probe for load balancers and the demo script (no auth: it says nothing).
  adapter.get('/healthz', (_req, res) => {
    res.json({ ok: true, auth: o.auth.mode });
  });
  return new BragbotTeamsApp({
    // Empty strings, not undefined: the SDK falls back to CLIENT_ID / TENANT_ID env vars on undefined.
    clientId: o.auth.clientId ?? '',
    clientSecret: o.auth.clientSecret ?? '',
    tenantId: o.auth.tenantId ?? '',
    skipAuth: o.auth.skipAuth,
    logger: log,
    httpServerAdapter: adapter,
    messagingEndpoint: MESSAGING_ENDPOINT,
    serviceUrl: DEFAULT_SERVICE_URL,
    apiClientSettings: { oauthUrl: TOKEN_SERVICE_URL },
    cloud: PUBLIC,
    // A connector that hangs must not hold the outbox's claim for ever.
    client: { timeout: 15_000 },
  });
}
