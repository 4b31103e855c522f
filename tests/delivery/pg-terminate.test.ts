/**
 * PostgreSQL terminates the bot's connections while it dispatches (issue 19 pt 2: a fault run saw
 * 5 rows end `failed` with "terminating connection due to administrator command", 3 nudges never
 * sent and 2 delivered but marked failed). The real dispatcher, the real Slack ChatPort and
 * WebClient against FakeSlack; around some sends every backend of the test database is killed
 * with pg_terminate_backend — just before the send (the port's own query and the next row's
 * lease renewal meet a dead connection) or just after Slack accepted the message (recording
 * 'sent' meets one). After: every message sent exactly once, and each row says what Slack has.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../src/adapters/slack/app.js';
import { createSlackChatPort } from '../../src/adapters/slack/chat-port.js';
import { loadConfig } from '../../src/config.js';
import type { ChatPort } from '../../src/core/chat.js';
import { openDatabase } from '../../src/db/client.js';
import { isTransientDatabaseError } from '../../src/db/errors.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/logging.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { captureLogger } from '../teams/support/harness.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';
import { plannedNudge } from './support.js';

const MESSAGES = 24;

describe.runIf(await postgresAvailable())('PostgreSQL backends terminated mid-dispatch', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let locker: pg.Client;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  let now = new Date('2026-12-01T10:00:00Z').getTime();
  const clock = () => new Date(now);

  beforeAll(async () => {
    t = await createTestDatabase('postgresql');
    world = await makeStandardGroup(t.db);
    fake = await new FakeSlack().start();
    // On the test database itself, to lock its tables; it never terminates itself.
    locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await fake?.stop();
    await t?.destroy();
  });

  /**
   * The next statement the bot runs on `table` blocks behind our lock and, while it waits on the
   * server, every backend of the bot is terminated: that statement fails mid-flight, as when an
   * administrator or a failover kills connections (an idle pooled connection is simply replaced).
   * Resolves once the lock is held; `done` when the kill happened and the lock is released.
   */
  async function killNextStatementOn(table: string, mode: 'EXCLUSIVE' | 'ACCESS EXCLUSIVE'): Promise<{ done: Promise<number> }> {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${table}" IN ${mode} MODE`);
    const done = (async () => {
      try {
        // pg_stat_activity is read once per transaction unless the snapshot is cleared: we are in one.
        for (let i = 0; i < 400; i += 1) {
          await locker.query('SELECT pg_stat_clear_snapshot()');
          const waiting = await locker.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
          if ((waiting.rowCount ?? 0) > 0) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        await locker.query('SELECT pg_stat_clear_snapshot()');
        const killed = await locker.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        return killed.rowCount ?? 0;
      } finally {
        await locker.query('COMMIT');
      }
    })();
    return { done };
  }

  it('sends every message exactly once, with every row marked sent', async () => {
    const people = [world.owner, world.manager, world.chair];
    const planned = Array.from({ length: MESSAGES }, (_, i) => plannedNudge(`terminate:${i}`, people[i % 3]!, { notBefore: new Date(now - 60_000) }));
    await writeOutbox(t.db, planned, { platforms: ['slack'], now: clock() });
    const config = loadConfig({ SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-terminate', SLACK_SIGNING_SECRET: 'terminate-signing-secret', SLACK_API_URL: fake.apiUrl });
    const slack = createSlackChatPort({ client: createSlackWebClient(config, silentLogger, 'outbox'), db: t.db, workspaceId: world.workspaceId, logger: silentLogger });
    let sends = 0;
    const kills: Promise<number>[] = [];
    const killing: ChatPort = {
      platform: 'slack',
      async send(to, message, context) {
        sends += 1;
        const result = await slack.send(to, message, context);
        // Slack has the message. Then either recording 'sent' dies mid-statement, or the next
        // row's address lookup does (a message not yet sent).
        if (sends % 4 === 1) kills.push((await killNextStatementOn('OutboxMessage', 'EXCLUSIVE')).done);
        if (sends % 4 === 3) kills.push((await killNextStatementOn('Person', 'ACCESS EXCLUSIVE')).done);
        return result;
      },
    };
    const { logger, lines } = captureLogger();
    const dispatcher = new Dispatcher({ db: t.db, provider: 'postgresql', ports: [killing], instanceId: 'terminated', clock, logger, batchSize: 5 });

    // Rounds a few seconds of (fake) time apart: retries wait their back-off, expired leases are claimed again.
    for (let round = 0; round < 400; round += 1) {
      await dispatcher.dispatchOnce().catch((e: unknown) => {
        // A round whose claim met a dead connection: the loop logs it and tries again next round.
        if (!isTransientDatabaseError(e)) throw e;
      });
      await Promise.all(kills.splice(0));
      const open = await t.db.outboxMessage.count({ where: { status: { not: 'sent' } } }).catch(() => -1);
      if (open === 0) break;
      now += 5_000;
    }

    // The connections really were lost under the dispatcher, not just beside it.
    expect(lines.filter((l) => /database error|could not record/.test(String(l.msg))).length).toBeGreaterThan(0);

    const rows = await t.db.outboxMessage.findMany({ orderBy: { idempotencyKey: 'asc' } });
    expect(rows.filter((r) => r.status !== 'sent').map((r) => [r.idempotencyKey, r.status, r.lastError])).toEqual([]);
    const posted = new Map<string, string[]>();
    for (const m of fake.messages.values()) {
      const key = (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '(none)';
      posted.set(key, [...(posted.get(key) ?? []), m.ts]);
    }
    expect([...posted.keys()].sort()).toEqual(planned.map((p) => p.idempotencyKey).sort());
    expect([...posted.entries()].filter(([, ts]) => ts.length !== 1)).toEqual([]);
    expect(sends).toBeGreaterThanOrEqual(MESSAGES);
    // Each row holds the ts of the one message Slack has for it.
    expect(rows.filter((r) => posted.get(r.idempotencyKey)?.[0] !== r.providerMessageId).map((r) => r.idempotencyKey)).toEqual([]);
  });

  it('a statement cut off by a terminated backend is a transient error and costs the pool no connection', async () => {
    const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms: the pool is exhausted`)), ms))]);
    // More cut-off statements than the pool has connections (10): each used to leak one.
    for (let i = 0; i < 12; i += 1) {
      const { done } = await killNextStatementOn('OutboxMessage', 'EXCLUSIVE');
      const cut = i % 2 === 0
        ? t.db.outboxMessage.updateMany({ where: {}, data: { attempts: 1 } })
        : t.db.$transaction(async (tx) => tx.outboxMessage.updateMany({ where: {}, data: { attempts: 1 } }));
      const err = await cut.then(() => null, (e: unknown) => e);
      await done;
      expect(err, `statement ${i}`).not.toBeNull();
      expect(isTransientDatabaseError(err), String(err)).toBe(true);
    }
    await expect(within(t.db.outboxMessage.count(), 5_000)).resolves.toBe(MESSAGES);
    // And a refusal by the database itself is not transient (so the check can fail).
    await t.db.workspace.create({ data: { slug: 'twice', name: 'Twice' } });
    const again = await t.db.workspace.create({ data: { slug: 'twice', name: 'Twice' } }).then(() => null, (e: unknown) => e);
    expect(again).not.toBeNull();
    expect(isTransientDatabaseError(again)).toBe(false);
  });

  it('closing the database ends its connections (the pool is the client’s to end)', async () => {
    const other = await openDatabase(t.url);
    const [row] = await other.db.$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
    const pid = row!.pid;
    await other.close();
    // pool.end() waits for each connection to end; idle ones were otherwise kept for pg's 10 s idle timeout.
    const gone = async () => {
      await locker.query('SELECT pg_stat_clear_snapshot()');
      return (await locker.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0;
    };
    // The server notices the closed socket at once; a second is plenty, and far short of the 10 s.
    await expect.poll(gone, { timeout: 2_000, interval: 50 }).toBe(true);
  });
});
