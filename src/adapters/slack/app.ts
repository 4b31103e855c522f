/**
 * The Bolt app: Socket Mode (default for councils behind firewalls: an outbound websocket, no
 * public URL) or HTTP (`/slack/events`, every request's signature verified), chosen by
 * SLACK_MODE. Transport only: listeners (./listeners) hold the logic.
 */
import { App, LogLevel, SocketModeReceiver, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import { BragbotError } from '../../core/errors.js';
import type { Logger } from '../../logging.js';
import type { HandlerDeps } from './deps.js';
import { slackErrorCode } from './errors.js';
import { GuardedHTTPReceiver } from './http-guard.js';
import type { InFlight } from './in-flight.js';
import { registerListeners } from './listeners/index.js';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_HEALTH_PATH = '/slack/healthz';

/** Bolt and the Web API client log through pino (child "slack"), at the app's level. */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack-sdk' });
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => log.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => log.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => log.error(m.map((x) => (x instanceof Error ? x.stack ?? x.message : String(x))).join(' ')),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** SLACK_API_URL as the Web API client wants it (ending in a slash). */
export function slackApiUrl(config: Pick<Config, 'SLACK_API_URL'>): string | undefined {
  const url = config.SLACK_API_URL;
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * A Web API client for the bot token. `purpose: 'outbox'` never retries by itself (429 and 5xx
 * go back to the dispatcher as RateLimitedError / TransientChatError); 'interactive' retries a
 * little, because a person is waiting. The CLI uses 'interactive' for mapping people.
 */
export function createSlackWebClient(config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_API_URL'>, logger: Logger, purpose: 'outbox' | 'interactive'): WebClient {
  return new WebClient(config.SLACK_BOT_TOKEN, webClientOptions(config, logger, purpose));
}

export function webClientOptions(config: Pick<Config, 'SLACK_API_URL'>, logger: Logger, purpose: 'outbox' | 'interactive'): WebClientOptions {
  const url = slackApiUrl(config);
  return {
    ...(url ? { slackApiUrl: url } : {}),
    logger: boltLogger(logger),
    ...(purpose === 'outbox'
      ? { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }
      : { retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 } }),
  };
}

export interface SlackIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
}

/** auth.test, once: which workspace and bot this token is. Fails start-up with what to fix. */
export async function identify(client: WebClient): Promise<SlackIdentity> {
  let res;
  try {
    res = await client.auth.test();
  } catch (e) {
    const code = slackErrorCode(e);
    if (code) throw new BragbotError('CONFIG_INVALID', `Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, after installing the app to the workspace.`);
    throw new BragbotError('CONFIG_INVALID', `Could not reach Slack to check SLACK_BOT_TOKEN: ${e instanceof Error ? e.message : String(e)}. Check the network or SLACK_API_URL.`);
  }
  if (!res.team_id || !res.user_id || !res.bot_id) throw new BragbotError('CONFIG_INVALID', 'SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot): use the Bot User OAuth Token (xoxb-…).');
  return { teamId: res.team_id, botUserId: res.user_id, botId: res.bot_id };
}

export interface CreateSlackAppOptions {
  config: Config;
  logger: Logger;
  identity: SlackIdentity;
  handlerDeps: HandlerDeps;
  /** Counts acknowledged work still running, so stop() can wait for it. */
  inFlight?: InFlight;
  /** The machine's clock for Slack's signature window (see http-guard.ts); tests may step it. */
  wallClock?: Clock | undefined;
  /** The transport (default: createReceiver for SLACK_MODE); startSlack keeps it to report the connection. */
  receiver?: Receiver;
}

/** `wallClock`: the machine's clock for Slack's five-minute signature window (default: realClock, in http-guard.ts). */
export function createReceiver(config: Config, logger: Logger, wallClock?: Clock): Receiver {
  const sdkLogger = boltLogger(logger);
  if (config.SLACK_MODE === 'socket') {
    if (!config.SLACK_APP_TOKEN) throw new BragbotError('CONFIG_INVALID', 'SLACK_APP_TOKEN is required when SLACK_MODE=socket: an app-level token (xapp-…) with connections:write.');
    const url = slackApiUrl(config);
    return new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN, logger: sdkLogger, ...(url ? { installerOptions: { clientOptions: { slackApiUrl: url } } } : {}) });
  }
  if (config.SLACK_MODE === 'http') {
    if (!config.SLACK_SIGNING_SECRET) throw new BragbotError('CONFIG_INVALID', 'SLACK_SIGNING_SECRET is required when SLACK_MODE=http.');
    // Size, signature, timestamp and shape are checked before Bolt reads a request (http-guard.ts).
    return new GuardedHTTPReceiver({
      log: logger.child({ component: 'slack-http' }),
      ...(wallClock ? { wallClock } : {}),
      signingSecret: config.SLACK_SIGNING_SECRET,
      endpoints: SLACK_EVENTS_PATH,
      // Never turned off: an unsigned request could record a status as anyone.
      signatureVerification: true,
      // Respond as soon as a listener acks, so slow work (a report) never breaks Slack's 3 seconds.
      processBeforeResponse: false,
      logger: sdkLogger,
      customRoutes: [{ path: SLACK_HEALTH_PATH, method: ['GET'], handler: (_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); } }],
    });
  }
  throw new BragbotError('CONFIG_INVALID', 'SLACK_MODE is off: set SLACK_MODE=socket (no public URL needed) or SLACK_MODE=http to start the Slack app.');
}

export function createSlackApp(o: CreateSlackAppOptions): App {
  const app = new App({
    receiver: o.receiver ?? createReceiver(o.config, o.logger, o.wallClock),
    token: o.config.SLACK_BOT_TOKEN,
    // auth.test already ran (identify): Bolt need not call it again.
    botId: o.identity.botId,
    botUserId: o.identity.botUserId,
    tokenVerificationEnabled: false,
    logger: boltLogger(o.logger),
    clientOptions: webClientOptions(o.config, o.logger, 'interactive'),
  });
  o.inFlight?.track(app);
  registerListeners(app, o.handlerDeps);
  app.error(async (error) => {
    o.logger.error({ err: error, code: error.code }, 'slack: unhandled error in a listener');
  });
  return app;
}
