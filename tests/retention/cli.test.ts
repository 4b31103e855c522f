/** Closing a plan, a legal hold and `db purge --dry-run` from the CLI: a real process and SQLite file. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'bragbot.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bragbot-retention-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'r.db')}`, LOG_LEVEL: 'warn', SLACK_MODE: 'off', TEAMS_MODE: 'off' };

async function bragbot(...args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env, cwd: dir });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('bragbot groups close / hold, db purge', () => {
  it('closes a plan, holds it (a reason required), and the dry run keeps it', async () => {
    expect((await bragbot('groups', 'add', 'ops', '--name', 'Operational Group')).code).toBe(0);
    expect((await bragbot('groups', 'close', 'ops', '--date', '2001-03-31')).stdout).toContain('ops: plan closed on 2001-03-31');
    const noReason = await bragbot('groups', 'hold', 'ops', '--on');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('needs a reason');
    expect((await bragbot('groups', 'hold', 'ops', '--on', '--reason', 'Ofsted inquiry 2026')).stdout).toContain('ops: legal hold on since');
    const dry = JSON.parse((await bragbot('db', 'purge', '--dry-run', '--json')).stdout) as { dryRun: boolean; held: { groupSlug: string }[]; deleted: { category: string; groupSlug: string | null }[] };
    expect(dry.dryRun).toBe(true);
    expect(dry.held.map((h) => h.groupSlug)).toEqual(['ops']);
    expect(dry.deleted.some((d) => d.groupSlug === 'ops')).toBe(false);
    expect((await bragbot('groups', 'hold', 'ops', '--off')).stdout).toContain('ops: no legal hold');
    const after = JSON.parse((await bragbot('db', 'purge', '--dry-run', '--json')).stdout) as { deleted: { category: string; groupSlug: string | null }[] };
    expect(after.deleted.filter((d) => d.groupSlug === 'ops').map((d) => d.category)).toEqual(['status-updates', 'section-replies', 'report-versions']);
  }, 120_000);
});
