/**
 * `bragbot report` and `bragbot audit` as an officer runs them: the real binary on a SQLite file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { upsertPerson } from '../../src/services/people.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { bragbotCli, ROOT } from '../support/cli.js';

const PLAN = join(ROOT, 'tests', 'fixtures', 'plans', 'york-2021.csv');
const { dir, databaseUrl: DATABASE_URL, bragbot } = bragbotCli({ prefix: 'bragbot-report-cli-' });

describe('bragbot report and audit', () => {
  it('writes the paper in each format, versions it, and exports the audit', async () => {
    expect((await bragbot('import', PLAN, '--group', 'york')).code).toBe(0);
    expect((await bragbot('groups', 'meeting', 'york', '2021-03-10')).code).toBe(0);

    // Two status changes recorded the way the chat adapters record them.
    const database = await openDatabase(DATABASE_URL);
    try {
      const db = database.db;
      const ws = await db.workspace.findFirstOrThrow();
      const admin = await upsertPerson(db, ws.id, { name: 'Asha Admin', isAdmin: true });
      const action = (ref: string) => db.action.findFirstOrThrow({ where: { ref, group: { slug: 'york' } } });
      await recordUpdate(db, { workspaceId: ws.id, actionId: (await action('29')).id, personId: admin.id, channel: 'teams', brag: 'blue', note: 'Signed off', evidence: 'Minutes 3 March', idempotencyKey: 'a1', now: new Date('2021-03-03T10:00:00Z') });
      await recordUpdate(db, { workspaceId: ws.id, actionId: (await action('44')).id, personId: admin.id, channel: 'slack', brag: 'red', note: '=HYPERLINK("http://x")', revisedDue: '30/09/21', idempotencyKey: 'a2', now: new Date('2021-03-04T10:00:00Z') });
    } finally {
      await database.close();
    }

    const docxOut = join(dir, 'paper.docx');
    const first = await bragbot('report', '--group', 'york', '--meeting', '2021-03-10', '--out', docxOut, '--by', 'Asha Admin', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ meetingDate: '2021-03-10', version: 1, status: 'draft', outcome: 'created', format: 'docx' });
    const zip = await JSZip.loadAsync(readFileSync(docxOut));
    expect(Object.keys(zip.files)).toContain('word/document.xml');

    const md = await bragbot('report', '--group', 'york', '--meeting', '2021-03-10', '--format', 'md');
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# York – Highlight Report');
    expect(md.stdout).toContain('| Blue | complete | 3 |');

    const pdfOut = join(dir, 'paper.pdf');
    const published = await bragbot('report', '--group', 'york', '--meeting', '2021-03-10', '--out', pdfOut, '--publish', '--json');
    expect(JSON.parse(published.stdout)).toMatchObject({ version: 1, status: 'published', outcome: 'reused' });
    expect(readFileSync(pdfOut).subarray(0, 5).toString()).toBe('%PDF-');

    const binaryToStdout = await bragbot('report', '--group', 'york', '--format', 'docx');
    expect(binaryToStdout.code).toBe(2);
    expect(binaryToStdout.stderr).toContain('give --out FILE');
    expect((await bragbot('report', '--group', 'nope', '--format', 'md')).code).toBe(2);

    // Everything: the import, the meeting, both status changes, the version and its publication, each with its kind.
    const allOut = join(dir, 'audit.csv');
    expect((await bragbot('audit', '--out', allOut)).code).toBe(0);
    const all = parse(readFileSync(allOut, 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(all.map((r) => r.Kind).sort()).toEqual(['group-created', 'import', 'meeting-added', 'report-generated', 'report-published', 'status', 'status']);
    expect(all.find((r) => r.Kind === 'meeting-added')).toMatchObject({ Channel: 'cli', Who: expect.stringMatching(/^cli:/) });

    // March 2021 (London dates), by the person who made them: the two status changes.
    const csvOut = join(dir, 'history.csv');
    const csv = await bragbot('audit', '--group', 'york', '--from', '2021-03-01', '--to', '2021-03-31', '--person', 'Asha Admin', '--out', csvOut);
    expect(csv.stdout).toContain('2 changes (csv)');
    const rows = parse(readFileSync(csvOut, 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['When (UTC)'], r['When (UK time)'], r.Who, r['Action ref'], r.From, r.To, r.Channel, r.Kind])).toEqual([
      ['2021-03-03T10:00:00.000Z', '2021-03-03 10:00:00', 'Asha Admin', '29', 'Green', 'Blue', 'teams', 'status'],
      ['2021-03-04T10:00:00.000Z', '2021-03-04 10:00:00', 'Asha Admin', '44', 'Green', 'Red', 'slack', 'status'],
    ]);
    expect(rows[0]!.Evidence).toBe('Minutes 3 March');
    expect([rows[1]!['Due before'], rows[1]!['Revised due'], rows[1]!['Revised due date']]).toEqual(['30/04/21', '30/09/21', '2021-09-30']);
    // A note that looks like a formula is defused in CSV…
    expect(rows[1]!.Note).toBe('\'=HYPERLINK("http://x")');
    expect((await bragbot('audit', '--from', '1/3/2021', '--out', csvOut)).code).toBe(2);
    expect((await bragbot('audit', '--person', 'Nobody Known', '--out', csvOut)).code).toBe(2);

    const xlsxOut = join(dir, 'history.xlsx');
    expect((await bragbot('audit', '--group', 'york', '--from', '2021-03-01', '--to', '2021-03-31', '--out', xlsxOut)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxOut);
    const sheet = wb.getWorksheet('Audit')!;
    expect(sheet.rowCount).toBe(3);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['When (UTC)', 'When (UK time)', 'Kind', 'Who']);
    // …and kept exactly, as text, in XLSX.
    expect(sheet.getRow(3).getCell(header.indexOf('Note') + 1).value).toBe('=HYPERLINK("http://x")');
    expect((sheet.getRow(2).getCell(1).value as Date).toISOString()).toBe('2021-03-03T10:00:00.000Z');

    expect((await bragbot('audit', '--group', 'york', '--out', join(dir, 'x.pdf'))).code).toBe(2);
  }, 120_000); // a dozen real processes, each starting tsx
});
