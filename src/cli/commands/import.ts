import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('import <file>')
    .description('Import an action plan (.xlsx, .ods, .docx or .csv) into a group; re-importing updates in place and keeps history')
    .requiredOption('--group <slug>', 'the group whose plan this is (created if new)')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--mapping <file>', 'JSON mapping file for a layout bragbot does not recognise')
    .option('--sheet <name>', 'XLSX/ODS: import only this sheet (default: every sheet that holds an action table)')
    .option('--name <name>', 'the group\'s name, when this import creates it (default: the file\'s title row, else the slug in words)')
    .option('--json', 'machine-readable output (see README: "import --json")')
    .action(async (file: string, opts: { group: string; dryRun?: boolean; mapping?: string; sheet?: string; name?: string; json?: boolean }) => {
      const [{ withContext, printJson }, { importPlan }, { isBragbotError }, progress] = await Promise.all([
        import('../context.js'),
        import('../../services/import-plan.js'),
        import('../../core/errors.js'),
        import('../progress.js'),
      ]);
      await withContext(async (ctx) => {
        const bar = opts.json ? null : progress.createProgress();
        try {
          const summary = await importPlan(ctx.db, {
            workspaceId: ctx.workspaceId,
            groupSlug: opts.group,
            path: file,
            mappingPath: opts.mapping,
            sheet: opts.sheet,
            name: opts.name,
            dryRun: opts.dryRun,
            now: ctx.clock(),
            onProgress: bar?.update,
          });
          bar?.stop();
          if (opts.json) printJson(ctx, summary);
          else (await import('../format.js')).printImportSummary(ctx.out, summary);
        } catch (e) {
          bar?.stop();
          // Row errors are the useful part of a failed import: in --json mode print them as data too.
          if (opts.json && isBragbotError(e) && e.code === 'IMPORT_INVALID') printJson(ctx, e.details);
          throw e;
        }
      });
    });
}
