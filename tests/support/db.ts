/**
 * Test databases. Every test file gets its own fresh, migrated database:
 *  - SQLite: a temp file;
 *  - PostgreSQL: a new database on the local server (BRAGBOT_TEST_PG_URL, default
 *    postgresql://postgres@127.0.0.1:5432/postgres), dropped afterwards.
 * PostgreSQL tests skip with a notice when no server answers, except under CI=true,
 * where a missing server is a failure: CI must test the replicated set-up for real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DbProvider } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

export const PG_ADMIN_URL = process.env.BRAGBOT_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

let pgAvailable: boolean | undefined;
export async function postgresAvailable(): Promise<boolean> {
  if (pgAvailable !== undefined) return pgAvailable;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    pgAvailable = true;
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`CI=true but PostgreSQL is not reachable at ${PG_ADMIN_URL}: ${String(e)}`);
    process.stderr.write(`[tests] PostgreSQL not reachable at ${PG_ADMIN_URL}: PostgreSQL variants are skipped\n`);
    pgAvailable = false;
  }
  return pgAvailable;
}

/** Providers to run a data-layer test against: both where PostgreSQL is up. */
export async function providers(): Promise<DbProvider[]> {
  return (await postgresAvailable()) ? ['sqlite', 'postgresql'] : ['sqlite'];
}

export interface TestDatabase extends Database {
  /** Drops the database / deletes the file. */
  destroy(): Promise<void>;
}

/** A fresh migrated database URL (nothing opened). */
export async function createTestDatabaseUrl(provider: DbProvider): Promise<{ url: string; drop: () => Promise<void> }> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bragbot-test-'));
    const url = `file:${join(dir, 'test.db')}`;
    await migrate(url);
    return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `bragbot_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  const { url, drop } = await createTestDatabaseUrl(provider);
  const database = await openDatabase(url);
  return {
    ...database,
    destroy: async () => {
      await database.close();
      await drop();
    },
  };
}
