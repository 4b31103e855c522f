/**
 * The `bragbot` binary as an officer runs it: real process, real SQLite file, --json read back.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'bragbot.mjs');
const FIX = join(ROOT, 'tests', 'fixtures', 'plans');
const dir = mkdtempSync(join(tmpdir(), 'bragbot-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}`, LOG_LEVEL: 'warn', SLACK_MODE: 'off', TEAMS_MODE: 'off' };

async function bragbot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env, cwd: dir });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('bragbot CLI', () => {
  it('imports York, lists overdue actions as of a date, exports, and refuses a broken file with exit 2', async () => {
    const dry = await bragbot('import', join(FIX, 'york-2021.csv'), '--group', 'york', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const drySummary = JSON.parse(dry.stdout) as { dryRun: boolean; written: boolean; created: unknown[] };
    expect([drySummary.dryRun, drySummary.written, drySummary.created.length]).toEqual([true, false, 48]);

    const imp = await bragbot('import', join(FIX, 'york-2021.csv'), '--group', 'york', '--json');
    const summary = JSON.parse(imp.stdout) as { actions: number; objectives: number; brag: Record<string, number>; warnings: { row: number }[] };
    expect([summary.actions, summary.objectives, summary.brag]).toEqual([48, 8, { blue: 2, red: 0, amber: 0, green: 42, unrated: 4 }]);

    const overdue = await bragbot('actions', '--group', 'york', '--overdue', '--as-of', '2021-07-01', '--json');
    const list = JSON.parse(overdue.stdout) as { asOf: string; count: number; actions: { ref: string; daysOverdue: number; brag: string }[] };
    expect(list.asOf).toBe('2021-07-01');
    // Due on or before 30/06/21, not Blue: refs 1, 2, 9, 21, 22, 25, 29, 30, 31, 35, 36, 37, 44, 45 (unrated still counts), 46, 47; 10 and 14 are Blue.
    expect(list.actions.map((a) => a.ref)).toEqual(['1', '2', '9', '21', '22', '25', '29', '30', '31', '35', '36', '37', '44', '45', '46', '47']);
    expect(list.actions.every((a) => a.daysOverdue > 0 && a.brag !== 'blue')).toBe(true);

    const out = join(dir, 'york-out.xlsx');
    expect((await bragbot('export', '--group', 'york', '--out', out)).stdout).toContain('wrote');

    const bad = await bragbot('import', join(FIX, 'york-2021-one-bad-row.csv'), '--group', 'york');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('row 7');
    expect(bad.stderr).toContain('nothing was written');

    const unknown = await bragbot('actions', '--group', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no group "nope" (groups: york)');
  }, 60_000);

  it('names a wrong environment variable and exits 2', async () => {
    const r = await run(process.execPath, [BIN, 'groups', 'list'], { env: { ...env, SLACK_MODE: 'socket' }, cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toContain('SLACK_BOT_TOKEN: required when SLACK_MODE=socket');
  }, 30_000);
});
