import type { Command } from 'commander';
import { BragbotError } from '../../core/errors.js';

/** --as-of takes a date (YYYY-MM-DD, or DD/MM/YYYY) or an ISO date-time; "today" is its Europe/London date. */
export function parseAsOf(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = uk ? `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}` : value;
  // A bare date means noon in London that day: unambiguous whatever the clocks are doing.
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) throw new BragbotError('INPUT_INVALID', `--as-of "${value}" is not a date: use YYYY-MM-DD or an ISO date-time such as 2021-07-01T09:00:00+01:00`);
  return d;
}

export function register(program: Command): void {
  program
    .command('actions')
    .description("List a group's actions (optionally only the overdue ones, as of a date)")
    .requiredOption('--group <slug>', 'the group')
    .option('--overdue', 'only actions past their due date and not Blue')
    .option('--as-of <date>', 'judge "overdue" as of this date (default: now)')
    .option('--json', 'machine-readable output (see README: "actions --json")')
    .action(async (opts: { group: string; overdue?: boolean; asOf?: string; json?: boolean }) => {
      const [{ withContext, printJson }, { listGroupActions }, { getGroupBySlug }, { londonDate }, { printActions }] = await Promise.all([
        import('../context.js'),
        import('../../services/actions.js'),
        import('../../services/groups.js'),
        import('../../core/calendar.js'),
        import('../format.js'),
      ]);
      await withContext(async (ctx) => {
        const asOf = parseAsOf(opts.asOf, new Date());
        const group = await getGroupBySlug(ctx.db, ctx.workspaceId, opts.group);
        const cards = await listGroupActions(ctx.db, group.id, londonDate(asOf), { overdueOnly: !!opts.overdue });
        if (opts.json) printJson(ctx, { group: group.slug, asOf: londonDate(asOf), count: cards.length, actions: cards });
        else printActions(ctx.out, cards);
      });
    });
}
