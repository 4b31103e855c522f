import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('audit')
    .description('Export every status change of a group\'s plan (who, when, from, to, note, evidence, channel) for audit and inspection')
    .requiredOption('--group <slug>', 'the group')
    .requiredOption('--out <file>', 'output file (.csv or .xlsx)')
    .option('--format <format>', 'csv | xlsx (default: from --out)')
    .action(async (opts: { group: string; out: string; format?: string }) => {
      const [{ withContext }, { exportAudit, AUDIT_FORMATS }, { BragbotError }, { writeFile }, { extname }] = await Promise.all([
        import('../context.js'),
        import('../../services/audit.js'),
        import('../../core/errors.js'),
        import('node:fs/promises'),
        import('node:path'),
      ]);
      const format = (opts.format ?? extname(opts.out).slice(1)).toLowerCase();
      if (format !== 'csv' && format !== 'xlsx') {
        throw new BragbotError('INPUT_INVALID', `--format "${format}": use one of ${AUDIT_FORMATS.join(', ')} (or an --out file ending .csv or .xlsx)`);
      }
      await withContext(async (ctx) => {
        const file = await exportAudit(ctx.db, { workspaceId: ctx.workspaceId, groupSlug: opts.group, format, now: ctx.clock() });
        await writeFile(opts.out, file.body);
        ctx.out(`wrote ${opts.out}: ${file.rows} status change${file.rows === 1 ? '' : 's'} (${format})`);
      });
    });
}
