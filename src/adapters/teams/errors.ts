/**
 * Bot Connector failures in the core's terms: 429 → RateLimitedError (the dispatcher waits
 * Retry-After, other recipients carry on), 5xx / 408 / network → TransientChatError, anything
 * else (403 bot not in the conversation, 404, 413 too large…) is permanent: retrying the same
 * message will not help, and the outbox marks it failed with this message.
 */
import { realClock } from '../../clock.js';
import { RateLimitedError, TransientChatError } from '../../core/chat.js';

export class PermanentTeamsError extends Error {
  /**
   * 403 (the bot is not in the conversation: the app was uninstalled or blocked, or the person is
   * in another tenant) and 404 (the conversation is gone): this person cannot be reached in Teams
   * chat, so the dispatcher tries their next route. A 413 or 400 is the message's fault, not the route's.
   */
  readonly routeUnavailable: boolean;
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'PermanentTeamsError';
    this.routeUnavailable = status === 403 || status === 404;
  }
}

interface AxiosLike {
  isAxiosError?: unknown;
  code?: unknown;
  message?: unknown;
  response?: { status?: unknown; headers?: Record<string, unknown> | { get?: (k: string) => unknown } };
}

function header(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (k: string) => unknown } & Record<string, unknown>;
  return typeof h.get === 'function' ? h.get(name) : h[name] ?? h[name.toLowerCase()];
}

/** Retry-After: seconds, or an HTTP date (the server's real time, so read against the machine's clock); default one second. */
export function retryAfterMs(value: unknown, now = realClock().getTime()): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value * 1000);
  if (typeof value === 'string' && value.trim() !== '') {
    const secs = Number(value);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return 1000;
}

export function toChatError(e: unknown, what: string): Error {
  const err = (e ?? {}) as AxiosLike;
  const status = typeof err.response?.status === 'number' ? err.response.status : undefined;
  if (status === 429) {
    const ms = retryAfterMs(header(err.response?.headers, 'retry-after'));
    return new RateLimitedError(ms, `Teams rate limit on ${what}: retry after ${Math.ceil(ms / 1000)} s`);
  }
  if (status !== undefined) {
    if (status >= 500 || status === 408) return new TransientChatError(`Teams answered HTTP ${status} to ${what}`);
    return new PermanentTeamsError(status, `Teams refused ${what}: HTTP ${status}`);
  }
  // No response at all: connection refused, reset, DNS, timeout.
  if (err.isAxiosError || typeof err.code === 'string') {
    return new TransientChatError(`could not reach Teams for ${what}: ${String(err.code ?? err.message ?? 'network error')}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
