import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('export')
    .description('Write the plan to .xlsx, .docx or .csv in the layout it was imported in, with its BRAG and progress now (or --as-of a date)')
    .requiredOption('--group <slug>', 'the group')
    .requiredOption('--out <file>', 'output file (.xlsx, .docx or .csv)')
    .option('--as-of <date>', 'the plan as it stood at the end of this day in London (YYYY-MM-DD; default: now)')
    .action(async (opts: { group: string; out: string; asOf?: string }) => {
      const [{ withContext }, { exportPlan }, { getGroupBySlug }, { parseAsOf }] = await Promise.all([
        import('../context.js'),
        import('../../services/export-plan.js'),
        import('../../services/groups.js'),
        import('../as-of.js'),
      ]);
      await withContext(async (ctx) => {
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, opts.group);
        const asOf = parseAsOf(opts.asOf, ctx.clock);
        const res = await exportPlan(ctx.db, group.id, opts.out, asOf.given ? asOf.at : undefined);
        ctx.out(`wrote ${opts.out}: ${res.rows} rows (${res.format})${asOf.given ? `, the plan as at the end of ${asOf.date}` : ''}`);
      });
    });
}
