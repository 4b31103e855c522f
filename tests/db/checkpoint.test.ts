/**
 * SQLite's WAL checkpoints on a worker thread (src/db/checkpoint.ts, issue 16): the serving
 * process's own connections no longer copy the WAL back on the event loop, and the WAL is still
 * checkpointed — so it is reused from its start instead of growing with every write.
 */
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SAFETY_NET_PAGES } from '../../src/db/checkpoint.js';
import { openDatabase, sqlitePath, type Database } from '../../src/db/client.js';
import { createTestDatabaseUrl } from '../support/db.js';

const BATCH = 400;
const ROW = 'x'.repeat(3000); // about one 4 KiB page a row

describe('background WAL checkpoints (SQLite)', () => {
  let database: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await database?.close();
    await drop?.();
    database = undefined;
  });

  async function writeBatches(o: { backgroundCheckpoints: boolean }) {
    const made = await createTestDatabaseUrl('sqlite');
    drop = made.drop;
    database = await openDatabase(made.url, o);
    const { sql, db } = database;
    await sql.run('CREATE TABLE "CheckpointProbe" ("id" INTEGER PRIMARY KEY, "body" TEXT NOT NULL)');
    const wal = `${sqlitePath(made.url)}-wal`;
    let n = 0;
    const sizes: number[] = [];
    for (let batch = 0; batch < 4; batch += 1) {
      for (let i = 0; i < BATCH; i += 1) await sql.run('INSERT INTO "CheckpointProbe" ("id", "body") VALUES ($1, $2)', [(n += 1), ROW]);
      sizes.push(statSync(wal).size);
      // Long enough for the worker's next round (every 250 ms); a wait, not a timing asserted.
      await new Promise((r) => setTimeout(r, 700));
    }
    const settings = {
      runner: (await sql.rows<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint'))[0]?.wal_autocheckpoint,
      prisma: Number((await db.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>('PRAGMA wal_autocheckpoint'))[0]?.wal_autocheckpoint),
    };
    return { sizes, settings };
  }

  it('with them, neither of the process’s connections checkpoints below the safety net, and the WAL is reused instead of growing', async () => {
    const { sizes, settings } = await writeBatches({ backgroundCheckpoints: true });
    expect(settings).toEqual({ runner: SAFETY_NET_PAGES, prisma: SAFETY_NET_PAGES });
    // Four batches of the same size, each under the safety net: unchecked, the WAL would hold all
    // four (4× the first); checkpointed between them, it holds about one.
    expect(sizes[3]!).toBeLessThan(sizes[0]! * 1.5);
  });

  it('without them (a one-shot command), SQLite checkpoints as it always did', async () => {
    const { settings } = await writeBatches({ backgroundCheckpoints: false });
    expect(settings).toEqual({ runner: 1000, prisma: 1000 });
  });
});
