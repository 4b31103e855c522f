/** Closing a plan, a legal hold and `db purge --dry-run` from the CLI: a real process and SQLite file. */
import { describe, expect, it } from 'vitest';
import { bragbotCli } from '../support/cli.js';

const { bragbot } = bragbotCli({ prefix: 'bragbot-retention-', dbFile: 'r.db' });

describe('bragbot groups close / hold, db purge', () => {
  it('closes a plan, holds it (a reason required), and the dry run keeps it', async () => {
    expect((await bragbot('groups', 'add', 'ops', '--name', 'Operational Group')).code).toBe(0);
    expect((await bragbot('groups', 'close', 'ops', '--date', '2001-03-31')).stdout).toContain('ops: plan closed on 2001-03-31');
    const noReason = await bragbot('groups', 'hold', 'ops', '--on');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('needs a reason');
    expect((await bragbot('groups', 'hold', 'ops', '--on', '--reason', 'Ofsted inquiry 2026')).stdout).toMatch(/^ops: legal hold on since (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4} at \d{2}:\d{2} UK time \(Ofsted inquiry 2026\)/);
    const dry = JSON.parse((await bragbot('db', 'purge', '--dry-run', '--json')).stdout) as { dryRun: boolean; held: { groupSlug: string }[]; deleted: { category: string; groupSlug: string | null }[] };
    expect(dry.dryRun).toBe(true);
    expect(dry.held.map((h) => h.groupSlug)).toEqual(['ops']);
    expect(dry.deleted.some((d) => d.groupSlug === 'ops')).toBe(false);
    expect((await bragbot('groups', 'hold', 'ops', '--off')).stdout).toContain('ops: no legal hold');
    const after = JSON.parse((await bragbot('db', 'purge', '--dry-run', '--json')).stdout) as { deleted: { category: string; groupSlug: string | null }[] };
    expect(after.deleted.filter((d) => d.groupSlug === 'ops').map((d) => d.category)).toEqual(['status-updates', 'section-replies', 'report-versions']);
  }, 120_000);
});
