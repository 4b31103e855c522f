/**
 * The `bragbot` binary as an officer runs it: real process, real SQLite file, --json read back.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bragbotCli, ROOT } from '../support/cli.js';

const FIX = join(ROOT, 'tests', 'fixtures', 'plans');
const { dir, bragbot, bragbotWith } = bragbotCli({ prefix: 'bragbot-cli-' });

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
    const r = await bragbotWith({ SLACK_MODE: 'socket' }, 'groups', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SLACK_BOT_TOKEN: required when SLACK_MODE=socket');
  }, 30_000);
});
