/**
 * The raw statements' column lists (src/db/columns.ts) are the schema's: each table raw SQL
 * writes has exactly those columns in the migrated database, on both engines. A column added to
 * prisma/schema.prisma without a migration, or a migration that drifts from the schema, fails here;
 * a column the raw INSERTs do not give a value fails to compile (their values are typed per column).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAW_WRITTEN_TABLES, STATUS_UPDATE_COLUMNS } from '../../src/db/columns.js';
import { sqlOf } from '../../src/db/sql.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';

describe.each(await providers())('raw column lists against the %s database', (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.destroy());

  async function columnsOf(table: string): Promise<string[]> {
    const sql = sqlOf(t.db)!;
    if (provider === 'sqlite') return (await sql.rows<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)).map((r) => r.name);
    return (await sql.rows<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [table])).map((r) => r.column_name);
  }

  it.each(Object.entries(RAW_WRITTEN_TABLES))('%s', async (table, columns) => {
    expect([...columns].sort()).toEqual((await columnsOf(table)).sort());
  });

  it('lists StatusUpdate’s 18 columns (the check can fail: a table with other columns does not match)', async () => {
    expect(STATUS_UPDATE_COLUMNS).toHaveLength(18);
    expect([...STATUS_UPDATE_COLUMNS].sort()).not.toEqual((await columnsOf('Action')).sort());
  });
});
