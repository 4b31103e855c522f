/**
 * The dispatcher: claims due outbox rows, sends each through the port for its platform, and
 * records the result. Any number of dispatchers (replicas) may run against one database.
 *
 * Claiming is a lease held in the database, not in one process's memory:
 * - PostgreSQL: one `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) … RETURNING`, so
 *   replicas take disjoint batches without waiting for each other;
 * - SQLite: the same single UPDATE statement (SQLite runs it under its write lock, atomically).
 * A claim sets status 'sending', claimedBy (a per-claim token: instance id + counter) and
 * claimedUntil (the lease). A row whose lease has expired while 'sending' — its dispatcher died
 * — is claimable again; every write after the claim checks the token, so a dispatcher that lost
 * its lease cannot overwrite the new claimer's result. The lease is renewed just before each send.
 *
 * The guarantee, precisely. Each outbox row is delivered at least once (unless it fails
 * permanently or exhausts its retries) and no two dispatchers send it concurrently. A row is
 * sent a second time only if the dispatcher that sent it stopped after the platform accepted
 * the message and before it recorded 'sent' (a crash in that window, or a send slower than the
 * lease, or a send that got no answer in time); the next claimer then sends with
 * `recovering: true`, once per such crash or timeout, and a port
 * that can check whether the platform already has the message (by its idempotency key) returns
 * that instead of posting again — then delivery is exactly once. A crash anywhere else
 * (before the send, or after 'sent' was recorded) causes no duplicate at all.
 *
 * Failures: RateLimitedError pauses that platform for retryAfterMs in this dispatcher (other
 * platforms carry on) and puts the row back without counting an attempt; TransientChatError
 * retries with exponential backoff (notBefore) up to maxAttempts; anything else is permanent:
 * status 'failed' with lastError.
 */
import type { ChatPort, Platform, SendResult } from '../core/chat.js';
import { RateLimitedError, TransientChatError } from '../core/chat.js';
import { deadline, type Clock } from '../clock.js';
import type { Db, DbProvider } from '../db/client.js';
import type { Logger } from '../logging.js';
import { decodePayload, resolveAddress, UndeliverableError } from './outbox.js';

export const RECOVERED_PREFIX = 'recovered: ';

export interface DispatcherOptions {
  db: Db;
  provider: DbProvider;
  ports: ChatPort[];
  instanceId: string;
  logger?: Logger | undefined;
  /** The deployment's clock: due times, leases and pauses are read on it (tests pass a fixed one). */
  clock: Clock;
  /** How long a claim is held; a send must finish well within it. Default 60 s. */
  leaseMs?: number;
  /** Rows claimed per platform per round. Default 20. */
  batchSize?: number;
  /** Transient failures before a row is marked failed. Default 8. */
  maxAttempts?: number;
  /** Backoff after the nth transient failure: min(maxMs, baseMs * 2^(n-1)). Default 30 s .. 1 h. */
  backoff?: { baseMs: number; maxMs: number };
}

export interface DispatchReport {
  claimed: number;
  sent: number;
  /** Put back for later: rate limited or a transient failure. */
  retried: number;
  failed: number;
  /** Sent with recovering=true: the previous claimer died mid-send. */
  recovered: number;
}

const emptyReport = (): DispatchReport => ({ claimed: 0, sent: 0, retried: 0, failed: 0, recovered: 0 });

function add(a: DispatchReport, b: DispatchReport): DispatchReport {
  return { claimed: a.claimed + b.claimed, sent: a.sent + b.sent, retried: a.retried + b.retried, failed: a.failed + b.failed, recovered: a.recovered + b.recovered };
}

interface ClaimedRow {
  id: string;
  idempotencyKey: string;
  kind: string;
  groupId: string | null;
  personId: string | null;
  platform: string;
  payloadJson: string;
  attempts: number;
  lastError: string | null;
  claimedBy: string | null;
}

/** Our own timeout on a send: the platform may or may not have the message. */
class SendTimeoutError extends TransientChatError {}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Dispatcher {
  private readonly db: Db;
  private readonly ports = new Map<Platform, ChatPort>();
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly pausedUntil = new Map<Platform, number>();
  private claimCounter = 0;
  /**
   * Claim size per platform after a rate limit: 1 when it resumes, doubling with each round that
   * sends without a 429, back to batchSize. Claiming a full batch straight after a pause meant
   * one more 429 and the whole batch written back (the delivery benchmark saw ~13 claims and
   * requeues per message delivered under Slack's Tier 3 limit).
   */
  private readonly ramp = new Map<Platform, number>();
  private rampedUp = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.db = options.db;
    for (const p of options.ports) this.ports.set(p.platform, p);
    this.clock = options.clock;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? { baseMs: 30_000, maxMs: 3_600_000 };
  }

  get platforms(): Platform[] {
    return [...this.ports.keys()];
  }

  /** One round: a batch per platform, platforms in parallel (a paused platform blocks no other). */
  async dispatchOnce(): Promise<DispatchReport> {
    const now = this.clock().getTime();
    const ready = this.platforms.filter((p) => (this.pausedUntil.get(p) ?? 0) <= now);
    const reports = await Promise.all(ready.map((p) => this.dispatchPlatform(p)));
    return reports.reduce(add, emptyReport());
  }

  /**
   * Sends everything due now, waiting out rate limits and short backoffs, and returns when no
   * row for our platforms is due (or can become due within maxWaitMs). For the CLI and tests.
   */
  async drain(options: { maxWaitMs?: number; timeoutMs?: number } = {}): Promise<DispatchReport> {
    const maxWait = options.maxWaitMs ?? 5_000;
    const timedOut = deadline(options.timeoutMs ?? 120_000);
    let total = emptyReport();
    while (!timedOut()) {
      const r = await this.dispatchOnce();
      total = add(total, r);
      if (r.claimed > 0) continue;
      const wait = await this.msUntilNextDue();
      if (wait === null || wait > maxWait) break;
      await sleep(Math.max(5, Math.min(wait, 250)));
    }
    return total;
  }

  /** ms until the next of our rows can be claimed (pending, a retry, or an expired lease); null if none. */
  private async msUntilNextDue(): Promise<number | null> {
    const now = this.clock().getTime();
    const [pending, leased] = await Promise.all([
      this.db.outboxMessage.findFirst({ where: { status: 'pending', platform: { in: this.platforms } }, orderBy: { notBefore: 'asc' }, select: { notBefore: true, platform: true } }),
      this.db.outboxMessage.findFirst({ where: { status: 'sending', platform: { in: this.platforms } }, orderBy: { claimedUntil: 'asc' }, select: { claimedUntil: true } }),
    ]);
    const times: number[] = [];
    if (pending) times.push(Math.max(pending.notBefore.getTime(), this.pausedUntil.get(pending.platform as Platform) ?? 0));
    if (leased?.claimedUntil) times.push(leased.claimedUntil.getTime());
    return times.length ? Math.max(0, Math.min(...times) - now) : null;
  }

  /** Runs rounds every intervalMs (immediately again while batches come back full) until stop(). */
  start(intervalMs: number): void {
    this.stopped = false;
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      let again = false;
      try {
        const r = await this.dispatchOnce();
        // A full batch, or a ramp-up round that went well: there is likely more to send now.
        again = r.claimed >= this.batchSize || this.rampedUp;
        this.rampedUp = false;
      } catch (e) {
        this.options.logger?.error({ err: e }, 'dispatch round failed');
      }
      if (!this.stopped) this.timer = setTimeout(() => void (this.running = loop()), again ? 0 : intervalMs);
    };
    this.running = loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async claim(platform: Platform, limit: number): Promise<{ token: string; rows: ClaimedRow[] }> {
    const now = this.clock();
    this.claimCounter += 1;
    const token = `${this.options.instanceId}#${this.claimCounter}`;
    const until = new Date(now.getTime() + this.leaseMs);
    const pg = this.options.provider === 'postgresql';
    const p = (n: number) => (pg ? `$${n}` : '?');
    // Old values on the right-hand side: a row taken over from a dead claimer is marked, so the
    // port is told this send may repeat one the platform already has.
    const sql = `
      UPDATE "OutboxMessage" SET
        "status" = 'sending',
        "claimedBy" = ${p(1)},
        "claimedUntil" = ${p(2)},
        "attempts" = "attempts" + 1,
        "lastError" = CASE WHEN "status" = 'sending' THEN ${p(3)} || COALESCE("claimedBy", '?') ELSE "lastError" END
      WHERE "id" IN (
        SELECT "id" FROM "OutboxMessage"
        WHERE "platform" = ${p(4)} AND "notBefore" <= ${p(5)}
          AND ("status" = 'pending' OR ("status" = 'sending' AND "claimedUntil" < ${p(6)}))
        ORDER BY "notBefore", "id"
        LIMIT ${p(7)}
        ${pg ? 'FOR UPDATE SKIP LOCKED' : ''}
      )
      RETURNING "id"`;
    const claimed = await this.db.$queryRawUnsafe<{ id: string }[]>(sql, token, until, `${RECOVERED_PREFIX}previous claim `, platform, now, now, limit);
    if (claimed.length === 0) return { token, rows: [] };
    const rows = await this.db.outboxMessage.findMany({
      where: { id: { in: claimed.map((r) => r.id) }, claimedBy: token },
      orderBy: [{ notBefore: 'asc' }, { id: 'asc' }],
      select: { id: true, idempotencyKey: true, kind: true, groupId: true, personId: true, platform: true, payloadJson: true, attempts: true, lastError: true, claimedBy: true },
    });
    return { token, rows };
  }

  private async dispatchPlatform(platform: Platform): Promise<DispatchReport> {
    const report = emptyReport();
    const port = this.ports.get(platform)!;
    const limit = this.ramp.get(platform) ?? this.batchSize;
    const { token, rows } = await this.claim(platform, limit);
    let rateLimited = false;
    report.claimed = rows.length;
    const log = this.options.logger?.child({ platform, claim: token });
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i]!;
      const recovering = row.lastError?.startsWith(RECOVERED_PREFIX) ?? false;
      // Renew the lease for this row just before sending: earlier sends in the batch took time.
      const renewed = await this.db.outboxMessage.updateMany({
        where: { id: row.id, claimedBy: token, status: 'sending' },
        data: { claimedUntil: new Date(this.clock().getTime() + this.leaseMs) },
      });
      if (renewed.count === 0) continue; // lost the lease to another dispatcher: it sends this one
      let result: SendResult;
      try {
        const payload = decodePayload(row.payloadJson);
        if (!payload) throw new UndeliverableError('the stored message cannot be read (payload version)');
        const to = await resolveAddress(this.db, row);
        result = await this.withTimeout(port.send(to, payload.message, { idempotencyKey: row.idempotencyKey, attempt: row.attempts, recovering }));
        await this.markSent(row, token, result, to.conversationId, payload.meetingDate);
        report.sent += 1;
        if (recovering) report.recovered += 1;
      } catch (e) {
        if (e instanceof RateLimitedError) {
          const resumeAt = this.clock().getTime() + e.retryAfterMs;
          this.pausedUntil.set(platform, resumeAt);
          this.ramp.set(platform, 1);
          rateLimited = true;
          log?.warn({ retryAfterMs: e.retryAfterMs }, 'rate limited: pausing this platform');
          await this.requeue(row, token, new Date(resumeAt), `rate limited: retry after ${e.retryAfterMs} ms`, false, recovering);
          // The rest of the batch goes back untouched (not an attempt), for after the pause.
          // One statement: untouched rows keep their lastError (and so any recovered mark).
          const rest = rows.slice(i + 1).map((r) => r.id);
          if (rest.length > 0) {
            await this.db.outboxMessage.updateMany({
              where: { id: { in: rest }, claimedBy: token },
              data: { status: 'pending', claimedBy: null, claimedUntil: null, attempts: { decrement: 1 } },
            });
          }
          report.retried += rows.length - i;
          break;
        }
        if (e instanceof SendTimeoutError && row.attempts < this.maxAttempts) {
          // No answer is not "not delivered": the next attempt is told it may be a repeat, like after a crash.
          await this.requeue(row, token, new Date(this.clock().getTime() + this.backoff.baseMs), `${RECOVERED_PREFIX}${e.message}`, true, false);
          report.retried += 1;
          continue;
        }
        if (e instanceof TransientChatError && row.attempts < this.maxAttempts) {
          const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (row.attempts - 1));
          await this.requeue(row, token, new Date(this.clock().getTime() + delay), e.message, true, false);
          report.retried += 1;
          continue;
        }
        const message = e instanceof Error ? e.message : String(e);
        await this.db.outboxMessage.updateMany({
          where: { id: row.id, claimedBy: token },
          data: { status: 'failed', claimedUntil: null, lastError: e instanceof TransientChatError ? `gave up after ${row.attempts} attempts: ${message}` : message },
        });
        log?.warn({ key: row.idempotencyKey, err: message }, 'delivery failed permanently');
        report.failed += 1;
      }
    }
    if (!rateLimited && limit < this.batchSize && report.sent > 0) {
      const next = limit * 2;
      if (next >= this.batchSize) this.ramp.delete(platform);
      else this.ramp.set(platform, next);
      this.rampedUp = true;
    }
    return report;
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    // A send that outlasts half the lease is abandoned as transient, before another dispatcher could take the row.
    const ms = Math.max(1000, Math.floor(this.leaseMs / 2));
    let t: NodeJS.Timeout | undefined;
    return Promise.race([
      p.finally(() => clearTimeout(t)),
      new Promise<T>((_, reject) => {
        t = setTimeout(() => reject(new SendTimeoutError(`send timed out: no answer within ${ms} ms`)), ms);
      }),
    ]);
  }

  /**
   * Puts a claimed row back. countsAsAttempt=false (rate limits, untouched rows) gives the attempt
   * back. A recovering row keeps its mark unless it was really attempted and failed.
   */
  private async requeue(row: ClaimedRow, token: string, notBefore: Date | null, error: string | null, countsAsAttempt: boolean, keepRecoveredMark: boolean) {
    await this.db.outboxMessage.updateMany({
      where: { id: row.id, claimedBy: token },
      data: {
        status: 'pending',
        claimedBy: null,
        claimedUntil: null,
        ...(notBefore ? { notBefore } : {}),
        ...(countsAsAttempt ? {} : { attempts: { decrement: 1 } }),
        ...(keepRecoveredMark ? {} : error !== null ? { lastError: error } : {}),
      },
    });
  }

  private async markSent(row: ClaimedRow, token: string, result: SendResult, conversationId: string, meetingDate: string | undefined) {
    const sentAt = this.clock();
    await this.db.$transaction(async (tx) => {
      const marked = await tx.outboxMessage.updateMany({
        where: { id: row.id, claimedBy: token },
        data: { status: 'sent', sentAt, providerMessageId: result.providerMessageId, claimedUntil: null },
      });
      if (marked.count === 0) {
        this.options.logger?.warn({ key: row.idempotencyKey }, 'sent after losing the lease: another dispatcher may send it again');
        return;
      }
      // The update round's thread: replies to it become the highlight report's sections.
      if (row.kind === 'thread-open' && meetingDate && row.groupId && row.platform !== 'console') {
        const meeting = await tx.meeting.upsert({
          where: { groupId_date: { groupId: row.groupId, date: meetingDate } },
          create: { groupId: row.groupId, date: meetingDate },
          update: {},
        });
        const convo = result.conversationId ?? conversationId;
        await tx.updateThread.upsert({
          where: { meetingId_platform: { meetingId: meeting.id, platform: row.platform } },
          create: { meetingId: meeting.id, platform: row.platform, conversationId: convo, threadId: result.providerMessageId, openedAt: sentAt },
          update: {},
        });
      }
    });
  }
}
