/**
 * Issue 19 pt 1, the recovery logic on its own (fast, both engines): clicks written to the inbox
 * by a process that died — before working them, after recording but before telling, while a live
 * process still holds them — and what a later process's sweep makes of each: every one it takes
 * ends recorded once and its person told, nothing is taken from a live process or twice, and a
 * database that keeps failing ends with the person told to try again, never silence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { attachSql, sqlOf, type SqlRunner } from '../../src/db/sql.js';
import { silentLogger } from '../../src/logging.js';
import { Inbox, type InboxResult, type StoredInteraction } from '../../src/services/inbox/index.js';
import { insertInteraction, type NewInteraction } from '../../src/services/inbox/store.js';
import { recordBragClick } from '../../src/services/interactions/index.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';

const T0 = new Date('2026-12-01T10:00:00Z');

describe.each(await providers())('the inbox after a crash (%s)', (provider) => {
  let t: TestDatabase;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  let now = T0;
  const clock = () => now;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    world = await makeStandardGroup(t.db);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const sql = (): SqlRunner => sqlOf(t.db)!;
  let n = 0;
  /** A click as a process wrote it before acknowledging it: claimed by `by` until `until`. */
  async function written(o: { kind?: 'brag' | 'snooze' | 'not-mine'; actionId: string; brag?: string; user?: string; platform?: 'slack' | 'teams'; by?: string; until?: Date; at?: Date }) {
    n += 1;
    const entry: NewInteraction = {
      key: `test:${o.kind ?? 'brag'}:${o.actionId}:${n}`, platform: o.platform ?? 'slack', kind: o.kind ?? 'brag', workspaceId: world.workspaceId,
      who: { account: { platform: 'slack', userId: o.user ?? 'UOWNER' } },
      input: { actionId: o.actionId, ...(o.brag ? { brag: o.brag } : {}) }, reply: { note: `reply ${n}` }, receivedAt: o.at ?? new Date(now.getTime() - 60_000),
    };
    await insertInteraction(sql(), entry, o.by ?? 'dead-replica:1', o.until ?? new Date(now.getTime() - 1000));
    return entry.key;
  }
  const row = (key: string) => t.db.inboundInteraction.findUniqueOrThrow({ where: { key } });
  const updatesUnder = (key: string) => t.db.statusUpdate.findMany({ where: { idempotencyKey: key } });

  function inboxWithTeller(db = t.db, o: { maxAttempts?: number } = {}) {
    const told: { item: StoredInteraction; result: InboxResult; live: unknown }[] = [];
    const inbox = new Inbox({ db, clock, logger: silentLogger, instanceId: 'restarted:2', sweepMs: 0, ...o });
    inbox.register('slack', async (item, result, live) => void told.push({ item, result, live }));
    return { inbox, told };
  }

  it('finishes what a dead process left: recorded once, told once, marked done; leaves live and finished work alone', async () => {
    const [a1, a2, a3, a4, a5, a6] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => makeAction(t.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] })));
    const clickedAt = new Date(T0.getTime() - 90_000);
    const never = await written({ actionId: a1!.id, brag: 'green', at: clickedAt });
    // Recorded by the dead process, which died before telling and marking it done.
    const halfDone = await written({ actionId: a2!.id, brag: 'red' });
    expect((await recordBragClick(t.db, { workspaceId: world.workspaceId, caller: { kind: 'person', personId: world.owner.id }, channel: 'slack', now: T0, actionId: a2!.id, brag: 'red', idempotencyKey: halfDone })).kind).toBe('recorded');
    const stranger = await written({ actionId: a3!.id, brag: 'red', user: 'UNOBODY' });
    const held = await written({ actionId: a4!.id, brag: 'green', by: 'live-replica:3', until: new Date(now.getTime() + 20_000) });
    const otherPlatform = await written({ actionId: a5!.id, brag: 'green', platform: 'teams' });
    const snoozed = await written({ kind: 'snooze', actionId: a6!.id });
    const handedBack = await written({ kind: 'not-mine', actionId: a6!.id });

    const { inbox, told } = inboxWithTeller();
    await inbox.sweep();

    const byKey = new Map(told.map((x) => [x.item.key, x]));
    expect(told.map((x) => x.item.key).sort()).toEqual([never, halfDone, stranger, snoozed, handedBack].sort());
    expect(told.every((x) => x.live === undefined)).toBe(true);
    // Never worked: recorded now, stamped when the person clicked.
    expect(byKey.get(never)!.result).toMatchObject({ kind: 'brag', outcome: { kind: 'recorded', fromBrag: 'amber', toBrag: 'green', actorName: 'Olu Owner' } });
    expect(await updatesUnder(never)).toMatchObject([{ toBrag: 'green', at: clickedAt, channel: 'slack', personId: world.owner.id }]);
    expect((await t.db.action.findUniqueOrThrow({ where: { id: a1!.id } })).brag).toBe('green');
    // Recorded before the crash: not again; the person is told it is recorded.
    expect(byKey.get(halfDone)!.result).toMatchObject({ kind: 'brag', outcome: { kind: 'duplicate', toBrag: 'red' } });
    expect(await updatesUnder(halfDone)).toHaveLength(1);
    // Someone bragbot does not know: refused, and told so.
    expect(byKey.get(stranger)!.result).toMatchObject({ kind: 'brag', outcome: { kind: 'refused', code: 'NOT_KNOWN' } });
    expect(await updatesUnder(stranger)).toHaveLength(0);
    expect(byKey.get(snoozed)!.result).toMatchObject({ kind: 'snooze', outcome: { kind: 'snoozed' } });
    expect(await t.db.snooze.count({ where: { actionId: a6!.id, personId: world.owner.id } })).toBe(1);
    expect(byKey.get(handedBack)!.result).toMatchObject({ kind: 'not-mine', outcome: { kind: 'recorded' } });
    expect(await t.db.actionOwner.count({ where: { actionId: a6!.id } })).toBe(0);

    for (const [key, outcome] of [[never, 'recorded'], [halfDone, 'duplicate'], [stranger, 'refused'], [snoozed, 'snoozed'], [handedBack, 'handed-back:recorded']] as const) {
      expect(await row(key)).toMatchObject({ outcome, claimedBy: 'restarted:2', lastError: null });
      expect((await row(key)).doneAt).toEqual(T0);
    }
    // A live process's click and another platform's are left to them.
    expect(await row(held)).toMatchObject({ doneAt: null, claimedBy: 'live-replica:3' });
    expect(await row(otherPlatform)).toMatchObject({ doneAt: null, claimedBy: 'dead-replica:1' });
    expect(await updatesUnder(held)).toHaveLength(0);

    // A second sweep finds nothing more to do; once the live one's lease runs out, it is finished too.
    await inbox.sweep();
    expect(told).toHaveLength(5);
    now = new Date(T0.getTime() + 30_000);
    await inbox.sweep();
    expect(told.map((x) => x.item.key)).toContain(held);
    expect(await updatesUnder(held)).toHaveLength(1);
    expect(await inbox.unfinished()).toBe(1); // the Teams one: no Teams teller in this process
    now = T0;
  });

  it('two processes sweeping at once take each click once', async () => {
    const actions = await Promise.all(Array.from({ length: 12 }, () => makeAction(t.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] })));
    const keys: string[] = [];
    for (const a of actions) keys.push(await written({ actionId: a.id, brag: 'red' }));
    const second = await openDatabase(t.url);
    try {
      const one = inboxWithTeller();
      const two = inboxWithTeller(second.db);
      await Promise.all([one.inbox.sweep(), two.inbox.sweep()]);
      const told = [...one.told, ...two.told].map((x) => x.item.key).filter((k) => keys.includes(k));
      expect(told.sort()).toEqual([...keys].sort());
      for (const k of keys) expect(await updatesUnder(k)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  describe('a database that fails while a click is worked', () => {
    let flaky: Database;
    let failures = 0;
    beforeAll(async () => {
      // A second connection whose statement that records the click fails while `failures` lasts.
      flaky = await openDatabase(t.url);
      const real = sqlOf(flaky.db)!;
      const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
      const failing = (text: string) => text.includes('INSERT INTO "StatusUpdate"') && failures > 0 && failures-- > 0;
      attachSql(flaky.db, {
        provider: real.provider,
        rows: (text, params, name) => (failing(text) ? Promise.reject(lost()) : real.rows(text, params, name)),
        run: (text, params, name) => (failing(text) ? Promise.reject(lost()) : real.run(text, params, name)),
        setUpConnection: (name, setUp) => real.setUpConnection(name, setUp),
        close: () => real.close(),
      });
    });
    afterAll(async () => {
      await flaky?.close();
    });

    it('puts the click back and works it again later, recording it once', async () => {
      const a = await makeAction(t.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] });
      const key = await written({ actionId: a.id, brag: 'green' });
      const { inbox, told } = inboxWithTeller(flaky.db);
      failures = 1;
      await inbox.sweep();
      expect(told).toHaveLength(0);
      expect(await row(key)).toMatchObject({ doneAt: null, claimedBy: null, lastError: expect.stringContaining('Connection terminated') });
      await inbox.sweep(); // not due yet
      expect(told).toHaveLength(0);
      now = new Date(T0.getTime() + 10_000);
      await inbox.sweep();
      expect(told.map((x) => x.result)).toMatchObject([{ kind: 'brag', outcome: { kind: 'recorded' } }]);
      expect(await updatesUnder(key)).toHaveLength(1);
      expect(await row(key)).toMatchObject({ outcome: 'recorded' });
      now = T0;
    });

    it('after the last attempt the person is told it did not work, and nothing was recorded', async () => {
      const a = await makeAction(t.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] });
      const key = await written({ actionId: a.id, brag: 'green' });
      const { inbox, told } = inboxWithTeller(flaky.db, { maxAttempts: 3 });
      failures = 10;
      await inbox.sweep(); // attempt 2 of 3
      now = new Date(T0.getTime() + 60_000);
      await inbox.sweep(); // attempt 3: the last
      failures = 0;
      expect(told.map((x) => x.result)).toEqual([{ kind: 'failed' }]);
      expect(await row(key)).toMatchObject({ outcome: 'failed', attempts: 3 });
      expect((await row(key)).doneAt).not.toBeNull();
      expect(await updatesUnder(key)).toHaveLength(0);
      now = T0;
    });
  });

  it('takes no more clicks than it has room for, and has room again once they are done', async () => {
    const { inbox } = inboxWithTeller();
    const small = new Inbox({ db: t.db, clock, logger: silentLogger, instanceId: 'small', sweepMs: 0, maxQueued: 2, concurrency: 1 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    small.register('slack', () => gate);
    const a = await makeAction(t.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] });
    const items = [];
    for (const brag of ['green', 'red']) {
      const r = await small.receive({ key: `room:${brag}`, platform: 'slack', kind: 'brag', workspaceId: world.workspaceId, who: { personId: world.owner.id }, input: { actionId: a.id, brag }, reply: {}, receivedAt: T0 });
      expect(r.status).toBe('new');
      items.push(r.item);
    }
    expect(small.hasRoom()).toBe(true);
    const working = items.map((item) => small.work(item));
    expect(small.hasRoom()).toBe(false);
    expect(small.depth()).toBe(2);
    release();
    await Promise.all(working);
    expect(small.hasRoom()).toBe(true);
    expect(inbox.depth()).toBe(0);
    // The same key again is a repeat: one row, worked without taking it over.
    const again = await small.receive({ key: 'room:green', platform: 'slack', kind: 'brag', workspaceId: world.workspaceId, who: { personId: world.owner.id }, input: { actionId: a.id, brag: 'green' }, reply: {}, receivedAt: T0 });
    expect(again.status).toBe('repeat');
    expect(again.item.personId).toBe(world.owner.id);
  });
});
