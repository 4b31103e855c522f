/**
 * The one place that knows which SQLite driver this Node runs, and opens connections through it.
 *
 * - Node 20 and 22: better-sqlite3 (a native addon, compiled at install for this Node's ABI).
 * - Node 24 and later: Node's own `node:sqlite`. better-sqlite3 ≤ 12 aborts the process on Node
 *   24.19+ when a statement is garbage-collected (`Assertion failed: (env) != nullptr` in
 *   node::RemoveEnvironmentCleanupHook: the node::ObjectWrap it compiles in changed in 24.19,
 *   nodejs/node#65446; WiseLibs/better-sqlite3#1515 closed as not planned), and better-sqlite3 13,
 *   which fixes it, requires Node 22+ and crashes on Node 20. The built-in driver has no addon to
 *   go wrong, so Node 24 never loads better-sqlite3 at all (it is still installed, unused).
 *
 * Everything else (src/db/sql.ts's hot-path connection, the migrations, backups, the checkpoint
 * worker, and Prisma through src/db/sqlite-adapter.ts on node:sqlite) goes through `openSqlite`,
 * so the two drivers behave the same to the code above them — including their errors: a
 * node:sqlite error carries better-sqlite3's `code` ('SQLITE_BUSY', 'SQLITE_CONSTRAINT_UNIQUE'…),
 * which src/db/errors.ts and the busy retries read.
 */
import { createRequire } from 'node:module';

export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';

/** The driver this process uses: decided by the running Node alone, once. */
export function sqliteDriverName(nodeVersion: string = process.versions.node): SqliteDriverName {
  return Number(nodeVersion.split('.')[0]) >= 24 ? 'node:sqlite' : 'better-sqlite3';
}

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number | bigint };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  /** Does it return rows (a SELECT, a PRAGMA with a result, a RETURNING)? */
  readonly reader: boolean;
}

/** Rows as arrays, integers as bigint, with each column's declared type: what Prisma's adapter needs. */
export interface RawResult {
  columnNames: string[];
  declaredTypes: (string | null)[];
  values: unknown[][];
}

export interface SqliteOpenOptions {
  /** Busy timeout in ms: how long a statement waits for another connection's lock (0: fail at once). */
  timeout?: number;
  readOnly?: boolean;
  /** Default 'full' (see synchronousPragma). */
  synchronous?: SqliteSynchronous;
}

export interface SqliteDb {
  readonly driver: SqliteDriverName;
  prepare(sql: string): SqliteStatement;
  /** One statement, rows as arrays with integers as bigint; null when it returns no rows (it was run). */
  raw(sql: string, params: unknown[]): RawResult | null;
  /** One statement that returns no rows: rows changed. */
  execute(sql: string, params: unknown[]): number;
  exec(sql: string): void;
  /** `PRAGMA <text>`'s rows. */
  pragma(text: string): Record<string, unknown>[];
  function(name: string, fn: (...args: unknown[]) => unknown): void;
  readonly inTransaction: boolean;
  /** A consistent copy of the whole database into `file`, in one step (safe while others write: WAL). */
  backup(file: string): Promise<void>;
  close(): void;
}

/**
 * A driver error with better-sqlite3's names for SQLite's result codes. node:sqlite gives the
 * number (`errcode`, extended codes on); the names are SQLite's own (sqlite3.h).
 */
export class SqliteError extends Error {
  override readonly name = 'SqliteError';
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PRIMARY: Record<number, string> = {
  1: 'ERROR', 2: 'INTERNAL', 3: 'PERM', 4: 'ABORT', 5: 'BUSY', 6: 'LOCKED', 7: 'NOMEM', 8: 'READONLY', 9: 'INTERRUPT',
  10: 'IOERR', 11: 'CORRUPT', 12: 'NOTFOUND', 13: 'FULL', 14: 'CANTOPEN', 15: 'PROTOCOL', 16: 'EMPTY', 17: 'SCHEMA',
  18: 'TOOBIG', 19: 'CONSTRAINT', 20: 'MISMATCH', 21: 'MISUSE', 22: 'NOLFS', 23: 'AUTH', 24: 'FORMAT', 25: 'RANGE', 26: 'NOTADB',
};
const EXTENDED: Record<number, string> = {
  261: 'BUSY_RECOVERY', 517: 'BUSY_SNAPSHOT', 773: 'BUSY_TIMEOUT', 262: 'LOCKED_SHAREDCACHE', 518: 'LOCKED_VTAB',
  264: 'READONLY_RECOVERY', 520: 'READONLY_CANTLOCK', 776: 'READONLY_ROLLBACK', 1032: 'READONLY_DBMOVED',
  275: 'CONSTRAINT_CHECK', 531: 'CONSTRAINT_COMMITHOOK', 787: 'CONSTRAINT_FOREIGNKEY', 1043: 'CONSTRAINT_FUNCTION',
  1299: 'CONSTRAINT_NOTNULL', 1555: 'CONSTRAINT_PRIMARYKEY', 1811: 'CONSTRAINT_TRIGGER', 2067: 'CONSTRAINT_UNIQUE',
  2323: 'CONSTRAINT_VTAB', 2579: 'CONSTRAINT_ROWID', 2835: 'CONSTRAINT_PINNED', 3091: 'CONSTRAINT_DATATYPE',
  266: 'IOERR_READ', 522: 'IOERR_SHORT_READ', 778: 'IOERR_WRITE', 1034: 'IOERR_FSYNC', 3338: 'IOERR_SHMOPEN', 3594: 'IOERR_SHMSIZE',
  3850: 'IOERR_SHMLOCK', 4106: 'IOERR_SHMMAP', 2570: 'IOERR_NOMEM', 3082: 'IOERR_ACCESS', 6410: 'IOERR_GETTEMPPATH',
  267: 'CORRUPT_VTAB', 779: 'CORRUPT_INDEX', 270: 'CANTOPEN_NOTEMPDIR', 526: 'CANTOPEN_ISDIR', 782: 'CANTOPEN_FULLPATH',
};

/** better-sqlite3's `code` for an extended SQLite result code (the primary code's name when the extension has none here). */
export function sqliteCodeName(errcode: number): string {
  return `SQLITE_${EXTENDED[errcode] ?? PRIMARY[errcode & 0xff] ?? 'UNKNOWN'}`;
}

/** A node:sqlite error as better-sqlite3 would have thrown it; anything else (a JS function's own error) unchanged. */
function translated(e: unknown): unknown {
  if (e instanceof Error && (e as { code?: unknown }).code === 'ERR_SQLITE_ERROR' && typeof (e as { errcode?: unknown }).errcode === 'number') {
    return new SqliteError(e.message, sqliteCodeName((e as unknown as { errcode: number }).errcode), { cause: e });
  }
  return e;
}

function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw translated(e);
  }
}

// ---- node:sqlite (Node 24+) ----

interface NodeStatementSync {
  run(...p: unknown[]): { changes: number | bigint };
  all(...p: unknown[]): unknown[];
  get(...p: unknown[]): unknown;
  columns(): { name: string; type: string | null }[];
  setReadBigInts(on: boolean): void;
  setReturnArrays(on: boolean): void;
}
interface NodeDatabaseSync {
  prepare(sql: string): NodeStatementSync;
  exec(sql: string): void;
  function(name: string, options: { deterministic?: boolean; varargs?: boolean }, fn: (...args: unknown[]) => unknown): void;
  readonly isTransaction: boolean;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { timeout?: number; readOnly?: boolean }) => NodeDatabaseSync;
  backup(source: NodeDatabaseSync, path: string, options?: { rate?: number }): Promise<number>;
}

class NodeSqliteDb implements SqliteDb {
  readonly driver = 'node:sqlite';
  private readonly db: NodeDatabaseSync;

  constructor(
    private readonly mod: NodeSqliteModule,
    path: string,
    o: SqliteOpenOptions,
  ) {
    this.db = guarded(() => new mod.DatabaseSync(path, { timeout: o.timeout ?? 5_000, ...(o.readOnly ? { readOnly: true } : {}) }));
  }

  prepare(sql: string): SqliteStatement {
    const s = guarded(() => this.db.prepare(sql));
    const reader = s.columns().length > 0;
    return {
      reader,
      run: (...p) => guarded(() => s.run(...p)),
      all: (...p) => guarded(() => s.all(...p)),
      get: (...p) => guarded(() => s.get(...p)),
    };
  }

  raw(sql: string, params: unknown[]): RawResult | null {
    return guarded(() => {
      const s = this.db.prepare(sql);
      const columns = s.columns();
      if (columns.length === 0) {
        s.run(...params);
        return null;
      }
      s.setReadBigInts(true);
      s.setReturnArrays(true);
      return { columnNames: columns.map((c) => c.name), declaredTypes: columns.map((c) => c.type), values: s.all(...params) as unknown[][] };
    });
  }

  execute(sql: string, params: unknown[]): number {
    return guarded(() => Number(this.db.prepare(sql).run(...params).changes));
  }

  exec(sql: string): void {
    guarded(() => this.db.exec(sql));
  }

  pragma(text: string): Record<string, unknown>[] {
    return guarded(() => this.db.prepare(`PRAGMA ${text}`).all() as Record<string, unknown>[]);
  }

  function(name: string, fn: (...args: unknown[]) => unknown): void {
    guarded(() => this.db.function(name, { deterministic: false, varargs: true }, fn));
  }

  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  async backup(file: string): Promise<void> {
    // 0x7fffffff pages a step: every page in one step (one consistent snapshot; in steps a busy writer restarts it).
    try {
      await this.mod.backup(this.db, file, { rate: 0x7fffffff });
    } catch (e) {
      throw translated(e);
    }
  }

  close(): void {
    guarded(() => this.db.close());
  }
}

// ---- better-sqlite3 (Node 20, 22) ----

interface BetterStatement {
  run(...p: unknown[]): { changes: number };
  all(...p: unknown[]): unknown[];
  get(...p: unknown[]): unknown;
  readonly reader: boolean;
  columns(): { name: string; type: string | null }[];
  raw(on?: boolean): BetterStatement;
  safeIntegers(on?: boolean): BetterStatement;
}
interface BetterDatabase {
  prepare(sql: string): BetterStatement;
  exec(sql: string): void;
  pragma(text: string): unknown;
  function(name: string, options: { deterministic?: boolean; varargs?: boolean }, fn: (...args: unknown[]) => unknown): void;
  backup(file: string, options?: { progress?: () => number }): Promise<unknown>;
  readonly inTransaction: boolean;
  close(): void;
}
type BetterConstructor = new (path: string, options?: { timeout?: number; readonly?: boolean; fileMustExist?: boolean }) => BetterDatabase;

class BetterSqliteDb implements SqliteDb {
  readonly driver = 'better-sqlite3';
  private readonly db: BetterDatabase;

  constructor(Database: BetterConstructor, path: string, o: SqliteOpenOptions) {
    this.db = new Database(path, { timeout: o.timeout ?? 5_000, ...(o.readOnly ? { readonly: true, fileMustExist: true } : {}) });
  }

  prepare(sql: string): SqliteStatement {
    return this.db.prepare(sql);
  }

  raw(sql: string, params: unknown[]): RawResult | null {
    const s = this.db.prepare(sql);
    if (!s.reader) {
      s.run(...params);
      return null;
    }
    const columns = s.columns();
    return { columnNames: columns.map((c) => c.name), declaredTypes: columns.map((c) => c.type), values: s.safeIntegers(true).raw(true).all(...params) as unknown[][] };
  }

  execute(sql: string, params: unknown[]): number {
    return this.db.prepare(sql).run(...params).changes;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  pragma(text: string): Record<string, unknown>[] {
    return this.db.pragma(text) as Record<string, unknown>[];
  }

  function(name: string, fn: (...args: unknown[]) => unknown): void {
    this.db.function(name, { deterministic: false, varargs: true }, fn);
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  async backup(file: string): Promise<void> {
    // 0x7fffffff pages a step: all of them in one step (see NodeSqliteDb.backup).
    await this.db.backup(file, { progress: () => 0x7fffffff });
  }

  close(): void {
    this.db.close();
  }
}

// Loaded on first use and only the one this Node runs: node:sqlite does not exist on Node 20 (a
// static import would fail there), and Node 24 must never load better-sqlite3.
const requireHere = createRequire(import.meta.url);
let nodeSqlite: NodeSqliteModule | undefined;
let betterSqlite: BetterConstructor | undefined;

/**
 * How a commit reaches the disk. 'full' (the default): the WAL is fsynced before the statement
 * returns, so a click acknowledged to Slack survives a power cut, not only a crash of the process.
 * 'normal': no fsync per commit (SQLite's WAL is still never corrupted, but the last commits can be
 * lost with the machine's power). Always said explicitly, because the drivers differ when it is not:
 * better-sqlite3 builds SQLite with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1 (normal in WAL mode), node:sqlite
 * keeps SQLite's full. A deployment chooses with SQLITE_SYNCHRONOUS (src/config.ts).
 */
export type SqliteSynchronous = 'full' | 'normal';

export const synchronousPragma = (s: SqliteSynchronous = 'full'): string => `synchronous = ${s === 'normal' ? 'NORMAL' : 'FULL'}`;

/** Opens `path` (a file, or ':memory:') with `driver` (default: the one this Node runs). */
export function openSqlite(path: string, o: SqliteOpenOptions = {}, driver: SqliteDriverName = sqliteDriverName()): SqliteDb {
  if (driver === 'node:sqlite') {
    nodeSqlite ??= requireHere('node:sqlite') as NodeSqliteModule;
    return withPragmas(new NodeSqliteDb(nodeSqlite, path, o), o);
  }
  betterSqlite ??= requireHere('better-sqlite3') as BetterConstructor;
  return withPragmas(new BetterSqliteDb(betterSqlite, path, o), o);
}

function withPragmas(db: SqliteDb, o: SqliteOpenOptions): SqliteDb {
  db.pragma(synchronousPragma(o.synchronous));
  return db;
}

/**
 * How a worker thread opens the driver (src/db/checkpoint.ts): a module to require and whether it
 * is Node's own (whose class is `DatabaseSync`).
 */
export function driverForWorker(driver: SqliteDriverName = sqliteDriverName()): { module: string; builtin: boolean } {
  return driver === 'node:sqlite' ? { module: 'node:sqlite', builtin: true } : { module: requireHere.resolve('better-sqlite3'), builtin: false };
}
