/**
 * Opens the database the configuration names: embedded SQLite (default, a file under ./data)
 * or PostgreSQL (several replicas). Both speak through Prisma driver adapters, so no Prisma
 * engine binary is ever needed (offline machines cannot download one).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type pg from 'pg';
import type { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { backgroundCheckpoints, SAFETY_NET_PAGES } from './checkpoint.js';
import { sqliteDriverName, synchronousPragma, type SqliteSynchronous } from './sqlite-driver.js';
import { attachSql, postgresRunner, sqliteRunner, type SqlRunner, type StatementHook } from './sql.js';

export { Prisma } from './generated/sqlite/client.ts';
export type * from './generated/sqlite/models.ts';

/**
 * The client type the code is written against. The two generated clients have the same models
 * and the same query API (the schema is one file), so the PostgreSQL one is used through it.
 */
export type Db = SqliteClient;
export type { DbProvider } from './sql.js';
import type { DbProvider } from './sql.js';
/** A client or the transaction client handed to $transaction callbacks. */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface Database {
  db: Db;
  provider: DbProvider;
  url: string;
  /** Statements straight to the driver, for the hot paths (src/db/sql.ts); also `sqlOf(db)`. */
  sql: SqlRunner;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Told about every statement sent (Prisma's and src/db/sql.ts's): tests count a click's statements. */
  onStatement?: StatementHook;
  /**
   * SQLite: WAL checkpoints on a worker thread, not on the event loop (src/db/checkpoint.ts). For
   * the long-running bot, whose event loop answers Slack's acknowledgements; a one-shot command
   * leaves them to SQLite (its last connection's close checkpoints the WAL anyway).
   */
  backgroundCheckpoints?: boolean;
  /** SQLite: how commits reach the disk (SQLITE_SYNCHRONOUS; default full). */
  synchronous?: SqliteSynchronous;
}

async function sqliteAdapterFactory(path: string, synchronous: SqliteSynchronous | undefined) {
  if (sqliteDriverName() === 'node:sqlite') {
    const { SqliteAdapterFactory } = await import('./sqlite-adapter.js');
    return new SqliteAdapterFactory(path, { timeout: 10_000, ...(synchronous ? { synchronous } : {}) });
  }
  const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
  return new PrismaBetterSQLite3({ url: `file:${path}`, timeout: 10_000 });
}

export function providerOf(url: string): DbProvider {
  return url.startsWith('file:') ? 'sqlite' : 'postgresql';
}

/** Absolute path of a file: URL, relative paths taken from the working directory. */
export function sqlitePath(url: string): string {
  const p = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return p === ':memory:' ? p : resolve(p);
}

export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<Database> {
  const provider = providerOf(url);
  const hook = opts.onStatement;
  if (provider === 'sqlite') {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // timeout: wait for a lock rather than fail when the CLI and the bot write at once.
    // Each provider's client, adapter and driver are loaded only when it is the one configured:
    // a command on SQLite never loads pg or the PostgreSQL client (start-up time, issue 16).
    // Prisma's own adapter on better-sqlite3 (Node 20, 22); ours on node:sqlite (Node 24+: src/db/sqlite-driver.ts says why).
    const [adapter, { PrismaClient }] = await Promise.all([sqliteAdapterFactory(path, opts.synchronous), import('./generated/sqlite/client.ts')]);
    const db = new PrismaClient({ adapter: counted(adapter, hook) });
    // WAL lets readers (the CLI, report generation) run while the bot writes.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    // Prisma's own adapter opens its own connection: the same durability as ours (sqlite-driver.ts says why).
    await db.$executeRawUnsafe(`PRAGMA ${synchronousPragma(opts.synchronous)}`);
    const checkpointer = opts.backgroundCheckpoints && path !== ':memory:' ? backgroundCheckpoints(path) : null;
    if (checkpointer) await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    const sql = sqliteRunner(path, hook, { ...(checkpointer ? { autocheckpointPages: SAFETY_NET_PAGES } : {}), ...(opts.synchronous ? { synchronous: opts.synchronous } : {}) });
    attachSql(db, sql);
    return { db, provider, url, sql, close: async () => { await checkpointer?.stop(); await sql.close(); await db.$disconnect(); } };
  }
  // One pool for Prisma and the driver-level statements (one limit on connections), ended here:
  // Prisma would end only a pool it has used itself (else its idle connections hold the process ~10 s).
  const [{ PrismaPg }, { default: pg }, { PrismaClient }] = await Promise.all([import('@prisma/adapter-pg'), import('pg'), import('./generated/postgresql/client.ts')]);
  const pool = poolGivingBackDeadClients(new pg.Pool({ connectionString: url, max: 10 }));
  const client = new PrismaClient({ adapter: counted(new PrismaPg(pool), hook) });
  const db = client as unknown as Db;
  const sql = postgresRunner(pool, pg, hook);
  attachSql(db, sql);
  return { db, provider, url, sql, close: async () => { await client.$disconnect(); await pool.end(); } };
}

// Prisma's driver adapter interfaces, as far as counting needs them (structural: the package
// that defines them is not a dependency of ours).
interface Queryable {
  queryRaw(q: { sql: string }): Promise<unknown>;
  executeRaw(q: { sql: string }): Promise<number>;
}
interface Adapter extends Queryable {
  startTransaction(isolation?: unknown): Promise<Queryable>;
}
interface AdapterFactory {
  connect(): Promise<Adapter>;
}

function countQueries<T extends Queryable>(q: T, hook: StatementHook): T {
  const queryRaw = q.queryRaw.bind(q);
  const executeRaw = q.executeRaw.bind(q);
  q.queryRaw = (query) => {
    hook(query.sql);
    return queryRaw(query);
  };
  q.executeRaw = (query) => {
    hook(query.sql);
    return executeRaw(query);
  };
  return q;
}

/** A driver adapter factory whose adapters tell `hook` each statement (and each transaction's BEGIN). */
function counted<F>(factory: F, hook: StatementHook | undefined): F {
  if (!hook) return factory;
  const f = factory as unknown as AdapterFactory;
  const connect = f.connect.bind(f);
  f.connect = async () => {
    const adapter = countQueries(await connect(), hook);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolation) => {
      hook('BEGIN (Prisma transaction)');
      return countQueries(await start(isolation), hook);
    };
    return adapter;
  };
  return factory;
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
