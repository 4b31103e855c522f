/**
 * `bragbot db backup --out FILE`: a consistent copy of the database, safe while the bot serves.
 *
 * - SQLite: SQLite's online backup API (the driver's `backup()`, src/db/sqlite-driver.ts) from a connection of its
 *   own, in one step: one consistent snapshot, while the bot's writes carry on (WAL). The copy is
 *   then opened and checked (`PRAGMA integrity_check`) before it replaces FILE.
 * - PostgreSQL: `pg_dump --format=custom` (one transaction snapshot, no locks that stop the bot),
 *   restored with `pg_restore` (docs/deploy.md). The connection details go to pg_dump in PG*
 *   environment variables, never on its command line (where `ps` would show the password).
 *
 * Either way FILE appears only when the backup is complete: it is written next to FILE and renamed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BragbotError } from '../core/errors.js';
import { providerOf, sqlitePath, type DbProvider } from './client.js';
import { openSqlite } from './sqlite-driver.js';

export interface BackupReport {
  provider: DbProvider;
  file: string;
  bytes: number;
  /** SQLite: what the checked copy holds. */
  counts?: { groups: number; actions: number; statusUpdates: number; outboxMessages: number };
}

export async function backupDatabase(url: string, out: string): Promise<BackupReport> {
  const file = resolve(out);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    const provider = providerOf(url);
    const counts = provider === 'sqlite' ? await backupSqlite(url, file, partial) : (await dumpPostgres(url, partial), undefined);
    renameSync(partial, file);
    return { provider, file, bytes: statSync(file).size, ...(counts ? { counts } : {}) };
  } finally {
    rmSync(partial, { force: true });
  }
}

async function backupSqlite(url: string, file: string, partial: string): Promise<BackupReport['counts']> {
  const source = sqlitePath(url);
  if (source === ':memory:' || !existsSync(source)) throw new BragbotError('INPUT_INVALID', `There is no SQLite database at ${source} to back up (DATABASE_URL=${url}).`);
  if (resolve(source) === file) throw new BragbotError('INPUT_INVALID', `--out ${file} is the database itself: name another file.`);
  const db = openSqlite(source, { readOnly: true, timeout: 10_000 });
  try {
    // All pages in one step: in steps of 100 pages (the default), SQLite restarts the copy after
    // any write between two steps, so a busy bot could keep a large backup from finishing. One
    // step reads one snapshot; in WAL mode the bot's writes carry on meanwhile.
    await db.backup(partial);
  } finally {
    db.close();
  }
  const copy = openSqlite(partial, { readOnly: true });
  try {
    const check = copy.pragma('integrity_check')[0]?.integrity_check;
    if (check !== 'ok') throw new Error(`the backup failed SQLite's integrity check: ${String(check)}`);
    const count = (table: string) => Number((copy.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n);
    return { groups: count('Group'), actions: count('Action'), statusUpdates: count('StatusUpdate'), outboxMessages: count('OutboxMessage') };
  } finally {
    copy.close();
  }
}

/** libpq's environment for a postgresql:// URL: the password stays out of the process list. */
export function pgEnvironment(url: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {};
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  const host = u.searchParams.get('host');
  if (host) env.PGHOST = host;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

function dumpPostgres(url: string, partial: string): Promise<void> {
  const args = ['--format=custom', '--no-owner', '--no-privileges', '--file', partial];
  return new Promise((resolvePromise, reject) => {
    // A clean environment for libpq: only what the URL says (a stray PGDATABASE must not win).
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
    const child = spawn('pg_dump', args, { env: { ...base, ...pgEnvironment(url) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new BragbotError('CONFIG_INVALID', 'pg_dump is not installed: install the PostgreSQL client tools of your server\'s major version or newer (Debian/Ubuntu: apt-get install postgresql-client), or run pg_dump yourself (docs/deploy.md).')
          : e,
      );
    });
    child.once('exit', (code) => {
      if (code === 0) resolvePromise();
      else reject(new BragbotError('CONFIG_INVALID', `pg_dump failed (exit ${code}): ${stderr.trim() || 'no message'}`));
    });
  });
}
