/**
 * `bragbot db backup --out FILE` while the bot is writing, then a restore, on SQLite and
 * PostgreSQL (issue 17 pt 5). The CLI as a user runs it (bin/bragbot.mjs), while another
 * connection keeps recording status updates, as clicks would. The restored database opens with
 * bragbot, and holds every action and every update that existed before the backup started,
 * each exactly as it was, and nothing that is not in the live database (one consistent snapshot).
 * SQLite is restored by copying the file into place; PostgreSQL with pg_restore into a new database.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';
import { pgEnvironment } from '../../src/db/backup.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { bragbotCli, ROOT } from '../support/cli.js';
import { createTestDatabaseUrl, PG_ADMIN_URL, providers } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';

const run = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Everything the record is made of, as comparable rows. */
async function record(db: Db) {
  const actions = await db.action.findMany({ orderBy: { id: 'asc' }, select: { id: true, ref: true, activity: true, progress: true, brag: true, dueRaw: true, archivedAt: true, updatedAt: true } });
  const updates = await db.statusUpdate.findMany({ orderBy: { id: 'asc' } });
  return { actions, updates };
}

describe.each(await providers())('db backup and restore (%s)', (provider) => {
  it('backs up while updates are being written, and the restore holds every action and update', async () => {
    const { url, drop } = await createTestDatabaseUrl(provider);
    cleanups.push(drop);
    const live = await openDatabase(url);
    cleanups.push(() => live.close());
    const world = await makeStandardGroup(live.db);
    const actions: { id: string }[] = [];
    // Long texts (curly quotes, £, —) as council plans have them: more than one of SQLite's default backup steps.
    const long = 'Where are we now: the partnership has agreed the plan, “in principle”, 100% — £5k. '.repeat(50);
    for (let i = 0; i < 120; i += 1) actions.push(await makeAction(live.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id], progress: `${i}: ${long}` }));
    let n = 0;
    const update = async () => {
      const action = actions[n % actions.length]!;
      n += 1;
      const r = await recordUpdate(live.db, { workspaceId: world.workspaceId, actionId: action.id, personId: world.owner.id, channel: 'slack', brag: n % 2 ? 'green' : 'red', note: `note ${n}`, idempotencyKey: `backup-test:${n}`, now: new Date(Date.UTC(2026, 11, 1, 10, 0, n)) });
      expect(r.status).toBe('recorded');
    };
    for (let i = 0; i < 60; i += 1) await update();
    const before = await record(live.db);

    // Clicks keep arriving while the backup runs.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await update();
        // SQLite answers without I/O: without a macrotask between updates this loop would never
        // let the event loop see the backup process finish.
        await new Promise((r) => setImmediate(r));
      }
    })();
    const { dir, stdoutOf, bragbotWith } = bragbotCli({ prefix: 'bragbot-backup-', databaseUrl: url, cwd: ROOT });
    const out = join(dir, provider === 'sqlite' ? 'bragbot-backup.db' : 'bragbot-backup.pgdump');
    let printed: string;
    try {
      printed = await stdoutOf('db', 'backup', '--out', out, '--json');
    } finally {
      writing = false;
      await writer;
    }
    const after = await record(live.db);
    expect(after.updates.length).toBeGreaterThan(before.updates.length); // the writes really overlapped
    const report = JSON.parse(printed) as { provider: string; file: string; bytes: number; counts?: { actions: number; statusUpdates: number } };
    expect(report).toMatchObject({ provider, file: out });
    expect(report.bytes).toBeGreaterThan(0);
    expect(existsSync(`${out}.partial`)).toBe(false);

    // Restore, the documented way, and open it with bragbot.
    let restoredUrl: string;
    if (provider === 'sqlite') {
      restoredUrl = `file:${join(dir, 'restored.db')}`;
      copyFileSync(out, join(dir, 'restored.db'));
    } else {
      const name = `bragbot_restored_${Math.random().toString(16).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const target = new URL(PG_ADMIN_URL);
      target.pathname = `/${name}`;
      restoredUrl = target.toString();
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      });
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', name, out], { env: { ...base, ...pgEnvironment(restoredUrl) } }).catch((e: { stderr?: string }) => {
        throw new Error(`pg_restore ${out}: ${e.stderr ?? String(e)}`);
      });
    }
    // Migrations are recorded in the copy: `migrate` on start has nothing to apply.
    const migrated = await bragbotWith({ DATABASE_URL: restoredUrl }, 'db', 'migrate');
    expect([migrated.code, migrated.stdout.trim()]).toEqual([0, 'database is up to date']);
    const restored = await openDatabase(restoredUrl);
    cleanups.push(() => restored.close());
    const got = await record(restored.db);

    // Every action, exactly as it is (no action changed during the backup but its BRAG).
    expect(got.actions.map((a) => [a.id, a.ref, a.activity, a.progress])).toEqual(after.actions.map((a) => [a.id, a.ref, a.activity, a.progress]));
    // Every update that existed before the backup, each exactly as written…
    const restoredById = new Map(got.updates.map((u) => [u.id, u]));
    expect(before.updates.filter((u) => JSON.stringify(restoredById.get(u.id)) !== JSON.stringify(u)).map((u) => u.id)).toEqual([]);
    // …and nothing the live database does not have: a snapshot, not a mixture.
    const liveById = new Map(after.updates.map((u) => [u.id, u]));
    expect(got.updates.filter((u) => JSON.stringify(liveById.get(u.id)) !== JSON.stringify(u)).map((u) => u.id)).toEqual([]);
    // Each action's BRAG is the one its last restored update set (the copy is consistent with itself).
    for (const a of got.actions) {
      const last = got.updates.filter((u) => u.actionId === a.id).sort((x, y) => x.at.getTime() - y.at.getTime()).at(-1);
      if (last) expect(a.brag, a.ref).toBe(last.toBrag);
    }
    if (provider === 'sqlite') expect(report.counts).toMatchObject({ actions: got.actions.length, statusUpdates: got.updates.length });
  }, 120_000);
});
