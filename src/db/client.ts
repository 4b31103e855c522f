/**
 * Opens the database the configuration names: embedded SQLite (default, a file under ./data)
 * or PostgreSQL (several replicas). Both speak through Prisma driver adapters, so no Prisma
 * engine binary is ever needed (offline machines cannot download one).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.ts';

export { Prisma } from './generated/sqlite/client.ts';
export type * from './generated/sqlite/models.ts';

/**
 * The client type the code is written against. The two generated clients have the same models
 * and the same query API (the schema is one file), so the PostgreSQL one is used through it.
 */
export type Db = SqliteClient;
export type DbProvider = 'sqlite' | 'postgresql';
/** A client or the transaction client handed to $transaction callbacks. */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface Database {
  db: Db;
  provider: DbProvider;
  url: string;
  close(): Promise<void>;
}

export function providerOf(url: string): DbProvider {
  return url.startsWith('file:') ? 'sqlite' : 'postgresql';
}

/** Absolute path of a file: URL, relative paths taken from the working directory. */
export function sqlitePath(url: string): string {
  const p = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return p === ':memory:' ? p : resolve(p);
}

export async function openDatabase(url: string): Promise<Database> {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // timeout: wait for a lock rather than fail when the CLI and the bot write at once.
    const db = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${path}`, timeout: 10_000 }) });
    // WAL lets readers (the CLI, report generation) run while the bot writes.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    return { db, provider, url, close: () => db.$disconnect() };
  }
  // disposeExternalPool: $disconnect ends the pool (else its idle connections hold the process ~10 s).
  const client = new PostgresClient({ adapter: new PrismaPg(poolGivingBackDeadClients(new pg.Pool({ connectionString: url, max: 10 })), { disposeExternalPool: true }) });
  const db = client as unknown as Db;
  return { db, provider, url, close: () => client.$disconnect() };
}

/**
 * Gives a checked-out connection back to the pool (which then discards it) when the server ends
 * it. Prisma 6.19's runtime closes a failed transaction by sending ROLLBACK and only then
 * releasing the connection; on a dead connection the ROLLBACK fails, so the release never
 * happened. Every statement cut off by a terminated backend (a failover, a restart,
 * pg_terminate_backend) leaked one of the 10 connections, until every query waited forever
 * (issue 19; tests/delivery/pg-terminate.test.ts). Releasing twice throws in pg-pool, so the
 * client's release becomes a no-op for whoever still holds it.
 */
export function poolGivingBackDeadClients(pool: pg.Pool): pg.Pool {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (c) => checkedOut.add(c));
  pool.on('release', (_err, c) => checkedOut.delete(c));
  pool.on('remove', (c) => checkedOut.delete(c as pg.PoolClient));
  pool.on('connect', (c) => {
    const giveBack = (err: Error) => {
      if (!checkedOut.delete(c)) return; // idle: the pool removes it itself
      const release = c.release.bind(c);
      c.release = () => undefined;
      release(err);
    };
    // A listener for 'error' also keeps a connection lost while checked out from being an unhandled 'error' event.
    c.on('error', giveBack);
    c.on('end', () => giveBack(new Error('Connection terminated')));
  });
  // An idle connection the server ended: the pool has dropped it and the next query opens a new
  // one. Without a listener this 'error' event would end the process.
  pool.on('error', () => undefined);
  return pool;
}
