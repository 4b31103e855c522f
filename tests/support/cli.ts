/**
 * The `bragbot` binary as an officer runs it: bin/bragbot.mjs in a real process, with chat platforms
 * off, on its own SQLite file in a fresh temporary folder (or on a database a test made). One helper
 * for every CLI test, so each asserts on the command's exit code and output rather than on how a
 * child process is spawned.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'bragbot.mjs');

/** What a command did: exit code 0 on success, the CLI's own code (2 = input to fix) otherwise. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface BragbotCli {
  /** The temporary folder: the command's working directory, and where its files and the SQLite file go. */
  dir: string;
  databaseUrl: string;
  /** The environment every command gets (DATABASE_URL, LOG_LEVEL=warn, SLACK_MODE and TEAMS_MODE off, plus the test's own). */
  env: NodeJS.ProcessEnv;
  /** Runs `bragbot ...args`; never throws, a failure is its exit code and stderr. */
  bragbot(...args: string[]): Promise<CliResult>;
  /** The same with some variables changed for this one command (a wrong setting, say). */
  bragbotWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult>;
  /** Runs `bragbot ...args` and returns its stdout; a non-zero exit throws, naming the command and its stderr. */
  stdoutOf(...args: string[]): Promise<string>;
}

export interface BragbotCliOptions {
  /** The temporary folder's name prefix, e.g. 'bragbot-roles-' (so a left-over folder says which test made it). */
  prefix: string;
  /** A database the test made (e.g. createTestDatabaseUrl): else a SQLite file in the temporary folder. */
  databaseUrl?: string;
  /** The SQLite file's name when no databaseUrl is given (default cli.db). */
  dbFile?: string;
  /** More variables for every command (BRAGBOT_WORKSPACE, say). */
  env?: NodeJS.ProcessEnv;
  /** The working directory (default: the temporary folder). */
  cwd?: string;
}

export function bragbotCli(options: BragbotCliOptions): BragbotCli {
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  const databaseUrl = options.databaseUrl ?? `file:${join(dir, options.dbFile ?? 'cli.db')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', SLACK_MODE: 'off', TEAMS_MODE: 'off', ...options.env };
  const cwd = options.cwd ?? dir;

  async function bragbotWith(overrides: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
    try {
      // A paper or an audit export as JSON passes the default 1 MiB of stdout.
      const r = await execFileAsync(process.execPath, [BIN, ...args], { env: { ...env, ...overrides }, cwd, maxBuffer: 20 * 1024 * 1024 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
      // A spawn that failed (no exit code) is not a command that exited non-zero: say so rather than compare codes.
      if (typeof x.code !== 'number') throw e;
      return { code: x.code, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
    }
  }
  const bragbot = (...args: string[]) => bragbotWith({}, ...args);
  async function stdoutOf(...args: string[]): Promise<string> {
    const r = await bragbot(...args);
    if (r.code !== 0) throw new Error(`bragbot ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }
  return { dir, databaseUrl, env, bragbot, bragbotWith, stdoutOf };
}
