// Generates both Prisma clients (SQLite and PostgreSQL) from the one schema.
// Run by `npm install` (postinstall) and `npm run db:generate-migration`.
// Why two clients: a generated client is tied to its provider, and bragbot
// picks the database at run time from DATABASE_URL.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sqliteSchema = join(root, 'prisma', 'schema.prisma');
const pgSchema = join(root, 'prisma', 'generated', 'schema.postgresql.prisma');

export function derivePostgresSchema() {
  const src = readFileSync(sqliteSchema, 'utf8');
  const out = src
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output     = "../src/db/generated/sqlite"', 'output     = "../../src/db/generated/postgresql"');
  if (out === src || !out.includes('postgresql"')) {
    throw new Error('generate-prisma: could not derive the PostgreSQL schema; did the generator or datasource block change?');
  }
  mkdirSync(dirname(pgSchema), { recursive: true });
  writeFileSync(pgSchema, '// GENERATED from prisma/schema.prisma by scripts/generate-prisma.mjs: do not edit.\n' + out);
  return pgSchema;
}

const prisma = join(root, 'node_modules', '.bin', 'prisma');
// The URL is only read for the provider check; nothing connects at generate time.
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
// Relative schema paths on purpose: with an absolute --schema, Prisma 6.19 ignores the
// config's engine: 'js' and tries to download a query engine.
const run = (schema, url) =>
  execFileSync(prisma, ['generate', '--schema', relative(root, schema)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, DATABASE_URL: url },
  });

if (import.meta.url === `file://${process.argv[1]}`) {
  run(sqliteSchema, 'file:./data/generate.db');
  run(derivePostgresSchema(), 'postgresql://localhost/generate');
}
