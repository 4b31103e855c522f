/**
 * A meeting's paper is a record (issue 11 pt 3): the real binary on a SQLite file, its clock the
 * deployment's (stored with the data, moved here as time passes). The paper for the meeting of
 * 10 March 2021 shows the plan as at its cut-off (the end of 9 March, the working day before),
 * rebuilt from the history, so generating it again after a click and a re-import, and again a
 * year later, gives the same asOfDate, BRAG counts and overdue list, and stores no version over
 * the published one. The plan was first imported on 20 February, after the previous meeting
 * (10 February): its first import is its baseline, so "changes since" lists nothing as new.
 * `actions --as-of` and `export --as-of` show the same plan as the paper.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { realClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/client.js';
import { upsertPerson } from '../../src/services/people.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { bragbotCli, ROOT } from '../support/cli.js';

const PLAN = join(ROOT, 'tests', 'fixtures', 'plans', 'york-2021.csv');
const { dir, databaseUrl: DATABASE_URL, bragbot } = bragbotCli({ prefix: 'bragbot-as-of-', dbFile: 'as-of.db' });

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(DATABASE_URL);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

/** Moves the deployment's clock: from now on every command's "now" is `iso`, running in real time. */
const setClock = (iso: string) =>
  withDb((db) => db.deploymentClock.upsert({
    where: { id: 'deployment' },
    create: { id: 'deployment', startsAt: new Date(iso), realStartedAt: realClock() },
    update: { startsAt: new Date(iso), realStartedAt: realClock() },
  }));

interface Record {
  version: number; status: string; outcome: string; asOfDate: string; total: number;
  counts: { [brag: string]: number };
  overdue: { ref: string; workingDaysOverdue: number }[];
}

async function paper(): Promise<{ record: Record; content: { asOfDate: string; plan: { comparison: { kind: string; total: number; newActions: unknown[]; sinceDate: string } | null } } }> {
  const out = join(dir, 'paper.json');
  const r = await bragbot('report', '--group', 'york', '--meeting', '2021-03-10', '--out', out, '--json');
  expect(r.code, r.stderr).toBe(0);
  return { record: JSON.parse(r.stdout) as Record, content: JSON.parse(readFileSync(out, 'utf8')) };
}

const figures = (r: Record) => ({ asOfDate: r.asOfDate, total: r.total, counts: r.counts, overdue: r.overdue });

describe('the paper for a past meeting says the same after later changes and a year later', () => {
  it('asOfDate, BRAG counts and the overdue list hold; no version is stored over the published one', { timeout: 120_000 }, async () => {
    expect((await bragbot('groups', 'list')).code).toBe(0);
    await setClock('2021-02-20T10:00:00Z');
    expect((await bragbot('import', PLAN, '--group', 'york')).code).toBe(0);
    expect((await bragbot('groups', 'meeting', 'york', '2021-02-10')).code).toBe(0);
    expect((await bragbot('groups', 'meeting', 'york', '2021-03-10')).code).toBe(0);

    // Two days after the meeting the chair generates and publishes its paper.
    await setClock('2021-03-12T10:00:00Z');
    const first = await paper();
    expect(first.record).toMatchObject({ version: 1, outcome: 'created', asOfDate: '2021-03-09' });
    // Due before 9 March and not Blue: 29 (30/11/20, Green) and 45 (31/12/20, not rated).
    expect(first.record.overdue.map((a) => a.ref)).toEqual(['29', '45']);
    // First imported after the previous meeting: the import is the baseline, not 46 "new" actions.
    expect(first.content.plan.comparison).toMatchObject({ kind: 'meeting', sinceDate: '2021-02-09', newActions: [] });
    expect(first.content.plan.comparison!.total).toBe(first.record.total);
    expect((await bragbot('report', '--group', 'york', '--meeting', '2021-03-10', '--publish')).code).toBe(0);

    // Later: a click (29 done, 30 Red), then a re-import that changes 44 and 45, drops 47 and adds 48.
    await withDb(async (db) => {
      const ws = await db.workspace.findFirstOrThrow();
      const officer = await upsertPerson(db, ws.id, { name: 'Asha Officer', isAdmin: true });
      const id = async (ref: string) => (await db.action.findFirstOrThrow({ where: { ref, group: { slug: 'york' } } })).id;
      await recordUpdate(db, { workspaceId: ws.id, actionId: await id('29'), personId: officer.id, channel: 'teams', brag: 'blue', note: 'Strategy signed off', idempotencyKey: 'c1', now: new Date('2021-03-15T10:00:00Z') });
      await recordUpdate(db, { workspaceId: ws.id, actionId: await id('30'), personId: officer.id, channel: 'slack', brag: 'red', progress: 'Tracker stalled', idempotencyKey: 'c2', now: new Date('2021-03-15T11:00:00Z') });
    });
    const rows = parse(readFileSync(PLAN)) as string[][];
    const changed = rows
      .filter((r) => r[0] !== '47')
      // The council's file carries the clicks too (else the re-import would set 29 back to Green).
      .map((r) => {
        const to = ({ '29': 'Blue', '30': 'Red', '44': 'Amber', '45': 'Blue' } as { [ref: string]: string })[r[0]!];
        return to ? [...r.slice(0, 6), to] : r;
      });
    changed.push(['48', 'A new action added after the meeting', '', '', "Children's Social Care", '31/01/21', 'Red']);
    const reimport = join(dir, 'york-2021-v2.csv');
    writeFileSync(reimport, stringify(changed));
    await setClock('2021-03-20T10:00:00Z');
    const imported = await bragbot('import', reimport, '--group', 'york', '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: [{ ref: '48' }], archived: [{ ref: '47' }] });

    // Today's plan has moved on (the old report, on the wall clock, would print these) ...
    const today = JSON.parse((await bragbot('actions', '--group', 'york', '--overdue', '--json')).stdout) as { actions: { ref: string }[] };
    expect(today.actions.map((a) => a.ref)).toEqual(expect.arrayContaining(['48']));
    expect(today.actions.map((a) => a.ref)).not.toContain('29');

    // ... the meeting's paper has not: same figures, and the published version stands.
    await setClock('2021-03-21T10:00:00Z');
    const after = await paper();
    expect(figures(after.record)).toEqual(figures(first.record));
    expect(after.record).toMatchObject({ version: 1, status: 'published', outcome: 'reused' });

    // The same plan through actions and export --as-of the cut-off day.
    const asOf = JSON.parse((await bragbot('actions', '--group', 'york', '--overdue', '--as-of', '2021-03-09', '--json')).stdout) as { asOf: string; actions: { ref: string; daysOverdue: number }[] };
    expect(asOf.asOf).toBe('2021-03-09');
    expect(asOf.actions.map((a) => [a.ref, a.daysOverdue])).toEqual(first.record.overdue.map((a) => [a.ref, a.workingDaysOverdue]));
    const csv = join(dir, 'as-of.csv');
    expect((await bragbot('export', '--group', 'york', '--out', csv, '--as-of', '2021-03-09')).code).toBe(0);
    const exported = parse(readFileSync(csv)) as string[][];
    const brag = (ref: string) => exported.find((r) => r[0] === ref)?.[6];
    expect(exported.some((r) => r[0] === '47')).toBe(true);
    expect(exported.some((r) => r[0] === '48')).toBe(false);
    expect([brag('29'), brag('30'), brag('44'), brag('45')]).toEqual(['Green', 'Green', 'Green', '']);

    // A year later, the same command gives the same paper.
    await setClock('2022-03-21T10:00:00Z');
    const yearLater = await paper();
    expect(figures(yearLater.record)).toEqual(figures(first.record));
    expect(yearLater.record).toMatchObject({ version: 1, status: 'published', outcome: 'reused' });
  });

  it('report without --meeting picks the next meeting after the clock, else the most recent one', { timeout: 60_000 }, async () => {
    // Runs on the first test's database; its clock is 21 March 2022 and york has explicit meetings
    // on 10 February and 10 March 2021 only. A quarterly cadence from 13 January 2021 (second
    // Wednesdays) puts the next meeting on 13 April 2022: not the first, not the last recorded one.
    expect((await bragbot('groups', 'set', 'york', '--cadence', 'quarterly', '--anchor', '2021-01-13')).code).toBe(0);
    const next = await bragbot('report', '--group', 'york', '--json');
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ meetingDate: '2022-04-13', asOfDate: '2022-03-21' });
    // No cadence: nothing ahead, so the most recent meeting, and its paper as at its cut-off.
    expect((await bragbot('groups', 'set', 'york', '--cadence', 'none')).code).toBe(0);
    const last = await bragbot('report', '--group', 'york', '--json');
    expect(JSON.parse(last.stdout)).toMatchObject({ meetingDate: '2021-03-10', asOfDate: '2021-03-09', version: 1, status: 'published' });
  });
});
