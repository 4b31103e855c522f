/**
 * Slack Web API failures in the core's terms: 429 → RateLimitedError (the dispatcher waits
 * Retry-After, other recipients carry on), 5xx / network / Slack's own "try again" errors →
 * TransientChatError, anything else (channel_not_found, invalid_blocks …) is permanent.
 */
import { ErrorCode } from '@slack/web-api';
import { RateLimitedError, TransientChatError } from '../../core/chat.js';

const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

interface CodedLike {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
  message?: unknown;
}

/** The Slack error string (`channel_not_found`) of a platform error, if it is one. */
export function slackErrorCode(e: unknown): string | undefined {
  const c = e as CodedLike | null;
  if (c && c.code === ErrorCode.PlatformError && typeof c.data?.error === 'string') return c.data.error;
  return undefined;
}

/**
 * Slack's answers that mean "this person cannot be reached by Slack DM" (gone, deactivated, a bot,
 * a restricted guest): the dispatcher then tries the person's next route (src/delivery/routes.ts).
 */
const ROUTE_GONE = new Set(['user_not_found', 'users_not_found', 'account_inactive', 'user_disabled', 'cannot_dm_bot', 'user_is_restricted', 'user_is_ultra_restricted']);

export class PermanentSlackError extends Error {
  /** True for ROUTE_GONE: the person has no working Slack DM (not a fault of the message). */
  readonly routeUnavailable: boolean;
  constructor(readonly slackError: string, message: string) {
    super(message);
    this.name = 'PermanentSlackError';
    this.routeUnavailable = ROUTE_GONE.has(slackError);
  }
}

export function toChatError(e: unknown, what: string): Error {
  const c = (e ?? {}) as CodedLike;
  if (c.code === ErrorCode.RateLimitedError) {
    const seconds = typeof c.retryAfter === 'number' && Number.isFinite(c.retryAfter) ? c.retryAfter : 1;
    return new RateLimitedError(Math.max(0, seconds) * 1000, `Slack rate limit on ${what}: retry after ${seconds} s`);
  }
  if (c.code === ErrorCode.HTTPError) {
    const status = typeof c.statusCode === 'number' ? c.statusCode : 0;
    if (status === 429) return new RateLimitedError(1000, `Slack rate limit on ${what} (no Retry-After)`);
    if (status >= 500 || status === 0 || status === 408) return new TransientChatError(`Slack answered HTTP ${status} to ${what}`);
    return new PermanentSlackError(`http_${status}`, `Slack answered HTTP ${status} to ${what}`);
  }
  if (c.code === ErrorCode.RequestError) return new TransientChatError(`could not reach Slack for ${what}: ${String(c.message)}`);
  const platform = slackErrorCode(e);
  if (platform !== undefined) {
    if (TRANSIENT_PLATFORM_ERRORS.has(platform)) return new TransientChatError(`Slack said ${platform} to ${what}`);
    return new PermanentSlackError(platform, `Slack refused ${what}: ${platform}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
