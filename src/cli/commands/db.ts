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
