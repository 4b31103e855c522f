/**
 * Issue 16: a click's inbox write, which Slack's acknowledgement waits for, has PostgreSQL
 * connections of its own (src/db/sql.ts, waitedOnSqlOf). Here every connection of the shared pool
 * is held by slow statements — as the work after a burst of acknowledgements holds them — and a
 * new click is written all the same, while those statements are still running: in one shared
 * pool it would have waited behind all of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POOL_CONNECTIONS, WAITED_ON_CONNECTIONS } from '../../src/db/client.js';
import { sqlOf, waitedOnSqlOf } from '../../src/db/sql.js';
import { silentLogger } from '../../src/logging.js';
import { Inbox } from '../../src/services/inbox/index.js';
import { createTestDatabase, postgresAvailable, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';

const T0 = new Date('2026-12-01T10:00:00Z');

describe.runIf(await postgresAvailable())('a click is written while the shared pool is busy (PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgresql');
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('writes the click on its own connections before any of the statements holding the pool ends', async () => {
    const world = await makeStandardGroup(t.db);
    const action = await makeAction(t.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] });
    const inbox = new Inbox({ db: t.db, clock: () => T0, logger: silentLogger, instanceId: 'test:1', sweepMs: 0 });
    expect(waitedOnSqlOf(t.db)).not.toBe(sqlOf(t.db));

    // Every pooled connection busy for 3 s.
    let holdersDone = 0;
    const holders = Array.from({ length: POOL_CONNECTIONS }, () => sqlOf(t.db)!.rows('SELECT pg_sleep(3)').then(() => void (holdersDone += 1)));
    // Until all of them are running on the server (each on its own backend).
    for (let i = 0; i < 200; i += 1) {
      const running = await waitedOnSqlOf(t.db)!.rows<{ n: string }>(`SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'SELECT pg_sleep(3)' AND state = 'active'`);
      if (Number(running[0]!.n) >= POOL_CONNECTIONS) break;
      await new Promise((r) => setTimeout(r, 20));
    }

    const received = await inbox.receive({
      key: 'test:waited-on:1', platform: 'slack', kind: 'brag', workspaceId: world.workspaceId,
      who: { account: { platform: 'slack', userId: 'UOWNER' } }, input: { actionId: action.id, brag: 'green' }, reply: {}, receivedAt: T0,
    });
    expect(received.status).toBe('new');
    // Written while every statement holding the shared pool was still running.
    expect(holdersDone).toBe(0);
    await Promise.all(holders);
    expect(await t.db.inboundInteraction.count({ where: { key: 'test:waited-on:1' } })).toBe(1);
    expect(WAITED_ON_CONNECTIONS).toBeGreaterThan(0);
  }, 20_000);
});

describe.each(await providers())('the waited-on runner (%s)', (provider) => {
  it(provider === 'sqlite' ? 'is the one runner: a synchronous driver queues nothing' : 'is a runner of its own', async () => {
    const t = await createTestDatabase(provider);
    try {
      if (provider === 'sqlite') expect(waitedOnSqlOf(t.db)).toBe(sqlOf(t.db));
      else expect(waitedOnSqlOf(t.db)).not.toBe(sqlOf(t.db));
      expect(await waitedOnSqlOf(t.db)!.rows<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await t.destroy();
    }
  });
});
