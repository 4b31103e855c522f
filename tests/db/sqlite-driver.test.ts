/**
 * The two SQLite drivers behind src/db/sqlite-driver.ts behave alike to the code above them, and
 * Prisma through our adapter (src/db/sqlite-adapter.ts, what Node 24 runs) reads and writes what
 * Prisma's own better-sqlite3 adapter does. Each driver is tested where this Node has it:
 * node:sqlite from Node 22.16, better-sqlite3 below Node 24 (on 24 it must never be loaded: it
 * aborts the process when a statement is garbage-collected). CI runs this file on 20, 22 and 24.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../src/db/generated/sqlite/client.ts';
import { migrate } from '../../src/db/migrate.js';
import { SqliteAdapterFactory } from '../../src/db/sqlite-adapter.js';
import { openSqlite, sqliteCodeName, sqliteDriverName, type SqliteDriverName } from '../../src/db/sqlite-driver.js';

const major = Number(process.versions.node.split('.')[0]);
const [minor] = process.versions.node.split('.').slice(1).map(Number);
const hasNodeSqlite = major > 22 || (major === 22 && (minor ?? 0) >= 16);
const drivers: SqliteDriverName[] = [...(major < 24 ? (['better-sqlite3'] as const) : []), ...(hasNodeSqlite ? (['node:sqlite'] as const) : [])];

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bragbot-driver-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('which driver a Node runs', () => {
  it('is better-sqlite3 on Node 20 and 22 and node:sqlite from Node 24', () => {
    expect(sqliteDriverName('20.20.2')).toBe('better-sqlite3');
    expect(sqliteDriverName('22.23.3')).toBe('better-sqlite3');
    expect(sqliteDriverName('24.21.0')).toBe('node:sqlite');
    expect(sqliteDriverName('26.0.0')).toBe('node:sqlite');
    expect(sqliteDriverName()).toBe(major >= 24 ? 'node:sqlite' : 'better-sqlite3');
    // This very Node has the driver it is given (CI proves each line's).
    expect(drivers).toContain(sqliteDriverName());
  });

  it("names SQLite's extended result codes as better-sqlite3 does", () => {
    expect(sqliteCodeName(5)).toBe('SQLITE_BUSY');
    expect(sqliteCodeName(517)).toBe('SQLITE_BUSY_SNAPSHOT');
    expect(sqliteCodeName(2067)).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(sqliteCodeName(1811)).toBe('SQLITE_CONSTRAINT_TRIGGER');
    // An extension this table does not name: the primary code's name.
    expect(sqliteCodeName(19 | (99 << 8))).toBe('SQLITE_CONSTRAINT');
  });
});

describe.each(drivers)('the %s driver', (driver) => {
  const open = (path: string, o: { timeout?: number; readOnly?: boolean } = {}) => openSqlite(path, o, driver);

  it('runs statements, says which return rows, and reads rows as objects', () => {
    const db = open(join(tempDir(), 'a.db'));
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, at DATETIME, score REAL)');
    const insert = db.prepare('INSERT INTO t (name, at, score) VALUES (?, ?, ?)');
    expect(insert.reader).toBe(false);
    expect(Number(insert.run('Asha', '2026-12-01T10:00:00.000+00:00', 1.5).changes)).toBe(1);
    insert.run('Ben', null, null);
    const select = db.prepare('SELECT id, name, at, score FROM t ORDER BY id');
    expect(select.reader).toBe(true);
    expect(db.prepare('INSERT INTO t (name) VALUES (?) RETURNING id').reader).toBe(true);
    expect(select.all()).toEqual([
      { id: 1, name: 'Asha', at: '2026-12-01T10:00:00.000+00:00', score: 1.5 },
      { id: 2, name: 'Ben', at: null, score: null },
    ]);
    expect(select.get()).toEqual({ id: 1, name: 'Asha', at: '2026-12-01T10:00:00.000+00:00', score: 1.5 });
    expect(db.execute('UPDATE t SET score = ? WHERE name = ?', [2, 'Ben'])).toBe(1);
    db.close();
  });

  it("gives Prisma's adapter rows as arrays, integers as bigint, with the declared types", () => {
    const db = open(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, at DATETIME, big BIGINT, data BLOB)');
    expect(db.raw('INSERT INTO t (name, big, data) VALUES (?, ?, ?)', ['x', 9007199254740993n, Buffer.from([1, 2])])).toBeNull();
    const r = db.raw('SELECT id, name, at, big, data, 1 + 1 AS two FROM t', [])!;
    expect(r.columnNames).toEqual(['id', 'name', 'at', 'big', 'data', 'two']);
    expect(r.declaredTypes.map((t) => t?.toUpperCase() ?? null)).toEqual(['INTEGER', 'TEXT', 'DATETIME', 'BIGINT', 'BLOB', null]);
    expect(r.values).toHaveLength(1);
    const [id, name, at, big, data, two] = r.values[0]!;
    expect([id, name, at, big, two]).toEqual([1n, 'x', null, 9007199254740993n, 2n]);
    expect([...(data as Uint8Array)]).toEqual([1, 2]);
    db.close();
  });

  it("throws better-sqlite3's codes: unique, not null, trigger, busy", () => {
    const path = join(tempDir(), 'b.db');
    const db = open(path, { timeout: 0 });
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE t (name TEXT NOT NULL UNIQUE);
      CREATE TRIGGER no_bob BEFORE INSERT ON t WHEN NEW.name = 'Bob' BEGIN SELECT RAISE(ABORT, 'not Bob'); END;`);
    db.prepare('INSERT INTO t VALUES (?)').run('Asha');
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as { code?: string }).code, (e as Error).message];
      }
      return null;
    };
    expect(codeOf(() => db.prepare('INSERT INTO t VALUES (?)').run('Asha'))).toEqual(['SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: t.name']);
    expect(codeOf(() => db.prepare('INSERT INTO t VALUES (?)').run(null))).toEqual(['SQLITE_CONSTRAINT_NOTNULL', 'NOT NULL constraint failed: t.name']);
    expect(codeOf(() => db.execute('INSERT INTO t VALUES (?)', ['Bob']))).toEqual(['SQLITE_CONSTRAINT_TRIGGER', 'not Bob']);
    const other = open(path, { timeout: 0 });
    db.exec('BEGIN IMMEDIATE');
    expect(db.inTransaction).toBe(true);
    expect(codeOf(() => other.exec('BEGIN IMMEDIATE'))?.[0]).toBe('SQLITE_BUSY');
    db.exec('ROLLBACK');
    expect(db.inTransaction).toBe(false);
    other.close();
    db.close();
  });

  it('calls a JavaScript function from SQL, and its own error reaches the caller unchanged', () => {
    const db = open(':memory:');
    const seen: unknown[][] = [];
    db.function('stamp', (...args) => {
      seen.push(args);
      if (args[0] === 'boom') throw new RangeError('refused by stamp');
      return `${String(args[0])}#${args.length}`;
    });
    expect(db.prepare('SELECT stamp(?, 2) AS s').get('a')).toEqual({ s: 'a#2' });
    expect(seen).toEqual([['a', 2]]);
    expect(() => db.prepare('SELECT stamp(?) AS s').get('boom')).toThrow(RangeError);
    db.close();
  });

  it('answers PRAGMAs as rows and backs up a consistent copy that a read-only connection opens', async () => {
    const dir = tempDir();
    const path = join(dir, 'c.db');
    const db = open(path);
    expect(db.pragma('journal_mode = WAL')).toEqual([{ journal_mode: 'wal' }]);
    db.exec('CREATE TABLE t (n INTEGER)');
    for (let i = 0; i < 500; i++) db.prepare('INSERT INTO t VALUES (?)').run(i);
    const copyPath = join(dir, 'copy.db');
    await db.backup(copyPath);
    db.prepare('INSERT INTO t VALUES (?)').run(500); // after the backup: not in it
    db.close();
    expect(existsSync(copyPath)).toBe(true);
    const copy = open(copyPath, { readOnly: true });
    expect(copy.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(copy.prepare('SELECT COUNT(*) AS n, SUM(n) AS s FROM t').get()).toEqual({ n: 500, s: (499 * 500) / 2 });
    expect(() => copy.exec('INSERT INTO t VALUES (1)')).toThrow(/readonly/);
    copy.close();
  });
});

/** The same Prisma work through an adapter; what Prisma returned, for comparison across adapters. */
async function prismaWork(client: PrismaClient) {
  const ws = await client.workspace.create({ data: { slug: 'york', name: 'City of York', createdAt: new Date('2026-03-29T00:30:00.000Z') } });
  const manager = await client.person.create({ data: { workspaceId: ws.id, name: 'Priya Manager', isAdmin: true, formerNumber: 3 } });
  await client.person.create({ data: { workspaceId: ws.id, name: 'Asha Owner', email: 'asha@york.gov.uk', managerId: manager.id } });
  const unique = await client.workspace.create({ data: { slug: 'york', name: 'again' } }).then(
    () => 'no error',
    (e: { code?: string; meta?: unknown }) => e.code,
  );
  const inTx = await client.$transaction(async (tx) => {
    await tx.person.update({ where: { id: manager.id }, data: { name: 'Priya M.' } });
    return tx.person.count();
  });
  const rolledBack = await client
    .$transaction(async (tx) => {
      await tx.person.update({ where: { id: manager.id }, data: { name: 'never' } });
      throw new Error('changed my mind');
    })
    .catch((e: Error) => e.message);
  const people = await client.person.findMany({ orderBy: { name: 'asc' }, select: { name: true, email: true, isAdmin: true, formerNumber: true, manager: { select: { name: true } } } });
  const raw = await client.$queryRawUnsafe<{ n: unknown; latest: unknown }[]>('SELECT COUNT(*) AS n, MAX("createdAt") AS latest FROM "Workspace"');
  const found = await client.workspace.findUniqueOrThrow({ where: { slug: 'york' } });
  return { unique, inTx, rolledBack, people, raw, createdAt: found.createdAt.toISOString(), aggregate: await client.person.aggregate({ _max: { formerNumber: true }, _count: true }) };
}

describe.each(drivers)('Prisma through our adapter on %s', (driver) => {
  it("reads and writes what Prisma's own better-sqlite3 adapter does", async () => {
    const path = join(tempDir(), 'p.db');
    await migrate(`file:${path}`);
    const ours = new PrismaClient({ adapter: new SqliteAdapterFactory(path, { driver }) });
    const got = await prismaWork(ours);
    await ours.$disconnect();
    expect(got.unique).toBe('P2002');
    expect(got.inTx).toBe(2);
    expect(got.rolledBack).toBe('changed my mind');
    expect(got.people).toEqual([
      { name: 'Asha Owner', email: 'asha@york.gov.uk', isAdmin: false, formerNumber: null, manager: { name: 'Priya M.' } },
      { name: 'Priya M.', email: null, isAdmin: true, formerNumber: 3, manager: null },
    ]);
    expect(got.createdAt).toBe('2026-03-29T00:30:00.000Z');
    expect(got.aggregate).toEqual({ _max: { formerNumber: 3 }, _count: 2 });

    if (major < 24) {
      // Where Prisma's own adapter can run, the same work through it gives the very same answers.
      const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
      const path2 = join(tempDir(), 'p2.db');
      await migrate(`file:${path2}`);
      const theirs = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${path2}` }) });
      const expected = await prismaWork(theirs);
      await theirs.$disconnect();
      expect(got).toEqual(expected);
    }
  });
});

describe.runIf(drivers.length === 2)('one database file, either driver (upgrading Node from 22 to 24)', () => {
  it('what Prisma wrote through better-sqlite3 reads back the same through node:sqlite, and the other way', async () => {
    const path = join(tempDir(), 'shared.db');
    await migrate(`file:${path}`);
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    const before = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${path}` }) });
    const written = await prismaWork(before);
    const readBefore = await before.person.findMany({ orderBy: { name: 'asc' } });
    await before.$disconnect();

    const after = new PrismaClient({ adapter: new SqliteAdapterFactory(path, { driver: 'node:sqlite' }) });
    expect(await after.person.findMany({ orderBy: { name: 'asc' } })).toEqual(readBefore);
    await after.person.updateMany({ data: { routes: 'email' } });
    await after.$disconnect();

    const back = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${path}` }) });
    expect(await back.person.findMany({ orderBy: { name: 'asc' } })).toEqual(readBefore.map((p) => ({ ...p, routes: 'email' })));
    await back.$disconnect();
    expect(written.people).toHaveLength(2);
  });
});

describe('durability', () => {
  it.each(drivers)('every %s connection commits with synchronous = FULL unless told normal, and so does Prisma’s own', async (driver) => {
    const path = join(tempDir(), 'sync.db');
    const db = openSqlite(path, {}, driver);
    db.pragma('journal_mode = WAL');
    // 2 = FULL. better-sqlite3 would otherwise run WAL at NORMAL (1): no fsync per commit.
    expect(db.pragma('synchronous')).toEqual([{ synchronous: 2 }]);
    db.close();
    const normal = openSqlite(path, { synchronous: 'normal' }, driver);
    expect(normal.pragma('synchronous')).toEqual([{ synchronous: 1 }]);
    normal.close();
    if (driver === sqliteDriverName()) {
      const { openDatabase } = await import('../../src/db/client.js');
      await migrate(`file:${path}`);
      for (const [synchronous, expected] of [[undefined, 2n], ['normal', 1n], ['full', 2n]] as const) {
        const opened = await openDatabase(`file:${path}`, synchronous ? { synchronous } : {});
        expect(await opened.db.$queryRawUnsafe('PRAGMA synchronous'), String(synchronous)).toEqual([{ synchronous: expected }]);
        // The hot-path connection (src/db/sql.ts) too.
        expect(await opened.sql.rows('PRAGMA synchronous'), String(synchronous)).toEqual([{ synchronous: Number(expected) }]);
        await opened.close();
      }
    }
  });
});
