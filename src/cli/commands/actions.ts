import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('actions')
    .description("List a group's actions (optionally only the overdue ones, as of a date)")
    .requiredOption('--group <slug>', 'the group')
    .option('--overdue', 'only actions past their due date and not Blue')
    .option('--as-of <date>', 'the plan as it stood at the end of this day in London (YYYY-MM-DD; default: now)')
    .option('--json', 'machine-readable output (see README: "actions --json")')
    .action(async (opts: { group: string; overdue?: boolean; asOf?: string; json?: boolean }) => {
      const [{ withContext, printJson }, { listGroupActions }, { getGroupBySlug }, { parseAsOf }, { printActions }] = await Promise.all([
        import('../context.js'),
        import('../../services/actions.js'),
        import('../../services/groups.js'),
        import('../as-of.js'),
        import('../format.js'),
      ]);
      await withContext(async (ctx) => {
        const asOf = parseAsOf(opts.asOf, ctx.clock);
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, opts.group);
        const cards = await listGroupActions(ctx.db, group.id, asOf.date, { overdueOnly: !!opts.overdue, at: asOf.given ? asOf.at : undefined });
        if (opts.json) printJson(ctx, { group: group.slug, asOf: asOf.date, count: cards.length, actions: cards });
        else printActions(ctx.out, cards);
      });
    });
}
