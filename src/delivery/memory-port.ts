/**
 * A ChatPort that keeps what it is sent, for tests and demos. It can be told to answer a share
 * of calls with 429 (RateLimitedError, Retry-After) or 5xx (TransientChatError), from a seeded
 * generator, so a test that uses it fails the same way every run.
 */
import { realClock, type Clock } from '../clock.js';
import { RateLimitedError, TransientChatError, type ChatAddress, type ChatPort, type OutboundMessage, type Platform, type SendContext, type SendResult } from '../core/chat.js';

export interface MemoryPortOptions {
  /** Share of calls (0..1) answered "429, retry after retryAfterMs". */
  rateLimitShare?: number;
  retryAfterMs?: number;
  /** Share of calls (0..1) answered with a 5xx. */
  transientShare?: number;
  /** A permanent failure (e.g. "user not found") for the addresses this returns true for. */
  rejects?: (to: ChatAddress, message: OutboundMessage) => boolean;
  seed?: number;
  /** Simulated network time per call. */
  latencyMs?: number;
  /** Stamps `at` on each record (the test's clock). Default: the machine's. */
  clock?: Clock;
}

export interface SentRecord {
  to: ChatAddress;
  message: OutboundMessage;
  context: SendContext | undefined;
  providerMessageId: string;
  at: Date;
}

/** mulberry32: small and seedable, so tests and benchmarks make the same choices every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class MemoryChatPort implements ChatPort {
  readonly sent: SentRecord[] = [];
  calls = 0;
  rateLimited = 0;
  transientFailures = 0;
  private readonly next: () => number;

  constructor(
    readonly platform: Platform = 'console',
    private readonly options: MemoryPortOptions = {},
  ) {
    this.next = seeded(options.seed ?? 1);
  }

  async send(to: ChatAddress, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    this.calls += 1;
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const roll = this.next();
    const rl = this.options.rateLimitShare ?? 0;
    if (roll < rl) {
      this.rateLimited += 1;
      throw new RateLimitedError(this.options.retryAfterMs ?? 1000);
    }
    if (roll < rl + (this.options.transientShare ?? 0)) {
      this.transientFailures += 1;
      throw new TransientChatError('503 service unavailable (simulated)');
    }
    if (this.options.rejects?.(to, message)) throw new Error(`user_not_found: ${to.conversationId}`);
    const providerMessageId = `${this.platform}-${this.sent.length + 1}`;
    this.sent.push({ to, message, context, providerMessageId, at: (this.options.clock ?? realClock)() });
    return { providerMessageId, conversationId: to.conversationId };
  }

  /** How many times each idempotency key was delivered: every value should be 1. */
  deliveriesByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of this.sent) {
      const key = s.context?.idempotencyKey ?? '(no key)';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }
}
