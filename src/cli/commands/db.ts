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
}
