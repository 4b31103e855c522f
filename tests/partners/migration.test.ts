/**
 * Issue 15's migration (0008_partner_trust) on a database written before it: every person keeps
 * their Slack and Teams ids and is still themselves — one of our own (no partner workspace or
 * tenant), found by (ours, user id), holding their roles — and no group trusts anyone yet.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/db/sqlite-driver.js';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbProvider } from '../../src/db/client.js';
import { listMigrations, migrate } from '../../src/db/migrate.js';
import { decideOnAction } from '../../src/services/access.js';
import { findPersonByAccount } from '../../src/services/people.js';
import { createTestDatabaseUrl, providers } from '../support/db.js';

const BEFORE = '0007_data_protection';
const MIGRATIONS_ROOT = join(import.meta.dirname, '..', '..', 'prisma', 'migrations');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The project's migrations for `provider` up to and including `last`, in a directory of their own. */
function migrationsUpTo(provider: DbProvider, last: string): string {
  const root = mkdtempSync(join(tmpdir(), 'bragbot-partners-migrate-'));
  dirs.push(root);
  mkdirSync(join(root, provider));
  for (const f of readdirSync(join(MIGRATIONS_ROOT, provider)).sort()) {
    if (f.replace(/\.sql$/, '') > last) break;
    copyFileSync(join(MIGRATIONS_ROOT, provider, f), join(root, provider, f));
  }
  return root;
}

const ROWS = `
INSERT INTO "Workspace" ("id", "slug", "name") VALUES ('ws1', 'york', 'City of York Council');
INSERT INTO "Group" ("id", "workspaceId", "slug", "name") VALUES ('g1', 'ws1', 'cypic', 'Children in Care Partnership');
INSERT INTO "Person" ("id", "workspaceId", "name", "email", "slackUserId", "teamsUserId") VALUES
  ('p1', 'ws1', 'Olu Owner', 'olu@york.gov.uk', 'UOWNER', '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e01'),
  ('p2', 'ws1', 'Asha Chair', 'asha@york.gov.uk', 'UCHAIR', NULL);
INSERT INTO "GroupMember" ("id", "groupId", "personId", "role") VALUES ('m1', 'g1', 'p2', 'chair');
INSERT INTO "Action" ("id", "groupId", "ref", "rowKey", "position", "activity", "updatedAt") VALUES ('a1', 'g1', '1', '1', 1, 'Review the pledge', CURRENT_TIMESTAMP);
INSERT INTO "ActionOwner" ("id", "actionId", "personId") VALUES ('o1', 'a1', 'p1');
`;

async function exec(provider: DbProvider, url: string, sql: string): Promise<void> {
  if (provider === 'sqlite') {
    const db = openSqlite(url.replace(/^file:/, ''));
    db.exec(sql);
    db.close();
    return;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(sql);
  await c.end();
}

describe.each(await providers())('0008_partner_trust on a database from before it (%s)', (provider) => {
  it('keeps every person as one of our own, found by their ids, with their roles', async () => {
    expect(listMigrations(provider).map((m) => m.name)).toContain('0008_partner_trust');
    // An empty database for PostgreSQL (createTestDatabaseUrl migrates it fully: start again from nothing).
    const fresh = provider === 'sqlite' ? null : await createTestDatabaseUrl(provider);
    let url: string;
    if (provider === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'bragbot-partners-db-'));
      dirs.push(dir);
      url = `file:${join(dir, 'old.db')}`;
    } else {
      url = fresh!.url;
      await exec(provider, url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    }
    try {
      expect((await migrate(url, migrationsUpTo(provider, BEFORE))).at(-1)).toBe(BEFORE);
      await exec(provider, url, ROWS);
      // Later migrations (0009_audit_event …) follow it; this one is the first to run.
      expect((await migrate(url))[0]).toBe('0008_partner_trust');

      const { db, close } = await openDatabase(url);
      try {
        const people = await db.person.findMany({ orderBy: { id: 'asc' }, select: { id: true, slackUserId: true, slackTeamId: true, teamsUserId: true, teamsTenantId: true } });
        expect(people).toEqual([
          { id: 'p1', slackUserId: 'UOWNER', slackTeamId: null, teamsUserId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e01', teamsTenantId: null },
          { id: 'p2', slackUserId: 'UCHAIR', slackTeamId: null, teamsUserId: null, teamsTenantId: null },
        ]);
        expect((await findPersonByAccount(db, 'ws1', 'slack', 'UOWNER', null))?.id).toBe('p1');
        expect((await findPersonByAccount(db, 'ws1', 'teams', '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e01', null))?.id).toBe('p1');
        // The same ids from another workspace are nobody.
        expect(await findPersonByAccount(db, 'ws1', 'slack', 'UOWNER', 'T0PARTNER')).toBeNull();
        const owner = await decideOnAction(db, { workspaceId: 'ws1', caller: { kind: 'person', personId: 'p1' }, actionId: 'a1', capability: 'action.update' });
        expect(owner).toMatchObject({ allowed: true, role: 'owner' });
        const chair = await decideOnAction(db, { workspaceId: 'ws1', caller: { kind: 'person', personId: 'p2' }, actionId: 'a1', capability: 'action.update' });
        expect(chair).toMatchObject({ allowed: true, role: 'chair' });
        expect(await db.groupPartner.count()).toBe(0);
      } finally {
        await close();
      }
    } finally {
      await fresh?.drop();
    }
  });
});
