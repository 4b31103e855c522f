import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('audit')
    .description('Export the audit: every change to a plan and its governance (status updates, imports and archiving, snoozes, owners, members and roles, channels, settings, meetings, report versions and publication), with a Kind column, for audit and inspection')
    .requiredOption('--out <file>', 'output file (.csv or .xlsx)')
    .option('--group <slug>', 'one group (default: every group, and changes to people)')
    .option('--from <date>', 'changes on or after this London date (YYYY-MM-DD)')
    .option('--to <date>', 'changes on or before this London date (YYYY-MM-DD)')
    .option('--person <person>', 'changes made by or about this person (name, email or chat id)')
    .option('--format <format>', 'csv | xlsx (default: from --out)')
    .action(async (opts: { group?: string; out: string; from?: string; to?: string; person?: string; format?: string }) => {
      const [{ withContext }, { exportAudit, AUDIT_FORMATS }, { findPerson }, { BragbotError }, { writeFile }, { extname }] = await Promise.all([
        import('../context.js'),
        import('../../services/audit.js'),
        import('../../services/people.js'),
        import('../../core/errors.js'),
        import('node:fs/promises'),
        import('node:path'),
      ]);
      const format = (opts.format ?? extname(opts.out).slice(1)).toLowerCase();
      if (format !== 'csv' && format !== 'xlsx') {
        throw new BragbotError('INPUT_INVALID', `--format "${format}": use one of ${AUDIT_FORMATS.join(', ')} (or an --out file ending .csv or .xlsx)`);
      }
      await withContext(async (ctx) => {
        let personId: string | undefined;
        if (opts.person !== undefined) {
          const person = await findPerson(ctx.db, ctx.workspaceId, opts.person);
          if (!person) throw new BragbotError('NOT_FOUND', `--person "${opts.person}": no such person (see \`bragbot people list\`)`);
          personId = person.id;
        }
        const file = await exportAudit(ctx.db, { workspaceId: ctx.workspaceId, groupSlug: opts.group, from: opts.from, to: opts.to, personId, format, now: ctx.clock() });
        await writeFile(opts.out, file.body);
        ctx.out(`wrote ${opts.out}: ${file.rows} change${file.rows === 1 ? '' : 's'} (${format})`);
      });
    });
}
