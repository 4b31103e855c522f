/**
 * A proxy in front of tests/slack/fake-slack.ts that behaves like Slack's edge under load and
 * during an outage, for the delivery benchmark and the fault tests. It forwards to the fake when
 * a call is allowed, and otherwise answers as Slack does:
 *  - rate limits: 429 with Retry-After (whole seconds, as Slack sends it) from token buckets per
 *    method (Slack's tiers) and, for chat.postMessage, per channel (about 1 message a second);
 *  - an outage: every call answered 5xx (by default 503) until it is lifted.
 * Every decision is counted, so a test can show the limits were really hit.
 *
 * The limits are Slack's published ones (api.slack.com/apis/rate-limits, each method's page):
 * Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min; chat.postMessage "1 per second per channel,
 * short bursts allowed" and several hundred a minute per workspace. Slack allows bursts but does not
 * say how big: these buckets hold 10 seconds' worth (at least 1), the conservative reading.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Limit {
  /** Calls per minute. */
  perMinute: number;
  /** Bucket size (burst); default max(1, perMinute / 6). */
  burst?: number;
}

export interface SlackLimits {
  perMethod: Record<string, Limit>;
  /** Per channel, per method (chat.postMessage: 60/min, burst 1). */
  perChannel: Record<string, Limit>;
}

export const TIER = { t1: { perMinute: 1 }, t2: { perMinute: 20 }, t3: { perMinute: 50 }, t4: { perMinute: 100 } } as const;

export const SLACK_PUBLISHED_LIMITS: SlackLimits = {
  perMethod: {
    'auth.test': TIER.t4,
    'conversations.open': TIER.t3,
    'conversations.history': TIER.t3,
    'conversations.replies': TIER.t3,
    'users.lookupByEmail': TIER.t4,
    'chat.update': TIER.t3,
    'chat.postEphemeral': TIER.t4,
    // "Several hundred messages per minute" per workspace: the low end.
    'chat.postMessage': { perMinute: 300 },
  },
  perChannel: {
    'chat.postMessage': { perMinute: 60, burst: 1 },
  },
};

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** ms until a token is there (0: one is). */
  wait(now: number): number {
    const rate = this.perMinute / 60_000;
    this.tokens = Math.min(this.burst, this.tokens + (now - this.at) * rate);
    this.at = now;
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / rate);
  }

  take(): void {
    this.tokens -= 1;
  }
}

export interface ProxyStats {
  forwarded: Record<string, number>;
  rateLimited: Record<string, number>;
  outage: Record<string, number>;
}

export class SlackProxy {
  readonly stats: ProxyStats = { forwarded: {}, rateLimited: {}, outage: {} };
  private readonly buckets = new Map<string, Bucket>();
  private server: Server | undefined;
  private outageStatus: number | null = null;
  private hang: { method: string; after: number; onHang: (() => void) | undefined } | null = null;
  /** Added to every forwarded call: network time, so a fault can land mid-dispatch. */
  latencyMs = 0;
  base = '';

  constructor(
    private readonly upstream: string,
    private readonly limits: SlackLimits | null = SLACK_PUBLISHED_LIMITS,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** The Web API base for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        res.writeHead(502);
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every call answers `status` (5xx) until endOutage(). */
  startOutage(status = 503): void {
    this.outageStatus = status;
  }

  endOutage(): void {
    this.outageStatus = null;
  }

  /**
   * The `after`-th call of `method` reaches Slack (the fake has the message) but its answer never
   * comes back: the worst moment to kill the bot, delivered but not recorded as sent.
   */
  hangAfter(method: string, after: number, onHang?: () => void): void {
    this.hang = { method, after, onHang };
  }

  private bucket(key: string, limit: Limit, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new Bucket(limit.perMinute, limit.burst ?? Math.max(1, Math.floor(limit.perMinute / 6)), now)));
    return b;
  }

  /** ms to wait, or 0 when the call may go. */
  private admit(method: string, channel: string | undefined): number {
    if (!this.limits) return 0;
    const now = this.clock();
    const methodLimit = this.limits.perMethod[method];
    const channelLimit = channel ? this.limits.perChannel[method] : undefined;
    const mb = methodLimit ? this.bucket(`m:${method}`, methodLimit, now) : undefined;
    const cb = channelLimit ? this.bucket(`c:${method}:${channel}`, channelLimit, now) : undefined;
    // A refused call takes no token from either bucket: it did not happen.
    const wait = Math.max(cb?.wait(now) ?? 0, mb?.wait(now) ?? 0);
    if (wait > 0) return wait;
    cb?.take();
    mb?.take();
    return 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.base);
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : url.pathname;
    const count = (m: Record<string, number>) => (m[method] = (m[method] ?? 0) + 1);

    if (this.outageStatus !== null) {
      count(this.stats.outage);
      res.writeHead(this.outageStatus, { 'content-type': 'text/html' });
      res.end('<html><body>Slack is having trouble</body></html>');
      return;
    }
    const wait = this.admit(method, channelOf(raw.toString('utf8'), req.headers['content-type']));
    if (wait > 0) {
      count(this.stats.rateLimited);
      res.writeHead(429, { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    count(this.stats.forwarded);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const hangNow = this.hang !== null && this.hang.method === method && this.stats.forwarded[method] === this.hang.after;
    const target = new URL(url.pathname + url.search, this.upstream);
    await new Promise<void>((resolve, reject) => {
      const up = request(target, { method: req.method, headers: { ...req.headers, host: target.host, 'content-length': String(raw.length) } }, (answer) => {
        if (hangNow) {
          answer.resume();
          answer.on('end', () => {
            this.hang?.onHang?.();
            resolve();
          });
          return; // the caller never hears back
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      });
      up.on('error', reject);
      up.end(raw);
    });
  }
}

function channelOf(body: string, contentType: string | undefined): string | undefined {
  try {
    if (contentType?.includes('application/json')) {
      const v = (JSON.parse(body || '{}') as { channel?: unknown }).channel;
      return typeof v === 'string' ? v : undefined;
    }
    return new URLSearchParams(body).get('channel') ?? undefined;
  } catch {
    return undefined;
  }
}
