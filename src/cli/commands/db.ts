import type { Command } from 'commander';

export function register(program: Command): void {
  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending migrations (SQLite file or PostgreSQL from DATABASE_URL); safe to run from several replicas at once')
    .action(async () => {
      const { loadConfig } = await import('../../config.js');
      const { migrate } = await import('../../db/migrate.js');
      const config = loadConfig();
      const applied = await migrate(config.DATABASE_URL);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    });
  db.command('purge')
    .description('Delete what retention says is due (docs/data-protection.md): closed plans past their periods, old outbox messages and inbound keys; each kind written to the deletion log')
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .option('--json', 'print the result as JSON')
    .action(async (o: { dryRun?: boolean; json?: boolean }) => {
      const [{ withContext, printJson }, { purge }, { londonDay }] = await Promise.all([import('../context.js'), import('../../services/retention.js'), import('../../core/text.js')]);
      await withContext(async (ctx) => {
        const r = await purge(ctx.db, { workspaceId: ctx.workspaceId, now: ctx.clock(), dryRun: Boolean(o.dryRun), policy: { outboxDays: ctx.config.OUTBOX_RETENTION_DAYS, inboundKeyDays: ctx.config.INBOUND_KEYS_RETENTION_DAYS } });
        if (o.json) return printJson(ctx, { dryRun: r.dryRun, at: r.at, runId: r.runId, deleted: r.deleted, held: r.plan.held, notYet: r.plan.notYet });
        const verb = r.dryRun ? 'would delete' : 'deleted';
        for (const d of r.deleted) ctx.out(`${verb} ${d.count} ${d.category}${d.groupSlug ? ` of ${d.groupSlug}` : ''}: ${d.rule}`);
        for (const h of r.plan.held) ctx.out(`kept ${h.groupSlug}: legal hold since ${londonDay(h.since)}`);
        for (const n of r.plan.notYet) ctx.out(`not yet: ${n.category} of ${n.groupSlug}, due ${londonDay(n.dueAt)}`);
        if (r.dryRun) ctx.out('dry run: nothing was deleted');
      });
    });
  db.command('backup')
    .description('A consistent copy of the database, safe while the bot serves: SQLite\'s online backup API, or pg_dump (custom format) for PostgreSQL')
    .requiredOption('--out <file>', 'where to write it (written beside it first, then renamed: never half a file)')
    .option('--json', 'print the result as JSON')
    .action(async (o: { out: string; json?: boolean }) => {
      const { loadConfig } = await import('../../config.js');
      const { backupDatabase } = await import('../../db/backup.js');
      const config = loadConfig();
      const r = await backupDatabase(config.DATABASE_URL, o.out);
      if (o.json) return void process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      const what = r.counts ? `: ${r.counts.groups} groups, ${r.counts.actions} actions, ${r.counts.statusUpdates} status updates, integrity checked` : ' (pg_dump custom format: restore with pg_restore, see docs/deploy.md)';
      process.stdout.write(`backed up ${r.provider} to ${r.file} (${r.bytes} bytes)${what}\n`);
    });
}
