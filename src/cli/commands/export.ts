import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('export')
    .description('Write the current plan to .xlsx, .docx or .csv in the layout it was imported in, with current BRAG and progress')
    .requiredOption('--group <slug>', 'the group')
    .requiredOption('--out <file>', 'output file (.xlsx, .docx or .csv)')
    .action(async (opts: { group: string; out: string }) => {
      const [{ withContext }, { exportPlan }, { getGroupBySlug }] = await Promise.all([
        import('../context.js'),
        import('../../services/export-plan.js'),
        import('../../services/groups.js'),
      ]);
      await withContext(async (ctx) => {
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, opts.group);
        const res = await exportPlan(ctx.db, group.id, opts.out);
        ctx.out(`wrote ${opts.out}: ${res.rows} rows (${res.format})`);
      });
    });
}
