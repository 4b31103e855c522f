/**
 * Applies prisma/migrations/<provider>/*.sql in order, once each, recorded in
 * _bragbot_migrations. Our own runner because Prisma's `migrate deploy` needs engine
 * downloads or a PostgreSQL adapter that cannot read `name` columns (ENVIRONMENT.md);
 * the SQL itself is Prisma's, generated offline by scripts/generate-migration.mjs.
 *
 * Safe with several replicas starting at once: on PostgreSQL an advisory lock serialises
 * them and each migration runs in its own transaction; a checksum refuses a migration
 * file that was edited after it was applied.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { realClock } from '../clock.js';
import { BragbotError } from '../core/errors.js';
import { projectPath } from '../paths.js';
import { providerOf, sqlitePath, type DbProvider } from './client.js';
import { openSqlite } from './sqlite-driver.js';

const MIGRATIONS_ROOT = projectPath('prisma', 'migrations');
const LOCK_KEY = 727_274_001; // arbitrary, fixed: "bragbot migrations"

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(provider: DbProvider, root = MIGRATIONS_ROOT): Migration[] {
  const dir = join(root, provider);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      return { name: f.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function checkApplied(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const m of migrations) {
    const sum = applied.get(m.name);
    if (sum !== undefined && sum !== m.checksum) {
      throw new BragbotError('CONFLICT', `migration ${m.name} was changed after it was applied; write a new migration instead (npm run db:generate-migration)`);
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

/** Returns the names of the migrations it applied (empty when the database was up to date). */
export async function migrate(url: string, root = MIGRATIONS_ROOT): Promise<string[]> {
  const provider = providerOf(url);
  const migrations = listMigrations(provider, root);
  return provider === 'sqlite' ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

function migrateSqlite(url: string, migrations: Migration[]): string[] {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openSqlite(path, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS "_bragbot_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)');
    // Prisma's SQLite migrations redefine a table to change it (CREATE new_, copy, DROP TABLE, rename)
    // and rely on `PRAGMA foreign_keys=OFF`, which is a no-op inside a transaction: with keys on, the
    // DROP TABLE would run every ON DELETE CASCADE and empty the tables that reference it (owners,
    // history). So keys go off for this connection BEFORE the transaction, as SQLite's documented
    // table-change procedure says, and foreign_key_check must find nothing before it commits.
    db.pragma('foreign_keys = OFF');
    // BEGIN IMMEDIATE takes the write lock up front: two processes migrating one file queue, not race.
    db.exec('BEGIN IMMEDIATE');
    let applied: string[];
    try {
      const rows = db.prepare('SELECT name, checksum FROM "_bragbot_migrations"').all() as { name: string; checksum: string }[];
      const pending = checkApplied(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
      for (const m of pending) {
        db.exec(m.sql);
        const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
        if (broken.length > 0) {
          const first = broken[0]!;
          throw new BragbotError('CONFLICT', `migration ${m.name} would leave ${broken.length} row(s) of "${first.table}" pointing at missing "${first.parent}" rows: nothing was applied`);
        }
        db.prepare('INSERT INTO "_bragbot_migrations" (name, checksum, applied_at) VALUES (?, ?, ?)').run(m.name, m.checksum, realClock().toISOString());
      }
      db.exec('COMMIT');
      applied = pending.map((m) => m.name);
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    db.pragma('foreign_keys = ON');
    return applied;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  // Loaded here, not at the top: a SQLite deployment's commands never pay for the pg driver.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query('CREATE TABLE IF NOT EXISTS "_bragbot_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_bragbot_migrations"');
    const pending = checkApplied(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
    for (const m of pending) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO "_bragbot_migrations" (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
    return pending.map((m) => m.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/**
 * Migrations in prisma/migrations/<provider> that the open database has not recorded: for
 * readiness (a replica must not take traffic on a schema older than its code). Read through the
 * bot's own client, so it also proves the connection works.
 */
export async function pendingMigrations(db: { $queryRawUnsafe<T>(sql: string): Promise<T> }, provider: DbProvider, root = MIGRATIONS_ROOT): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>('SELECT name FROM "_bragbot_migrations"');
  const applied = new Set(rows.map((r) => r.name));
  return listMigrations(provider, root).map((m) => m.name).filter((name) => !applied.has(name));
}
