/**
 * The inbox (issue 19 pt 1): every click a person makes, from any channel, is written here BEFORE
 * it is acknowledged, because Slack never resends an interaction it was told we received. Then:
 *
 *  - the process that received it works it at once (`work`: the interaction, then the channel's
 *    teller tells the person, then the row is marked done), through a bounded queue: when the
 *    queue is full, new clicks are not taken (`hasRoom`) and the channel says "busy, try again in
 *    a moment" instead of piling up work nobody will wait for;
 *  - a row is claimed with a lease (INBOX_LEASE_MS): if its process dies, any process (the
 *    restarted one, another replica) claims it once the lease has run out (`sweep`, at start-up
 *    and every few seconds), works it — the interactions are idempotent by the row's key, so a
 *    click worked twice is recorded once — and tells the person the outcome on their platform;
 *  - a database failure puts the row back for a later attempt; after `maxAttempts` the person is
 *    told it did not work (so nothing acknowledged ends silently).
 *
 * Channel-neutral: the adapters register a teller per platform and say what a click means
 * (kind + neutral input); what each kind does is in ./work.ts (the interactions service).
 */
import { stopwatch, type Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { sqlOf, type SqlRunner } from '../../db/sql.js';
import type { Logger } from '../../logging.js';
import { claimUnfinished, countUnfinished, insertInteraction, markDone, purgeDone, readInteraction, release, type InboxPlatform, type NewInteraction, type StoredInteraction } from './store.js';
import { outcomeName, workInteraction, type InboxResult } from './work.js';

export type { InboxKind, InboxPlatform, NewInteraction, StoredInteraction, Who } from './store.js';
export { outcomeName, type InboxResult } from './work.js';

/**
 * Tells the person what became of their click. `live` is what the receiving request still holds
 * (Slack's respond function and the message as it was; Teams' pending answer); absent when
 * another process, or a later sweep, finishes an interaction.
 */
export type Teller = (item: StoredInteraction, result: InboxResult, live: unknown) => Promise<void>;

export interface InboxOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Who claims (the replica): INSTANCE_ID. */
  instanceId: string;
  /** How long a claim lasts before another process may finish the interaction (default 30 s). */
  leaseMs?: number;
  /** Clicks queued or being worked, at most; beyond it new clicks are turned away as "busy" (default 500). */
  maxQueued?: number;
  /** Clicks worked at once (each waits on the database and on its platform's API; default 16). */
  concurrency?: number;
  /** How often to look for interactions an earlier process left (default 5 s; 0: only when asked). */
  sweepMs?: number;
  /** Attempts before the person is told it did not work (default 5). */
  maxAttempts?: number;
}

/** How long finished rows are kept (for "what happened to my click" questions), then purged. */
const KEEP_DONE_MS = 7 * 86_400_000;

interface Task {
  item: StoredInteraction;
  live: unknown;
  owned: boolean;
  done: () => void;
}

export class Inbox {
  private readonly tellers = new Map<InboxPlatform, Teller>();
  private readonly queue: Task[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private lastPurge = -Infinity;
  private readonly sql: SqlRunner;
  private readonly leaseMs: number;
  private readonly maxQueued: number;
  private readonly concurrency: number;
  private readonly sweepMs: number;
  private readonly maxAttempts: number;
  private readonly log: Logger;
  private idleWaiters: (() => void)[] = [];
  private claims = 0;

  constructor(private readonly o: InboxOptions) {
    const sql = sqlOf(o.db);
    if (!sql) throw new Error('the inbox needs a database opened with openDatabase (src/db/client.ts)');
    this.sql = sql;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.maxQueued = o.maxQueued ?? 500;
    this.concurrency = o.concurrency ?? 16;
    this.sweepMs = o.sweepMs ?? 5_000;
    this.maxAttempts = o.maxAttempts ?? 5;
    this.log = o.logger.child({ component: 'inbox' });
  }

  /** A channel's way of telling its people; interactions of platforms without one are left to others. */
  register(platform: InboxPlatform, teller: Teller): void {
    this.tellers.set(platform, teller);
  }

  /** Clicks queued or being worked in this process. */
  depth(): number {
    return this.queue.length + this.running;
  }

  /** Whether a new click may be taken; when not, the channel answers "busy, try again in a moment". */
  hasRoom(): boolean {
    return this.depth() < this.maxQueued;
  }

  /** Unfinished interactions in the database (every process's). */
  unfinished(): Promise<number> {
    return countUnfinished(this.sql);
  }

  /**
   * Writes the click (before the channel acknowledges it). 'new': this process holds it and must
   * `work` it. 'repeat': the same key arrived before (Slack's retry, a double click); it is worked
   * again without taking the row over (idempotent: nothing is recorded twice).
   */
  async receive<Reply>(n: NewInteraction<Reply>): Promise<{ status: 'new' | 'repeat'; item: StoredInteraction<Reply> }> {
    const until = new Date(n.receivedAt.getTime() + this.leaseMs);
    const item = await insertInteraction(this.sql, n, this.claimToken(), until);
    if (item) return { status: 'new', item };
    const existing = await readInteraction<Reply>(this.sql, n.key);
    // Gone between the two statements (purged): work what arrived, as new work nobody holds.
    return { status: 'repeat', item: existing ?? { ...n, personId: null, attempts: 0 } };
  }

  /**
   * Works a click and tells its person; resolves when that is done (or put back for a later
   * attempt). Waits its turn in the bounded queue.
   */
  work(item: StoredInteraction, live?: unknown, o: { owned?: boolean } = {}): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push({ item, live, owned: o.owned ?? true, done: resolve });
      this.pump();
    });
  }

  /** Finds interactions no live process holds (an earlier process died; a retry is due) and works them. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /** Sweeps now and then every `sweepMs`. */
  start(): void {
    if (this.timer || this.sweepMs <= 0) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  /**
   * Stops sweeping and waits (up to graceMs) for the clicks in hand. Whatever is left stays in the
   * database, claimed until its lease runs out: the next process finishes it. True when drained.
   */
  async stop(graceMs = 20_000): Promise<boolean> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
    if (this.depth() === 0) return true;
    const drained = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), graceMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
    if (!drained) this.log.error({ left: this.depth() }, 'inbox: stopped with clicks still in hand; the next process finishes them');
    return drained;
  }

  private claimToken(): string {
    return this.o.instanceId;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.running += 1;
      void this.run(task).finally(() => {
        this.running -= 1;
        task.done();
        if (this.depth() === 0) for (const w of this.idleWaiters.splice(0)) w();
        this.pump();
      });
    }
  }

  private async run(task: Task): Promise<void> {
    const { item } = task;
    const log = this.log.child({ key: item.key, kind: item.kind, platform: item.platform });
    let result: InboxResult;
    try {
      result = await workInteraction(this.o.db, item);
    } catch (e) {
      if (!task.owned) {
        log.warn({ err: e }, 'inbox: a repeated click failed; the first delivery is worked on its own');
        return;
      }
      if (item.attempts < this.maxAttempts) {
        // Most likely the database (a restart, a lost connection): try again later, from any process.
        const retryAt = new Date(this.o.clock().getTime() + Math.min(60_000, 1000 * 2 ** item.attempts));
        log.warn({ err: e, attempts: item.attempts }, 'inbox: could not work the click; it will be tried again');
        await release(this.sql, item.key, retryAt, String((e as Error)?.message ?? e).slice(0, 500)).catch((err: unknown) => log.error({ err }, 'inbox: could not put the click back; its lease runs out instead'));
        return;
      }
      log.error({ err: e, attempts: item.attempts }, 'inbox: giving up on a click: the person is told to try again');
      result = { kind: 'failed' };
    }
    let tellError: string | null = null;
    const teller = this.tellers.get(item.platform);
    try {
      if (!teller) throw new Error(`no teller for ${item.platform}`);
      await teller(item, result, task.live);
    } catch (e) {
      // Recorded (or decided) already: failing to say so must not undo it or repeat it.
      tellError = `not told: ${String((e as Error)?.message ?? e)}`.slice(0, 500);
      log.warn({ err: e }, 'inbox: could not tell the person the outcome');
    }
    if (!task.owned) return;
    await markDone(this.sql, item.key, outcomeName(result), this.o.clock(), tellError).catch((err: unknown) => {
      // Its lease runs out and a sweep works it again: recorded once (by its key), told twice.
      log.error({ err }, 'inbox: could not mark the click done');
    });
  }

  private async sweepOnce(): Promise<void> {
    const elapsed = stopwatch();
    try {
      const now = this.o.clock();
      const room = this.maxQueued - this.depth();
      const items = await claimUnfinished(this.sql, {
        platforms: [...this.tellers.keys()],
        claimedBy: this.claimToken(),
        now,
        until: new Date(now.getTime() + this.leaseMs),
        limit: Math.min(50, room),
      });
      if (items.length > 0) {
        this.claims += items.length;
        this.log.info({ claimed: items.length, ms: Math.round(elapsed()) }, 'inbox: finishing clicks an earlier process left');
        await Promise.all(items.map((item) => this.work(item)));
      }
      if (now.getTime() - this.lastPurge > 3_600_000) {
        this.lastPurge = now.getTime();
        await purgeDone(this.sql, new Date(now.getTime() - KEEP_DONE_MS));
      }
    } catch (e) {
      this.log.warn({ err: e }, 'inbox: sweep failed; trying again at the next one');
    }
  }

  /** Interactions this process took over from earlier ones (tests, logs). */
  get recovered(): number {
    return this.claims;
  }
}
