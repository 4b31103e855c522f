/**
 * A Prisma driver adapter for SQLite over src/db/sqlite-driver.ts — what Prisma speaks through on
 * Node 24+, where the driver is node:sqlite (on Node 20 and 22 Prisma's own
 * @prisma/adapter-better-sqlite3 is used, as before). Prisma's adapter builds its own
 * better-sqlite3 connection and cannot be given another, so this is the same adapter written
 * against our connection: the same declared-type mapping, argument and row conversion, error
 * mapping and one-transaction-at-a-time lock as @prisma/adapter-better-sqlite3 6.19, so Prisma
 * reads and writes exactly what it does through that one (tests/db/sqlite-adapter.test.ts runs
 * both drivers through it where the Node has both, and the whole suite runs on it on Node 24).
 */
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type ArgType,
  type ColumnType,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { openSqlite, type SqliteDb, type SqliteDriverName, type SqliteSynchronous } from './sqlite-driver.js';

const ADAPTER_NAME = 'bragbot-sqlite';

/** A column's declared type to Prisma's column type (null: unknown, inferred from the values). */
function mapDeclType(declType: string | null): ColumnType | null {
  if (declType === null) return null;
  switch (declType.toUpperCase()) {
    case '':
      return null;
    case 'DECIMAL':
      return ColumnTypeEnum.Numeric;
    case 'FLOAT':
      return ColumnTypeEnum.Float;
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
    case 'NUMERIC':
    case 'REAL':
      return ColumnTypeEnum.Double;
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'INTEGER':
    case 'SERIAL':
    case 'INT2':
      return ColumnTypeEnum.Int32;
    case 'BIGINT':
    case 'UNSIGNED BIG INT':
    case 'INT8':
      return ColumnTypeEnum.Int64;
    case 'DATETIME':
    case 'TIMESTAMP':
      return ColumnTypeEnum.DateTime;
    case 'TIME':
      return ColumnTypeEnum.Time;
    case 'DATE':
      return ColumnTypeEnum.Date;
    case 'TEXT':
    case 'CLOB':
    case 'CHARACTER':
    case 'VARCHAR':
    case 'VARYING CHARACTER':
    case 'NCHAR':
    case 'NATIVE CHARACTER':
    case 'NVARCHAR':
      return ColumnTypeEnum.Text;
    case 'BLOB':
      return ColumnTypeEnum.Bytes;
    case 'BOOLEAN':
      return ColumnTypeEnum.Boolean;
    case 'JSONB':
      return ColumnTypeEnum.Json;
    default:
      return null;
  }
}

function inferColumnType(value: unknown): ColumnType {
  switch (typeof value) {
    case 'string':
      return ColumnTypeEnum.Text;
    case 'bigint':
      return ColumnTypeEnum.Int64;
    case 'boolean':
      return ColumnTypeEnum.Boolean;
    case 'number':
      return ColumnTypeEnum.UnknownNumber;
    default:
      if (value instanceof ArrayBuffer || value instanceof Uint8Array) return ColumnTypeEnum.Bytes;
      throw new Error(`unexpected value of type ${typeof value} from SQLite`);
  }
}

/** Declared types where there are any; otherwise the first non-null value's type (Int32 for an all-null column). */
export function columnTypesOf(declaredTypes: (string | null)[], rows: unknown[][]): ColumnType[] {
  return declaredTypes.map((declared, i) => {
    const mapped = mapDeclType(declared);
    if (mapped !== null) return mapped;
    for (const row of rows) if (row[i] !== null) return inferColumnType(row[i]);
    return ColumnTypeEnum.Int32;
  });
}

function mapRow(row: unknown[], types: ColumnType[]): unknown[] {
  const out: unknown[] = new Array(row.length);
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    const t = types[i];
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) out[i] = Array.from(new Uint8Array(v as ArrayBufferLike));
    else if (typeof v === 'number' && (t === ColumnTypeEnum.Int32 || t === ColumnTypeEnum.Int64) && !Number.isInteger(v)) out[i] = Math.trunc(v);
    else if ((typeof v === 'number' || typeof v === 'bigint') && t === ColumnTypeEnum.DateTime) out[i] = new Date(Number(v)).toISOString();
    else if (typeof v === 'bigint') out[i] = v.toString();
    else out[i] = v;
  }
  return out;
}

/** A query argument as SQLite stores it the way Prisma does (dates ISO with +00:00, booleans 0/1). */
export function mapArg(arg: unknown, argType: ArgType | undefined): unknown {
  if (arg === null || arg === undefined) return null;
  const scalar = argType?.scalarType;
  if (typeof arg === 'string' && scalar === 'int') return Number.parseInt(arg);
  if (typeof arg === 'string' && (scalar === 'float' || scalar === 'decimal')) return Number.parseFloat(arg);
  if (typeof arg === 'string' && scalar === 'bigint') return BigInt(arg);
  if (typeof arg === 'boolean') return arg ? 1 : 0;
  if (typeof arg === 'string' && scalar === 'datetime') arg = new Date(arg);
  if (arg instanceof Date) return arg.toISOString().replace('Z', '+00:00');
  if (typeof arg === 'string' && scalar === 'bytes') return Buffer.from(arg, 'base64');
  if (Array.isArray(arg) && scalar === 'bytes') return Buffer.from(arg as number[]);
  return arg;
}

const fieldsOf = (message: string): string[] | undefined =>
  message
    .split('constraint failed: ')
    .at(1)
    ?.split(', ')
    .map((f) => f.split('.').pop() ?? f);

/** A driver error as Prisma's error kinds (P2002 unique, P2011 null, P2003 foreign key …); anything else as it is. */
function asAdapterError(e: unknown): unknown {
  const err = e as { code?: unknown; message?: unknown };
  if (typeof err?.code !== 'string' || typeof err.message !== 'string') return e;
  const base = { originalCode: err.code, originalMessage: err.message };
  const message = err.message;
  switch (err.code) {
    case 'SQLITE_BUSY':
      return new DriverAdapterError({ ...base, kind: 'SocketTimeout' });
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY': {
      const fields = fieldsOf(message);
      return new DriverAdapterError({ ...base, kind: 'UniqueConstraintViolation', constraint: fields ? { fields } : undefined });
    }
    case 'SQLITE_CONSTRAINT_NOTNULL': {
      const fields = fieldsOf(message);
      return new DriverAdapterError({ ...base, kind: 'NullConstraintViolation', constraint: fields ? { fields } : undefined });
    }
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
    case 'SQLITE_CONSTRAINT_TRIGGER':
      return new DriverAdapterError({ ...base, kind: 'ForeignKeyConstraintViolation', constraint: { foreignKey: {} } });
    default:
      if (message.startsWith('no such table')) return new DriverAdapterError({ ...base, kind: 'TableDoesNotExist', table: message.split(': ').at(1) });
      if (message.startsWith('no such column')) return new DriverAdapterError({ ...base, kind: 'ColumnNotFound', column: message.split(': ').at(1) });
      if (message.includes('has no column named ')) return new DriverAdapterError({ ...base, kind: 'ColumnNotFound', column: message.split('has no column named ').at(1) });
      return e;
  }
}

class Queryable {
  readonly provider = 'sqlite' as const;
  readonly adapterName = ADAPTER_NAME;

  constructor(protected readonly db: SqliteDb) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    try {
      const result = this.db.raw(query.sql, query.args.map((a, i) => mapArg(a, query.argTypes[i])));
      if (!result) return Promise.resolve({ columnNames: [], columnTypes: [], rows: [] });
      const columnTypes = columnTypesOf(result.declaredTypes, result.values);
      return Promise.resolve({ columnNames: result.columnNames, columnTypes, rows: result.values.map((r) => mapRow(r, columnTypes)) });
    } catch (e) {
      return Promise.reject(asAdapterError(e));
    }
  }

  executeRaw(query: SqlQuery): Promise<number> {
    try {
      return Promise.resolve(this.db.execute(query.sql, query.args.map((a, i) => mapArg(a, query.argTypes[i]))));
    } catch (e) {
      return Promise.reject(asAdapterError(e));
    }
  }
}

class SqliteTransaction extends Queryable implements Transaction {
  readonly options = { usePhantomQuery: false };

  constructor(
    db: SqliteDb,
    private readonly release: () => void,
  ) {
    super(db);
  }

  // Prisma sends COMMIT / ROLLBACK itself (usePhantomQuery: false); these only let the next transaction in.
  commit(): Promise<void> {
    this.release();
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}

/** One transaction at a time on the one connection (others wait their turn, in order). */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const turn = this.tail.then(() => {
      let released = false;
      return () => {
        if (!released) {
          released = true;
          release();
        }
      };
    });
    this.tail = this.tail.then(() => held);
    return turn;
  }
}

class SqliteAdapter extends Queryable implements SqlDriverAdapter {
  private readonly lock = new Lock();

  executeScript(script: string): Promise<void> {
    try {
      this.db.exec(script);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(asAdapterError(e));
    }
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
    const release = await this.lock.acquire();
    try {
      this.db.execute('BEGIN', []);
    } catch (e) {
      release();
      throw asAdapterError(e);
    }
    return new SqliteTransaction(this.db, release);
  }

  dispose(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

/** `new PrismaClient({ adapter: new SqliteAdapterFactory(path, { timeout }) })`. */
export class SqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName = ADAPTER_NAME;

  constructor(
    private readonly path: string,
    private readonly options: { timeout?: number; driver?: SqliteDriverName; synchronous?: SqliteSynchronous } = {},
  ) {}

  connect(): Promise<SqlDriverAdapter> {
    return Promise.resolve(new SqliteAdapter(openSqlite(this.path, { timeout: this.options.timeout ?? 5_000, ...(this.options.synchronous ? { synchronous: this.options.synchronous } : {}) }, this.options.driver)));
  }
}
