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
 *
 * Our own database is not the platform (issue 19): a lost connection or a busy database
 * (isTransientDatabaseError) never makes a row final. Before the send it puts the row back
 * without counting an attempt; raised from inside a port's send it also marks the row
 * recovering (the port may have posted). After the platform accepted a message, recording
 * 'sent' is retried within the lease; if that still fails the row is left 'sending' for its
 * lease to expire, and the next claimer's recovering send finds the message instead of posting
 * it again. A send that failed transiently may have reached the platform (a 5xx or a reset
 * after Slack posted), so its retry is recovering too; and a recovering row stays recovering
 * until it is sent or failed: a rate-limited or failed lookup is retried, never taken as
 * "not sent".
 */
import type { ChatPort, Platform, SendResult } from '../core/chat.js';
import { RateLimitedError, TransientChatError } from '../core/chat.js';
import { deadline, type Clock } from '../clock.js';
import type { Db, DbProvider } from '../db/client.js';
import { isTransientDatabaseError } from '../db/errors.js';
import type { Logger } from '../logging.js';
import { isRouteUnavailable } from '../core/chat.js';
import { decodePayload, resolveAddress, UndeliverableError } from './outbox.js';
import { failedRoutesOf, loadPersonReach, ROUTE_DEFS, routeOfPlatform, routesFor, type FailedRoute, type Route } from './routes.js';

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
  /** Told what became of each attempt (metrics); must not throw. */
  onDelivery?: ((e: DeliveryEvent) => void) | undefined;
}

/** What one attempt at one outbox row came to, by platform (the message's route) and kind. */
export interface DeliveryEvent {
  platform: Platform;
  kind: string;
  outcome: 'sent' | 'failed' | 'retried';
  /** Why it was put back: a 429, a transient platform error, no answer in time, our database, or sent but not yet recorded. */
  reason?: 'rate-limited' | 'transient' | 'timeout' | 'database' | 'unrecorded' | 'fallback';
  /** Sent as recovering: an earlier attempt may have reached the platform (and the port looked first). */
  recovering?: boolean;
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
  route: string | null;
  fallbacksJson: string | null;
}

/** Our own timeout on a send: the platform may or may not have the message. */
class SendTimeoutError extends TransientChatError {}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Waits between retries of our own database writes: short, because a pool reconnects at once. */
const DB_RETRY_MS = [50, 100, 200, 400, 800, 1_600, 3_200];

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
      select: { id: true, idempotencyKey: true, kind: true, groupId: true, personId: true, platform: true, payloadJson: true, attempts: true, lastError: true, claimedBy: true, route: true, fallbacksJson: true },
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
      // Where we are decides what an error means: before the send nothing reached the platform;
      // after it, the platform has the message whatever our database says.
      let stage: 'prepare' | 'send' | 'record' = 'prepare';
      let result: SendResult | undefined;
      try {
        // Renew the lease for this row just before sending: earlier sends in the batch took time.
        const renewed = await this.db.outboxMessage.updateMany({
          where: { id: row.id, claimedBy: token, status: 'sending' },
          data: { claimedUntil: new Date(this.clock().getTime() + this.leaseMs) },
        });
        if (renewed.count === 0) continue; // lost the lease to another dispatcher: it sends this one
        const payload = decodePayload(row.payloadJson);
        if (!payload) throw new UndeliverableError('the stored message cannot be read (payload version)');
        const to = await resolveAddress(this.db, row);
        stage = 'send';
        result = await this.withTimeout(port.send(to, payload.message, { idempotencyKey: row.idempotencyKey, attempt: row.attempts, recovering }));
        stage = 'record';
        const sent = result;
        await this.retryingDb(() => this.markSent(row, token, sent, to.conversationId, payload.meetingDate));
        report.sent += 1;
        if (recovering) report.recovered += 1;
        this.tell({ platform, kind: row.kind, outcome: 'sent', recovering });
      } catch (e) {
        if (stage === 'record') {
          // Delivered, and the database would not take it within the lease: leave the row 'sending'.
          // When the lease expires the next claimer sends it as recovering and finds this message.
          log?.error({ key: row.idempotencyKey, providerMessageId: result?.providerMessageId, err: messageOf(e) }, 'delivered but could not record it: the next claim will find it instead of sending again');
          report.retried += 1;
          this.tell({ platform, kind: row.kind, outcome: 'retried', reason: 'unrecorded' });
          continue;
        }
        if (e instanceof RateLimitedError) {
          const resumeAt = this.clock().getTime() + e.retryAfterMs;
          this.pausedUntil.set(platform, resumeAt);
          this.ramp.set(platform, 1);
          rateLimited = true;
          log?.warn({ retryAfterMs: e.retryAfterMs }, 'rate limited: pausing this platform');
          // The rest of the batch goes back untouched (not an attempt), for after the pause.
          // One statement: untouched rows keep their lastError (and so any recovered mark).
          const rest = rows.slice(i + 1).map((r) => r.id);
          report.retried += rows.length - i;
          this.tell({ platform, kind: row.kind, outcome: 'retried', reason: 'rate-limited' });
          await this.settle(row, log, async () => {
            await this.requeue(row, token, new Date(resumeAt), `rate limited: retry after ${e.retryAfterMs} ms`, false, recovering);
            if (rest.length > 0) {
              await this.db.outboxMessage.updateMany({
                where: { id: { in: rest }, claimedBy: token },
                data: { status: 'pending', claimedBy: null, claimedUntil: null, attempts: { decrement: 1 } },
              });
            }
          });
          break;
        }
        if (isTransientDatabaseError(e)) {
          // Our database, not the platform: never final, and not an attempt at delivery.
          // From inside a send (a port reads the database too) the platform may have the message.
          const mayHaveArrived = stage === 'send' || recovering;
          const lastError = `${mayHaveArrived ? RECOVERED_PREFIX : ''}database unavailable${stage === 'send' ? ' during the send' : ''}: ${messageOf(e)}`;
          log?.warn({ key: row.idempotencyKey, err: messageOf(e) }, 'database error: the message will be retried');
          this.tell({ platform, kind: row.kind, outcome: 'retried', reason: 'database' });
          await this.settle(row, log, () => this.requeue(row, token, new Date(this.clock().getTime() + this.backoff.baseMs), lastError, false));
          report.retried += 1;
          continue;
        }
        if (e instanceof SendTimeoutError && row.attempts < this.maxAttempts) {
          // No answer is not "not delivered": the next attempt is told it may be a repeat, like after a crash.
          this.tell({ platform, kind: row.kind, outcome: 'retried', reason: 'timeout' });
          await this.settle(row, log, () => this.requeue(row, token, new Date(this.clock().getTime() + this.backoff.baseMs), `${RECOVERED_PREFIX}${e.message}`, true));
          report.retried += 1;
          continue;
        }
        if (e instanceof TransientChatError && row.attempts < this.maxAttempts) {
          // A 5xx or a reset connection does not say the platform has nothing: the retry looks first.
          this.tell({ platform, kind: row.kind, outcome: 'retried', reason: 'transient' });
          const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (row.attempts - 1));
          await this.settle(row, log, () => this.requeue(row, token, new Date(this.clock().getTime() + delay), `${RECOVERED_PREFIX}${e.message}`, true));
          report.retried += 1;
          continue;
        }
        const message = messageOf(e);
        if (isRouteUnavailable(e) && row.personId) {
          // This person cannot be reached this way at all: their next route, if they have one.
          const next = await this.nextRoute(row).catch(() => null);
          if (next) {
            // settle never throws: a move it could not record is retried when the lease expires.
            await this.settle(row, log, () => this.fallBack(row, token, next, message));
            log?.info({ key: row.idempotencyKey, from: row.route ?? platform, to: next }, 'route unavailable: falling back to the next route');
            report.retried += 1;
            this.tell({ platform, kind: row.kind, outcome: 'retried', reason: 'fallback' });
            continue;
          }
        }
        const lastError = e instanceof TransientChatError ? `gave up after ${row.attempts} attempts: ${message}` : message;
        await this.settle(row, log, () => this.db.outboxMessage.updateMany({ where: { id: row.id, claimedBy: token }, data: { status: 'failed', claimedUntil: null, lastError } }));
        log?.warn({ key: row.idempotencyKey, err: message }, 'delivery failed permanently');
        report.failed += 1;
        this.tell({ platform, kind: row.kind, outcome: 'failed' });
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

  /**
   * Runs one of our own writes, retrying transient database errors for up to a quarter of the
   * lease (the send before it had at most half): a terminated connection is replaced by the
   * pool at once, so the first retry normally succeeds.
   */
  private async retryingDb<T>(op: () => Promise<T>): Promise<T> {
    let waited = 0;
    let lastTransient: unknown;
    for (const delay of [0, ...DB_RETRY_MS]) {
      if (delay > 0) {
        if (waited + delay > this.leaseMs / 4) break;
        await sleep(delay);
        waited += delay;
      }
      try {
        return await op();
      } catch (e) {
        if (!isTransientDatabaseError(e)) throw e;
        lastTransient = e;
      }
    }
    throw lastTransient;
  }

  /**
   * Records the outcome of a failed attempt. If the database will not take it, the row stays
   * 'sending' until its lease expires and is claimed again as recovering: a repeat of a send
   * that failed is looked up first, so nothing is lost and nothing doubled.
   */
  private async settle(row: ClaimedRow, log: Logger | undefined, write: () => Promise<unknown>): Promise<void> {
    try {
      await this.retryingDb(write);
    } catch (e) {
      log?.error({ key: row.idempotencyKey, err: messageOf(e) }, 'could not record the attempt: the row is retried when its lease expires');
    }
  }

  /** The route a row is on (rows from before routes: the one route of their platform). */
  private routeOf(row: ClaimedRow): string {
    return row.route ?? routeOfPlatform(row.platform) ?? row.platform;
  }

  /** The person's next route after the ones this row has tried, among the platforms this dispatcher sends on. */
  private async nextRoute(row: ClaimedRow): Promise<Route | null> {
    const reach = (await loadPersonReach(this.db, [row.personId!])).get(row.personId!);
    if (!reach) return null;
    const tried = new Set([...failedRoutesOf(row.fallbacksJson).map((f) => f.route), this.routeOf(row)]);
    return routesFor(reach, this.platforms).find((r) => !tried.has(r)) ?? null;
  }

  /** Moves the row to `next`: due now, a fresh count of attempts, the failed route recorded. */
  private async fallBack(row: ClaimedRow, token: string, next: Route, error: string): Promise<void> {
    const failed: FailedRoute[] = [...failedRoutesOf(row.fallbacksJson), { route: this.routeOf(row), error }];
    await this.db.outboxMessage.updateMany({
      where: { id: row.id, claimedBy: token },
      data: {
        status: 'pending', claimedBy: null, claimedUntil: null, attempts: 0, notBefore: this.clock(),
        platform: ROUTE_DEFS[next].platform, route: next, fallbacksJson: JSON.stringify(failed),
        lastError: `${this.routeOf(row)} unavailable (${error}): trying ${next}`,
      },
    });
  }

  private tell(e: DeliveryEvent): void {
    try {
      this.options.onDelivery?.(e);
    } catch (err) {
      this.options.logger?.warn({ err }, 'delivery observer failed');
    }
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
   * Puts a claimed row back. countsAsAttempt=false (rate limits, database errors) gives the
   * attempt back. keepLastError leaves lastError as it was (a rate-limited recovering row keeps
   * its recovered mark and the reason for it).
   */
  private async requeue(row: ClaimedRow, token: string, notBefore: Date | null, error: string | null, countsAsAttempt: boolean, keepLastError = false) {
    await this.db.outboxMessage.updateMany({
      where: { id: row.id, claimedBy: token },
      data: {
        status: 'pending',
        claimedBy: null,
        claimedUntil: null,
        ...(notBefore ? { notBefore } : {}),
        ...(countsAsAttempt ? {} : { attempts: { decrement: 1 } }),
        ...(keepLastError || error === null ? {} : { lastError: error }),
      },
    });
  }

  private async markSent(row: ClaimedRow, token: string, result: SendResult, conversationId: string, meetingDate: string | undefined) {
    const sentAt = this.clock();
    await this.db.$transaction(async (tx) => {
      const marked = await tx.outboxMessage.updateMany({
        where: { id: row.id, claimedBy: token },
        data: { status: 'sent', sentAt, providerMessageId: result.providerMessageId, claimedUntil: null, route: this.routeOf(row) },
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
