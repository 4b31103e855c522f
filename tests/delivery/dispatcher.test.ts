/**
 * The dispatcher on SQLite and PostgreSQL: through ports that answer 429 (with Retry-After) and
 * 5xx for a share of calls, everything is delivered exactly once; a rate-limited platform holds
 * up no other; leases of dead claimers are recovered and flagged; permanent failures are kept.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { realClock } from '../../src/clock.js';
import { RateLimitedError, type ChatAddress, type ChatPort, type OutboundMessage, type SendContext } from '../../src/core/chat.js';
import { openDatabase, type Database, type Db } from '../../src/db/client.js';
import { Dispatcher, RECOVERED_PREFIX } from '../../src/delivery/dispatcher.js';
import { MemoryChatPort } from '../../src/delivery/memory-port.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';
import { plannedNudge } from './support.js';

const fastBackoff = { baseMs: 5, maxMs: 40 };

describe.each(await providers())('dispatcher on %s', (provider) => {
  let t: TestDatabase;
  let std: Awaited<ReturnType<typeof makeStandardGroup>>;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    std = await makeStandardGroup(t.db);
    // Owner on Teams (has a conversation reference), manager on Slack.
    await t.db.conversationRef.create({ data: { personId: std.owner.id, platform: 'teams', conversationId: 'a:owner', referenceJson: '{}' } });
  });
  afterAll(async () => t?.destroy());
  beforeEach(async () => {
    await t.db.outboxMessage.deleteMany({});
  });

  async function enqueue(n: number, prefix = 'm') {
    const plan = Array.from({ length: n }, (_, i) => plannedNudge(`${prefix}:${i}`, i % 2 === 0 ? std.owner : std.manager));
    await writeOutbox(t.db, plan, { platforms: ['slack', 'teams'], now: realClock() });
  }

  it('delivers everything exactly once through 429s and 5xx, with two dispatchers competing', async () => {
    await enqueue(40);
    const slack = new MemoryChatPort('slack', { rateLimitShare: 0.2, retryAfterMs: 30, transientShare: 0.2, seed: 7 });
    const teams = new MemoryChatPort('teams', { rateLimitShare: 0.15, retryAfterMs: 20, transientShare: 0.25, seed: 3 });
    const extra: Database[] = provider === 'postgresql' ? [await openDatabase(t.url), await openDatabase(t.url)] : [];
    const dbs: Db[] = provider === 'postgresql' ? extra.map((d) => d.db) : [t.db, t.db];
    try {
      const dispatchers = dbs.map((db, i) => new Dispatcher({ db, provider, ports: [slack, teams], instanceId: `d${i}`, backoff: fastBackoff, maxAttempts: 30, batchSize: 5, clock: realClock }));
      const reports = await Promise.all(dispatchers.map((d) => d.drain({ maxWaitMs: 2_000, timeoutMs: 25_000 })));
      const rows = await t.db.outboxMessage.findMany();
      expect(rows.filter((r) => r.status !== 'sent').map((r) => [r.idempotencyKey, r.status, r.lastError])).toEqual([]);
      const delivered = new Map([...slack.deliveriesByKey(), ...teams.deliveriesByKey()]);
      expect(delivered.size).toBe(40);
      expect([...delivered.values()].every((n) => n === 1)).toBe(true);
      expect(slack.sent.length + teams.sent.length).toBe(40);
      // The failures really happened, and both dispatchers did some of the work.
      expect(slack.rateLimited + teams.rateLimited).toBeGreaterThan(0);
      expect(slack.transientFailures + teams.transientFailures).toBeGreaterThan(0);
      expect(reports.every((r) => r.sent > 0)).toBe(true);
      // Each row records what the platform gave back.
      const ids = new Map([...slack.sent, ...teams.sent].map((s) => [s.context!.idempotencyKey, s.providerMessageId]));
      expect(rows.every((r) => r.providerMessageId === ids.get(r.idempotencyKey) && r.sentAt !== null)).toBe(true);
      // Slack got the manager (Slack id), Teams the owner (conversation reference).
      expect(new Set(slack.sent.map((s) => s.to.conversationId))).toEqual(new Set(['UMANAGER']));
      expect(new Set(teams.sent.map((s) => s.to.conversationId))).toEqual(new Set(['a:owner']));
    } finally {
      await Promise.all(extra.map((d) => d.close()));
    }
  });

  it('a rate-limited platform waits out Retry-After without holding up the other', async () => {
    await enqueue(6);
    class AlwaysLimited implements ChatPort {
      readonly platform = 'slack' as const;
      calls = 0;
      async send(): Promise<never> {
        this.calls += 1;
        throw new RateLimitedError(60_000);
      }
    }
    const slack = new AlwaysLimited();
    const teams = new MemoryChatPort('teams');
    const d = new Dispatcher({ db: t.db, provider, ports: [slack, teams], instanceId: 'rl', backoff: fastBackoff, clock: realClock });
    const before = Date.now();
    const first = await d.dispatchOnce();
    expect(first).toMatchObject({ sent: 3, retried: 3 });
    expect(slack.calls).toBe(1); // it stopped at the first 429, not one call per row
    const waiting = await t.db.outboxMessage.findMany({ where: { platform: 'slack' } });
    expect(waiting.map((r) => [r.status, r.attempts, r.claimedBy])).toEqual([
      ['pending', 0, null],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
    expect(waiting.some((r) => r.notBefore.getTime() >= before + 59_000)).toBe(true);
    expect(await d.dispatchOnce()).toMatchObject({ claimed: 0 });
    expect(slack.calls).toBe(1); // paused: no call until Retry-After has passed
  });

  it('marks permanent failures and exhausted retries as failed, with the reason', async () => {
    await writeOutbox(t.db, [plannedNudge('perm', std.manager), plannedNudge('flaky', std.owner), plannedNudge('no-address', std.chair)], { platforms: ['slack', 'teams'], now: realClock() });
    // The chair has a Slack id but no Teams conversation: planned for Slack, then the id is removed.
    await t.db.person.update({ where: { id: std.chair.id }, data: { slackUserId: null } });
    const slack = new MemoryChatPort('slack', { rejects: (to) => to.conversationId === 'UMANAGER' });
    const teams = new MemoryChatPort('teams', { transientShare: 1 });
    const d = new Dispatcher({ db: t.db, provider, ports: [slack, teams], instanceId: 'pf', backoff: { baseMs: 1, maxMs: 1 }, maxAttempts: 3, clock: realClock });
    await d.drain({ maxWaitMs: 500 });
    const rows = Object.fromEntries((await t.db.outboxMessage.findMany()).map((r) => [r.idempotencyKey, [r.status, r.attempts, r.lastError]]));
    expect(rows).toEqual({
      perm: ['failed', 1, 'user_not_found: UMANAGER'],
      flaky: ['failed', 3, 'gave up after 3 attempts: 503 service unavailable (simulated)'],
      'no-address': ['failed', 1, 'Asha Chair has no Slack member id'],
    });
    await t.db.person.update({ where: { id: std.chair.id }, data: { slackUserId: 'UCHAIR' } });
  });

  it('takes over a dead claimer’s row after its lease, tells the port it may be a repeat, and leaves live leases alone', async () => {
    await enqueue(2, 'lease');
    const past = new Date(Date.now() - 1_000);
    const future = new Date(Date.now() + 60_000);
    await t.db.outboxMessage.update({ where: { idempotencyKey: 'lease:0' }, data: { status: 'sending', claimedBy: 'dead#1', claimedUntil: past, attempts: 1 } });
    await t.db.outboxMessage.update({ where: { idempotencyKey: 'lease:1' }, data: { status: 'sending', claimedBy: 'alive#1', claimedUntil: future, attempts: 1 } });
    const seen: SendContext[] = [];
    const spy = (platform: 'slack' | 'teams'): ChatPort => ({
      platform,
      send: async (_to: ChatAddress, _m: OutboundMessage, context?: SendContext) => {
        seen.push(context!);
        return { providerMessageId: `${platform}-x` };
      },
    });
    const d = new Dispatcher({ db: t.db, provider, ports: [spy('slack'), spy('teams')], instanceId: 'heir', clock: realClock });
    expect(await d.dispatchOnce()).toMatchObject({ claimed: 1, sent: 1, recovered: 1 });
    expect(seen).toEqual([{ idempotencyKey: 'lease:0', attempt: 2, recovering: true }]);
    const rows = await t.db.outboxMessage.findMany({ orderBy: { idempotencyKey: 'asc' } });
    expect(rows.map((r) => [r.idempotencyKey, r.status, r.claimedBy?.split('#')[0]])).toEqual([
      ['lease:0', 'sent', 'heir'],
      ['lease:1', 'sending', 'alive'],
    ]);
    expect(rows[0]!.lastError).toBe(`${RECOVERED_PREFIX}previous claim dead#1`);
  });

  it('waits for notBefore (quiet hours)', async () => {
    await writeOutbox(t.db, [plannedNudge('later', std.owner, { notBefore: new Date(Date.now() + 3_600_000) })], { platforms: ['teams'], now: realClock() });
    const teams = new MemoryChatPort('teams');
    expect(await new Dispatcher({ db: t.db, provider, ports: [teams], instanceId: 'q', clock: realClock }).drain({ maxWaitMs: 0 })).toMatchObject({ claimed: 0 });
    expect(teams.calls).toBe(0);
  });

  it('records the update thread a thread-open message started', async () => {
    await t.db.groupChannel.create({ data: { groupId: std.group.id, platform: 'slack', conversationId: 'CGROUP' } });
    await writeOutbox(
      t.db,
      [
        {
          idempotencyKey: `thread-open:${std.group.id}:2021-07-14:slack`,
          kind: 'thread-open',
          recipient: { type: 'group-channel', groupId: std.group.id, groupName: std.group.name, platform: 'slack' },
          groupId: std.group.id,
          notBefore: new Date('2021-07-07T08:00:00Z'),
          message: { kind: 'thread-open', groupName: std.group.name, meetingDate: '2021-07-14', askedNames: ['Olu Owner'] },
          actionIds: [],
          reasonsByAction: {},
          mentions: [],
          meetingDate: '2021-07-14',
        },
      ],
      { platforms: ['slack'], now: realClock() },
    );
    const slack = new MemoryChatPort('slack');
    await new Dispatcher({ db: t.db, provider, ports: [slack], instanceId: 'th', clock: realClock }).drain({ maxWaitMs: 0 });
    expect(slack.sent.map((s) => s.to.conversationId)).toEqual(['CGROUP']);
    const thread = await t.db.updateThread.findFirstOrThrow({ include: { meeting: true } });
    expect([thread.platform, thread.conversationId, thread.threadId, thread.meeting.date]).toEqual(['slack', 'CGROUP', 'slack-1', '2021-07-14']);
  });
});
