// Writes the next migration for both databases from the change to prisma/schema.prisma.
//   npm run db:generate-migration -- <name>
// Offline by design: diffs the schema against the snapshot taken at the last
// migration (prisma/migrations/schema.snapshot.prisma) with Prisma's WASM engine,
// so no shadow database and no engine download are needed. The PostgreSQL diff
// still asks the CLI for a connection (127.0.0.1:5432 as postgres), which any
// developer machine with the project's services has; nothing is written to it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePostgresSchema } from './generate-prisma.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
if (!name) {
  console.error('usage: npm run db:generate-migration -- <name>');
  process.exit(2);
}
const migrations = join(root, 'prisma', 'migrations');
const snapshot = join(migrations, 'schema.snapshot.prisma');
const prisma = join(root, 'node_modules', '.bin', 'prisma');

function diff(provider, schemaPath, fromSnapshotPath) {
  const from = fromSnapshotPath ? ['--from-schema-datamodel', fromSnapshotPath] : ['--from-empty'];
  return execFileSync(prisma, ['migrate', 'diff', ...from, '--to-schema-datamodel', schemaPath, '--script'], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      BRAGBOT_PRISMA_PROVIDER: provider,
      DATABASE_URL: provider === 'postgresql' ? 'postgresql://postgres@127.0.0.1:5432/postgres' : 'file:./data/diff.db',
    },
  });
}

function snapshotFor(provider) {
  if (!existsSync(snapshot)) return undefined;
  if (provider === 'sqlite') return 'prisma/migrations/schema.snapshot.prisma';
  const pg = join(root, 'prisma', 'generated', 'snapshot.postgresql.prisma');
  writeFileSync(pg, readFileSync(snapshot, 'utf8').replace('provider = "sqlite"', 'provider = "postgresql"'));
  return 'prisma/generated/snapshot.postgresql.prisma';
}

derivePostgresSchema();
const targets = { sqlite: 'prisma/schema.prisma', postgresql: 'prisma/generated/schema.postgresql.prisma' };
const sql = {};
for (const [provider, schema] of Object.entries(targets)) sql[provider] = diff(provider, schema, snapshotFor(provider));
if (!/CREATE|ALTER|DROP/i.test(sql.sqlite)) {
  console.log('No schema change since the last migration: nothing written.');
  process.exit(0);
}
for (const provider of Object.keys(targets)) {
  const dir = join(migrations, provider);
  mkdirSync(dir, { recursive: true });
  const next = String(readdirSync(dir).filter((f) => f.endsWith('.sql')).length + 1).padStart(4, '0');
  const file = join(dir, `${next}_${name}.sql`);
  writeFileSync(file, sql[provider]);
  console.log(`wrote ${file}`);
}
copyFileSync(join(root, 'prisma', 'schema.prisma'), snapshot);
