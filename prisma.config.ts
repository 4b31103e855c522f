// Prisma CLI configuration. Prisma's Rust engines cannot be downloaded on
// offline machines (councils' build servers, CI here), so the CLI runs on its
// bundled WASM engine with a driver adapter. bragbot applies migrations with
// its own runner (src/db/migrate.ts); the CLI is used only to generate the
// clients and to diff the schema into migration SQL (scripts/*.mjs set
// BRAGBOT_PRISMA_PROVIDER to pick the schema).
import { defineConfig } from 'prisma/config';
// adapter-pg 6.19 cannot read PostgreSQL's `name` columns that the schema engine queries; 7.10 can.
import { PrismaPg } from 'prisma-cli-adapter-pg';

const postgres = process.env.BRAGBOT_PRISMA_PROVIDER === 'postgresql';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: postgres ? 'prisma/generated/schema.postgresql.prisma' : 'prisma/schema.prisma',
  // Never connected to by generate/diff; present because engine 'js' requires an adapter. Imported
  // only if asked for: on Node 24 better-sqlite3 must not load (src/db/sqlite-driver.ts).
  adapter: async () =>
    postgres
      ? new PrismaPg({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' })
      : new (await import('@prisma/adapter-better-sqlite3')).PrismaBetterSQLite3({ url: 'file::memory:' }),
});
