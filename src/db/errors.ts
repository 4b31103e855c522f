/**
 * Which database failures are transient: the connection was lost or the server was busy, so
 * the same statement may well succeed in a moment. A caller that would otherwise record a
 * final outcome (an outbox row "failed") retries these instead: they say nothing about the
 * work itself (issue 19: PostgreSQL terminating backends made delivered nudges "failed").
 *
 * They arrive in three shapes: Prisma's PrismaClientKnownRequestError (raw queries; the driver
 * error in meta.driverAdapterError), a bare DriverAdapterError (model queries; the mapped error
 * in `cause`), or the driver's own Error when the adapter had no mapping for it (pg's
 * "Connection terminated unexpectedly").
 */

/** Driver adapter error kinds (@prisma/driver-adapter-utils) that mean "try again". */
const TRANSIENT_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionWriteConflict']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01..57P03 (administrator or crash
 * shutdown, cannot connect now), 40001/40P01 (serialization failure, deadlock), 53xxx
 * (insufficient resources), 55P03 (lock not available).
 */
const TRANSIENT_SQLSTATE = /^(08...|57P0[123]|40001|40P01|53...|55P03)$/;

/** Prisma's own codes: cannot reach, timed out, server closed the connection, pool timeout, transaction conflicts. */
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

const TRANSIENT_SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']);

const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Messages of errors the drivers throw unmapped (pg's client and pool). */
const TRANSIENT_MESSAGE = /Connection terminated|terminating connection|connection (?:is )?(?:closed|ended)|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|the database system is (?:starting up|shutting down|in recovery mode)|Can't reach database server/i;

interface Probe {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown } | undefined;
}

/** The error and everything it wraps, outermost first (bounded: causes can be cyclic). */
function chain(e: unknown): Probe[] {
  const out: Probe[] = [];
  const queue: unknown[] = [e];
  while (queue.length > 0 && out.length < 10) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || out.includes(next as Probe)) continue;
    const p = next as Probe;
    out.push(p);
    queue.push(p.cause, p.meta?.driverAdapterError);
  }
  return out;
}

export function isTransientDatabaseError(e: unknown): boolean {
  return chain(e).some((p) => {
    if (typeof p.kind === 'string' && TRANSIENT_KINDS.has(p.kind)) return true;
    for (const code of [p.code, p.originalCode]) {
      if (typeof code !== 'string') continue;
      if (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_PRISMA_CODES.has(code) || TRANSIENT_SQLITE_CODES.has(code) || TRANSIENT_SOCKET_CODES.has(code)) return true;
    }
    if (p.name === 'PrismaClientInitializationError') return true;
    return typeof p.message === 'string' && TRANSIENT_MESSAGE.test(p.message);
  });
}

/** Prisma's P2002: a unique constraint refused the row (an idempotency key, a token, a slug seen before). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === 'P2002';
}
