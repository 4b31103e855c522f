/**
 * The migration runner on SQLite keeps rows that reference a table Prisma redefines. Prisma's diff
 * for SQLite changes a table by CREATE new_ / copy / DROP TABLE / rename, with `PRAGMA
 * foreign_keys=OFF`, which does nothing inside a transaction: run naively, the DROP cascades and
 * deletes every child row. A migration that breaks a reference is refused whole.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/db/sqlite-driver.js';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';

const INIT = `
CREATE TABLE "Parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);
CREATE TABLE "Child" ("id" TEXT NOT NULL PRIMARY KEY, "parentId" TEXT NOT NULL,
  CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
`;
// What scripts/generate-migration.mjs writes for a new column with a default (Prisma 6.19's SQLite diff).
const REDEFINE = `
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "headed" BOOLEAN NOT NULL DEFAULT true);
INSERT INTO "new_Parent" ("id", "name") SELECT "id", "name" FROM "Parent";
DROP TABLE "Parent";
ALTER TABLE "new_Parent" RENAME TO "Parent";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): { root: string; url: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bragbot-migrate-'));
  dirs.push(dir);
  const root = join(dir, 'migrations');
  mkdirSync(join(root, 'sqlite'), { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(root, 'sqlite', name), sql);
  const path = join(dir, 'db.sqlite');
  return { root, path, url: `file:${path}` };
}

describe('SQLite migrations that redefine a referenced table', () => {
  it('keep every child row', async () => {
    const p = project({ '0001_init.sql': INIT });
    expect(await migrate(p.url, p.root)).toEqual(['0001_init']);
    const db = openSqlite(p.path);
    db.exec(`INSERT INTO "Parent" VALUES ('p1', 'Leaving Care'); INSERT INTO "Child" VALUES ('c1', 'p1'), ('c2', 'p1');`);
    db.close();

    writeFileSync(join(p.root, 'sqlite', '0002_redefine.sql'), REDEFINE);
    expect(await migrate(p.url, p.root)).toEqual(['0002_redefine']);

    const after = openSqlite(p.path);
    expect(after.prepare('SELECT id FROM "Child" ORDER BY id').all()).toEqual([{ id: 'c1' }, { id: 'c2' }]);
    expect(after.prepare('SELECT headed FROM "Parent"').all()).toEqual([{ headed: 1 }]);
    after.close();
  });

  it('refuse a migration that would leave rows pointing nowhere, applying none of it', async () => {
    const p = project({ '0001_init.sql': INIT });
    await migrate(p.url, p.root);
    const db = openSqlite(p.path);
    db.exec(`INSERT INTO "Parent" VALUES ('p1', 'Court Team'); INSERT INTO "Child" VALUES ('c1', 'p1');`);
    db.close();
    // Copies no parents: every child would dangle.
    writeFileSync(join(p.root, 'sqlite', '0002_lossy.sql'), REDEFINE.replace(/INSERT INTO "new_Parent".*\n/, ''));
    await expect(migrate(p.url, p.root)).rejects.toThrow(/0002_lossy would leave 1 row\(s\) of "Child"/);
    const after = openSqlite(p.path);
    expect(after.prepare('SELECT id FROM "Parent"').all()).toEqual([{ id: 'p1' }]);
    expect(after.prepare('SELECT name FROM "_bragbot_migrations"').all()).toEqual([{ name: '0001_init' }]);
    after.close();
  });
});
