/**
 * What every CLI command gets: validated config, an open and migrated database, the
 * workspace, a logger. Commands are plain async functions of this context.
 */
import type { Clock } from '../clock.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database, type Db } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { createLogger, type Logger } from '../logging.js';
import { userInfo } from 'node:os';
import type { AuditActor } from '../services/audit.js';
import { deploymentClock } from '../services/deployment-clock.js';
import { ensureWorkspace } from '../services/workspace.js';

export interface CliContext {
  config: Config;
  database: Database;
  db: Db;
  workspaceId: string;
  logger: Logger;
  /** The deployment's clock (the demo database's, else the machine's): every command reads the time here. */
  clock: Clock;
  /** Where normal output goes (tests capture it). */
  out: (line: string) => void;
  /** Who a change made here is recorded as in the audit: the operator's login, "cli:<user>". */
  operator: AuditActor;
}

export interface ContextOptions {
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  /** Tests: run on this clock instead of the deployment's. */
  clock?: Clock;
}

export async function withContext<T>(fn: (ctx: CliContext) => Promise<T>, options: ContextOptions = {}): Promise<T> {
  const config = loadConfig(options.env ?? process.env);
  // CLI output is for people and scripts: logs go to stderr, and only warnings unless asked.
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  await migrate(config.DATABASE_URL);
  const database = await openDatabase(config.DATABASE_URL, { synchronous: config.SQLITE_SYNCHRONOUS });
  try {
    const workspaceId = await ensureWorkspace(database.db, config.BRAGBOT_WORKSPACE, config.BRAGBOT_WORKSPACE_NAME);
    return await fn({
      config,
      database,
      db: database.db,
      workspaceId,
      logger,
      clock: options.clock ?? (await deploymentClock(database.db)),
      out: options.out ?? ((line) => process.stdout.write(`${line}\n`)),
      operator: { personId: null, name: `cli:${userInfo().username}`, channel: 'cli' },
    });
  } finally {
    await database.close();
  }
}

/** Stable JSON for --json output: other tools read it, so keys are sorted-by-design and dates ISO. */
export function printJson(ctx: Pick<CliContext, 'out'>, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2));
}
