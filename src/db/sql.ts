/**
 * Statements sent straight to the driver, for the few hot paths where a benchmark shows that
 * Prisma's query builder costs too much (bench/statements.ts: on this machine a Prisma 6.19
 * query costs ~0.7–1.7 ms of CPU, because its WASM compiler plans every query on every call; the
 * same statement through the driver costs 0.01–0.06 ms). A click has a budget of 2.5 ms of CPU
 * for everything (issue 16), so its few statements come through here; everything else uses Prisma.
 *
 *  - PostgreSQL: the pool Prisma uses too (one limit on connections), hot statements prepared
 *    once per connection by name.
 *  - SQLite: a second connection to the same file (WAL). The driver is synchronous, so this
 *    connection never waits for a lock (busy timeout 0, which would block the whole process while
 *    another connection of this very process holds the lock across an await): a busy database is
 *    retried after a pause instead.
 *
 * SQL is written once for both, with numbered parameters ($1, $2 …); values are stored the way
 * Prisma stores them (see `param`), so Prisma reads back what these statements write.
 */
import type pg from 'pg';
import { stopwatch } from '../clock.js';
import { openSqlite, type SqliteStatement, type SqliteSynchronous } from './sqlite-driver.js';

export type DbProvider = 'sqlite' | 'postgresql';
export type SqlValue = string | number | boolean | null | Date;
export type Row = Record<string, unknown>;

/** Told about every statement sent to the database (Prisma's and these): the statement-count tests. */
export type StatementHook = (sql: string) => void;

/** SQLite's statements, run synchronously on the runner's connection. */
interface SyncSql {
  rows<T = Row>(text: string, params?: readonly SqlValue[]): T[];
  run(text: string, params?: readonly SqlValue[]): number;
}

export interface SqlRunner {
  readonly provider: DbProvider;
  /** The rows of one statement (RETURNING included). `name`: PostgreSQL prepares it once per connection. */
  rows<T = Row>(text: string, params?: readonly SqlValue[], name?: string): Promise<T[]>;
  /** Rows changed. */
  run(text: string, params?: readonly SqlValue[], name?: string): Promise<number>;
  /**
   * SQLite only: `setUp` once on this runner's connection, under `name` — TEMP triggers and the
   * SQL functions they call, which exist on this one connection only, so only the statements sent
   * through here see them (src/services/brag-change.ts). PostgreSQL: refused (say it in one statement).
   */
  setUpConnection(name: string, setUp: (c: SqliteConnection) => void): void;
  close(): Promise<void>;
}

/** What a connection's set-up may do. */
export interface SqliteConnection {
  exec(ddl: string): void;
  /** A JavaScript function callable from SQL on this connection (not deterministic: SQLite calls it for each row). */
  function(name: string, fn: (...args: unknown[]) => string | number | bigint | null): void;
}

/** A Date as Prisma's driver adapters write it: ISO with +00:00 on SQLite (its default), UTC ISO on PostgreSQL. */
export function param(v: SqlValue, provider: DbProvider): string | number | boolean | null {
  if (v instanceof Date) return provider === 'sqlite' ? v.toISOString().replace('Z', '+00:00') : v.toISOString();
  if (typeof v === 'boolean' && provider === 'sqlite') return v ? 1 : 0;
  return v;
}

/** A stored DateTime read back through this module (SQLite: text or epoch ms; PostgreSQL: Date). */
export function asDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  return new Date(String(v));
}

export const asBool = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === '1' || v === 't';

// ---- SQLite ----

interface Converted {
  sql: string;
  /** For each ?, which $n it was (0-based). */
  order: number[];
}

const converted = new Map<string, Converted>();
/** `$1 … $n` to SQLite's anonymous `?`, remembering which value each one takes (a $n may repeat). */
function toSqlite(text: string): Converted {
  let c = converted.get(text);
  if (!c) {
    const order: number[] = [];
    const sql = text.replace(/\$(\d+)/g, (_m, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    c = { sql, order };
    if (converted.size > 500) converted.clear();
    converted.set(text, c);
  }
  return c;
}

const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);
const isBusy = (e: unknown): boolean => typeof e === 'object' && e !== null && BUSY.has(String((e as { code?: unknown }).code));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long a busy SQLite database is retried before the error reaches the caller. */
const BUSY_PATIENCE_MS = 2_000;

export function sqliteRunner(path: string, onStatement?: StatementHook, o: { autocheckpointPages?: number; synchronous?: SqliteSynchronous } = {}): SqlRunner {
  const db = openSqlite(path, { timeout: 0, ...(o.synchronous ? { synchronous: o.synchronous } : {}) });
  db.pragma('journal_mode = WAL');
  // Checkpoints run on a worker thread instead (src/db/checkpoint.ts): this connection only past the safety net.
  if (o.autocheckpointPages !== undefined) db.pragma(`wal_autocheckpoint = ${Math.trunc(o.autocheckpointPages)}`);
  const statements = new Map<string, SqliteStatement>();
  const prepared = (text: string) => {
    const c = toSqlite(text);
    let s = statements.get(c.sql);
    if (!s) {
      s = db.prepare(c.sql);
      if (statements.size > 200) statements.clear();
      statements.set(c.sql, s);
    }
    return { s, c };
  };
  const args = (c: Converted, params: readonly SqlValue[]) => c.order.map((i) => param(params[i] ?? null, 'sqlite'));
  const sync: SyncSql = {
    rows<T>(text: string, params: readonly SqlValue[] = []): T[] {
      onStatement?.(text);
      const { s, c } = prepared(text);
      return s.all(...args(c, params)) as T[];
    },
    run(text: string, params: readonly SqlValue[] = []): number {
      onStatement?.(text);
      const { s, c } = prepared(text);
      return s.reader ? s.all(...args(c, params)).length : Number(s.run(...args(c, params)).changes);
    },
  };
  /** Runs `f` now, or after pauses while another connection holds the write lock. */
  async function patiently<T>(f: () => T): Promise<T> {
    const elapsed = stopwatch();
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      try {
        return f();
      } catch (e) {
        if (!isBusy(e) || elapsed() > BUSY_PATIENCE_MS) throw e;
      }
      await sleep(pause);
    }
  }
  const setUp = new Set<string>();
  return {
    provider: 'sqlite',
    setUpConnection(name, f) {
      if (setUp.has(name)) return;
      f({ exec: (ddl) => void db.exec(ddl), function: (fname, fn) => void db.function(fname, fn as (...a: unknown[]) => unknown) });
      setUp.add(name);
    },
    rows: (text, params = []) => patiently(() => sync.rows(text, params)),
    run: (text, params = []) => patiently(() => sync.run(text, params)),
    close: async () => {
      db.close();
    },
  };
}

// ---- PostgreSQL ----

/** Prisma's DateTime is `timestamp(3)` (no zone, UTC): read it as UTC, whatever the process's TZ. */
const PG_TYPES = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === 1114) return (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
    if (oid === 20) return (s: string) => Number(s);
    return (pgTypes.getTypeParser as (o: number, f?: string) => (s: string) => unknown)(oid, format);
  },
};
let pgTypes: typeof pg.types;

export function postgresRunner(pool: pg.Pool, pgModule: typeof pg, onStatement?: StatementHook): SqlRunner {
  pgTypes = pgModule.types;
  const config = (text: string, params: readonly SqlValue[], name?: string): pg.QueryConfig => ({
    text,
    values: params.map((v) => param(v, 'postgresql')),
    ...(name ? { name } : {}),
    types: PG_TYPES as unknown as pg.CustomTypesConfig,
  });
  return {
    provider: 'postgresql',
    async rows<T>(text: string, params: readonly SqlValue[] = [], name?: string): Promise<T[]> {
      onStatement?.(text);
      return (await pool.query(config(text, params, name))).rows as T[];
    },
    async run(text: string, params: readonly SqlValue[] = [], name?: string): Promise<number> {
      onStatement?.(text);
      return (await pool.query(config(text, params, name))).rowCount ?? 0;
    },
    setUpConnection: () => {
      throw new Error('setUpConnection is for SQLite: on PostgreSQL write it as one statement');
    },
    close: async () => undefined, // the pool is Prisma's: its $disconnect ends it
  };
}

// ---- which runner a Prisma client has ----

const runners = new WeakMap<object, SqlRunner>();

export function attachSql(db: object, sql: SqlRunner): void {
  runners.set(db, sql);
}

/** The driver-level runner opened with this client (openDatabase), if any. */
export function sqlOf(db: object): SqlRunner | undefined {
  return runners.get(db);
}
