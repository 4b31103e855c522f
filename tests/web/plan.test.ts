/**
 * The group's plan page (issue 15 pt 3), server-side: York's delivery plan (demo/, seed 000)
 * imported into a group, opened through a signed 'group' link. Every action's ref, its BRAG in
 * words, its working days overdue by the one count (src/core/overdue.ts) and its history; the
 * report versions download as real Word and PDF files under the same link, as often as wanted;
 * a board viewer gets the reports and not the plan; someone outside the group, someone who has
 * left it, another organisation's link, an expired or altered link get a page that says so and
 * nothing of the plan; another group's report id is refused.
 */
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRAG_LABEL, type Brag } from '../../src/core/brag.js';
import { calendarFor } from '../../src/core/calendar.js';
import { overdueText, workingDaysOverdue } from '../../src/core/overdue.js';
import { addMember, removeMember, upsertGroup } from '../../src/services/groups.js';
import { importPlan } from '../../src/services/import-plan.js';
import { issueLink } from '../../src/services/links.js';
import { generate, publish, type StoredReport } from '../../src/services/reports.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { problemSentence } from '../../src/web/problems.js';
import { providers } from '../support/db.js';
import { makePerson, makeWorkspace } from '../support/factories.js';
import { Client, SECRET, startWebHarness, type Page, type WebHarness } from './support.js';

const YORK = join(import.meta.dirname, '..', '..', 'demo', 'york-delivery-plan-2021.csv');
const NOW = new Date('2026-12-01T10:00:00Z');
const MEETING = '2026-12-10';
const YORK_NAME = 'Children in Care and Care Leavers Operational Group (York)';

const download = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};
const reportLinks = (p: Page) => [...p.dom.window.document.querySelectorAll('a[href*="/report/"]')].map((a) => a.getAttribute('href')!);
const actionItems = (p: Page) => [...p.dom.window.document.querySelectorAll('li.plan-action')];

for (const provider of await providers()) {
  describe(`the group's plan page (${provider})`, () => {
    let h: WebHarness;
    let yorkId: string;
    let published: StoredReport;
    let draft: StoredReport;
    let otherGroups: StoredReport;
    let board: { id: string };
    let leaver: { id: string };
    let amberId: string;

    beforeAll(async () => {
      h = await startWebHarness(provider, { now: NOW });
      const db = h.database.db;
      const ws = h.world.workspaceId;
      yorkId = (await upsertGroup(db, ws, { slug: 'york', name: YORK_NAME, cadence: 'monthly' })).id;
      const summary = await importPlan(db, { workspaceId: ws, groupSlug: 'york', path: YORK, now: new Date('2021-01-19T10:00:00Z') });
      expect(summary.actions).toBe(48);
      await addMember(db, yorkId, h.world.chair.id, 'chair');
      await addMember(db, yorkId, h.world.owner.id, 'member');
      board = await makePerson(db, ws, { name: 'Bea Board', email: 'bea@example.gov.uk' });
      await addMember(db, yorkId, board.id, 'board-viewer');
      leaver = await makePerson(db, ws, { name: 'Lee Leaver', email: 'lee@example.gov.uk' });
      await addMember(db, yorkId, leaver.id, 'member');
      // One action with a history of its own: the chair made it Amber, with a note, in Slack.
      const a = await db.action.findFirstOrThrow({ where: { groupId: yorkId, brag: 'green' }, orderBy: { position: 'asc' } });
      amberId = a.id;
      await recordUpdate(db, { workspaceId: ws, actionId: a.id, personId: h.world.chair.id, channel: 'slack', brag: 'amber', note: 'Waiting on the health partner’s figures', idempotencyKey: 'plan-page-test-1', now: new Date('2026-11-30T14:05:00Z') });
      // Two versions for York's meeting (one published, a later draft) and one for another group.
      published = await publish(db, (await generate(db, yorkId, MEETING, 'Asha Chair', NOW)).report.id, 'Asha Chair', NOW);
      await recordUpdate(db, { workspaceId: ws, actionId: a.id, personId: h.world.chair.id, channel: 'web', progress: 'Figures promised for next week', idempotencyKey: 'plan-page-test-2', now: new Date(NOW.getTime() + 60_000) });
      draft = (await generate(db, yorkId, MEETING, 'Asha Chair', new Date(NOW.getTime() + 120_000))).report;
      expect(draft.version).toBe(2);
      otherGroups = (await generate(db, h.world.group.id, MEETING, 'Asha Chair', NOW)).report;
    }, 120_000);
    afterAll(async () => h?.stop());

    const yorkLink = (personId: string, extra: { ttlMs?: number } = {}) => h.link(personId, { purpose: 'group', groupId: yorkId }, extra);

    it('renders every action of York’s plan: its ref, BRAG in words, lead, due date and working days overdue by the one count', async () => {
      const page = await new Client().open(await yorkLink(h.world.owner.id));
      expect(page.status).toBe(200);
      expect(page.dom.window.document.querySelector('h1')!.textContent).toBe(`${YORK_NAME}: the plan and its papers`);
      const actions = await h.database.db.action.findMany({ where: { groupId: yorkId, archivedAt: null }, orderBy: { position: 'asc' } });
      expect(actions).toHaveLength(48);
      const items = actionItems(page);
      expect(items).toHaveLength(48);
      const cal = calendarFor('ENG');
      let overdue = 0;
      actions.forEach((a, i) => {
        const text = items[i]!.textContent!.replace(/\s+/g, ' ');
        expect(items[i]!.querySelector('h3')!.textContent).toContain(a.ref);
        // Colour is never alone: the badge carries the word and its meaning.
        const badge = items[i]!.querySelector('.brag')!;
        expect(badge.textContent).toBe(BRAG_LABEL[a.brag as Brag]);
        expect(badge.className).toBe(`brag brag-${a.brag}`);
        const days = workingDaysOverdue({ brag: a.brag as Brag, dueKind: a.dueKind, dueDate: a.dueDate }, '2026-12-01', cal);
        if (days > 0) {
          overdue += 1;
          expect(text).toContain(overdueText(days));
        } else {
          expect(text).not.toContain('overdue');
        }
        if (a.leadOfficer) expect(text).toContain(a.leadOfficer);
      });
      // York's plan of 2021, read in December 2026: most of it is long overdue, and the page says so in working days.
      expect(overdue).toBeGreaterThan(30);
      expect(page.text).toMatch(/\b1\d{3} working days overdue/);
      const glance = Object.fromEntries([...page.dom.window.document.querySelectorAll('table.plan-glance tbody tr')].map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]));
      expect(glance['Overdue (due date passed, not Blue)']).toBe(String(overdue));
      expect(glance['Green (on track)']).toBe(String(actions.filter((a) => a.brag === 'green').length));
    });

    it('shows each action’s history with who, when and through which channel', async () => {
      const page = await new Client().open(await yorkLink(h.world.owner.id));
      const item = page.dom.window.document.getElementById(`action-${amberId}`)!.closest('li')!;
      const history = [...item.querySelectorAll('details li')].map((li) => li.textContent!.replace(/\s+/g, ' '));
      expect(history[0]).toBe('Tue 1 Dec 2026 10:01, Asha Chair (web): progress updated');
      expect(history[1]).toBe('Mon 30 Nov 2026 14:05, Asha Chair (slack): Green to Amber: “Waiting on the health partner’s figures”');
      expect(item.querySelector('.brag')!.textContent).toBe('Amber');
      expect(item.textContent).toContain('Figures promised for next week');
    });

    it('lists York’s report versions, and each downloads as real Word and PDF bytes, as often as wanted (the link is not used up)', async () => {
      const c = new Client();
      const url = await yorkLink(h.world.owner.id);
      const page = await c.open(url);
      const links = reportLinks(page);
      const path = new URL(url).pathname;
      expect(links).toEqual([`${path}/report/${draft.id}.docx`, `${path}/report/${draft.id}.pdf`, `${path}/report/${published.id}.docx`, `${path}/report/${published.id}.pdf`]);
      expect(links.join(' ')).not.toContain(otherGroups.id);
      expect(page.text).toContain('Version 1 (published');
      expect(page.text).toContain('Version 2 (draft');

      const docx = await download(new URL(links[2]!, url).toString());
      expect(docx.status).toBe(200);
      expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(docx.headers.get('content-disposition')).toBe(`attachment; filename="york-highlight-report-${MEETING}-v1.docx"; filename*=UTF-8''york-highlight-report-${MEETING}-v1.docx`);
      expect(docx.headers.get('cache-control')).toBe('no-store');
      expect(docx.body.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
      const zip = await JSZip.loadAsync(docx.body);
      const xml = await zip.file('word/document.xml')!.async('string');
      expect(xml).toContain('<w:body>');
      expect(xml.replace(/<[^>]+>/g, '')).toContain('Action plan status');

      const pdf = await download(new URL(links[1]!, url).toString());
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-disposition')).toContain(`filename="york-highlight-report-${MEETING}-v2.pdf"`);
      expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // Open it again and download again: a read-only link keeps working until it expires.
      expect((await download(new URL(links[2]!, url).toString())).status).toBe(200);
      expect((await c.open(url)).status).toBe(200);
      expect((await new Client().open(url)).status).toBe(200);
      const row = await h.database.db.signedLink.findFirstOrThrow({ where: { personId: h.world.owner.id, purpose: 'group' }, orderBy: { createdAt: 'desc' } });
      expect(row.usedAt).toBeNull();
    }, 60_000);

    it('a board viewer gets the report versions but not the plan, as the access matrix says', async () => {
      const url = await yorkLink(board.id);
      const page = await new Client().open(url);
      expect(page.status).toBe(200);
      expect(actionItems(page)).toHaveLength(0);
      expect(page.text).toContain('The plan itself, action by action, is for the group’s members');
      expect(page.text).not.toContain('Waiting on the health partner');
      expect(reportLinks(page)).toHaveLength(4);
      const docx = await download(new URL(reportLinks(page)[0]!, url).toString());
      expect(docx.status).toBe(200);
      expect(docx.body.subarray(0, 2).toString('latin1')).toBe('PK');
    }, 60_000);

    it('another group’s report id, or a name that is no version, is refused under York’s link: a page, no file', async () => {
      const url = await yorkLink(h.world.owner.id);
      for (const file of [`${otherGroups.id}.pdf`, `${otherGroups.id}.docx`, `${published.id}.exe`, 'nothing.pdf']) {
        const res = await download(`${url}/report/${file}`);
        expect(res.status, file).toBe(404);
        expect(res.headers.get('content-type'), file).toContain('text/html');
        expect(res.body.toString('utf8'), file).toContain('There is no such version of this group’s highlight report');
        expect(res.body.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
      }
    });

    const leaksNothing = (body: string) => {
      expect(body).not.toContain('Waiting on the health partner');
      expect(body).not.toContain('/report/');
      expect(body).not.toContain('working days overdue');
    };

    it('someone outside the group, and someone who has left it, get a page that says so and nothing of the plan', async () => {
      const stranger = await new Client().open(await yorkLink(h.world.stranger.id));
      expect(stranger.status).toBe(403);
      expect(stranger.text).toContain('Only members of the group and its board can see its highlight reports');
      leaksNothing(stranger.html);

      const url = await yorkLink(leaver.id);
      expect((await new Client().open(url)).status).toBe(200);
      await removeMember(h.database.db, yorkId, leaver.id, 'member', { by: { personId: null, name: 'test', channel: 'cli' }, at: NOW });
      const left = await new Client().open(url);
      expect(left.status).toBe(403);
      expect(left.dom.window.document.querySelector('h1')!.textContent).toBe('You cannot open this plan');
      expect(left.text).toContain('it opens nothing now, and nothing of the plan is shown');
      leaksNothing(left.html);
      const file = await download(`${url}/report/${published.id}.pdf`);
      expect(file.status).toBe(403);
      expect(file.body.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
    });

    it('another organisation’s link, an expired link and an altered link: a page that says so, no plan, no file', async () => {
      const elsewhere = await makeWorkspace(h.database.db, 'elsewhere');
      const them = await makePerson(h.database.db, elsewhere, { name: 'Other Person' });
      const { token } = await issueLink(h.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: elsewhere, personId: them.id, scope: { purpose: 'group', groupId: yorkId }, now: NOW });
      const foreign = await new Client().open(`${h.web.url}/l/${token}`);
      expect(foreign.status).toBe(403);
      expect(foreign.text).toContain(problemSentence('foreign'));
      leaksNothing(foreign.html);
      expect((await download(`${h.web.url}/l/${token}/report/${published.id}.docx`)).status).toBe(403);

      const good = await yorkLink(h.world.owner.id);
      const altered = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
      const tampered = await new Client().open(altered);
      expect(tampered.status).toBe(400);
      expect(tampered.text).toContain(problemSentence('tampered'));
      leaksNothing(tampered.html);
      expect((await download(`${altered}/report/${published.id}.pdf`)).status).toBe(400);

      const short = await yorkLink(h.world.owner.id, { ttlMs: 60_000 });
      expect((await new Client().open(short)).status).toBe(200);
      h.setNow(new Date(NOW.getTime() + 61_000));
      try {
        const expired = await new Client().open(short);
        expect(expired.status).toBe(410);
        expect(expired.text).toContain(problemSentence('expired'));
        leaksNothing(expired.html);
        const file = await download(`${short}/report/${published.id}.docx`);
        expect(file.status).toBe(410);
        expect(file.body.subarray(0, 2).toString('latin1')).not.toBe('PK');
      } finally {
        h.setNow(NOW);
      }
    });
  });
}
