/**
 * The update-round page (issue 14 pt 3): a lead writes the team's section of the highlight report
 * through a link, and it enters the report exactly as a thread reply does: the same heading rule,
 * the group's section order, edits replace the text, a deletion takes it out; someone the group
 * does not include is refused and nothing is stored; a link writes once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleReport } from '../../src/core/report/assemble.js';
import { captureThreadReply } from '../../src/services/threads.js';
import { loadReportInputs } from '../../src/services/reports.js';
import { problemSentence } from '../../src/web/problems.js';
import { providers } from '../support/db.js';
import { Client, startWebHarness, type WebHarness } from './support.js';

const NOW = new Date('2026-12-01T10:00:00Z');
const MEETING = '2026-12-10';

for (const provider of await providers()) {
  describe(`the update-round page (${provider})`, () => {
    let h: WebHarness;
    let meetingId: string;
    beforeAll(async () => {
      h = await startWebHarness(provider, { now: NOW });
      meetingId = (await h.database.db.meeting.create({ data: { groupId: h.world.group.id, date: MEETING } })).id;
    });
    afterAll(async () => h?.stop());

    const report = async () => assembleReport((await loadReportInputs(h.database.db, h.world.group.id, MEETING)).inputs, h.now());
    const roundLink = (personId: string) => h.link(personId, { purpose: 'round', meetingId, groupId: h.world.group.id }, { route: 'email' });

    it('a lead’s section, written on the page, lands in the report where the group’s order puts it, beside a Slack reply', async () => {
      await h.database.db.group.update({ where: { id: h.world.group.id }, data: { settingsJson: JSON.stringify({ report: { sections: ['Fostering Service', 'Pathway Team'] } }) } });
      // A Slack reply in the meeting's thread, posted earlier.
      const thread = await h.database.db.updateThread.create({ data: { meetingId, platform: 'slack', conversationId: 'C1', threadId: '1.0', openedAt: NOW } });
      await captureThreadReply(h.database.db, { workspaceId: h.world.workspaceId, platform: 'slack', conversationId: thread.conversationId, threadId: thread.threadId, messageId: '2.0', userId: 'UCHAIR', at: new Date(NOW.getTime() - 60_000), event: { kind: 'posted', text: '*Fostering Service*\n14 new carers approved.' } });

      const c = new Client();
      const page = await c.open(await roundLink(h.world.owner.id));
      expect(page.status).toBe(200);
      expect(page.text).toContain('Write your team’s update');
      expect(page.text).toContain('leave it out to file it under Pathway Team');
      const saved = await c.submit(c.form(page, 'section', { text: 'Caseloads are 18 on average; 96% of care leavers have a pathway plan.' }));
      expect(saved.status).toBe(200);
      expect(saved.text).toContain('Thank you, Olu Owner: saved as the Pathway Team section of the Children in Care Operational Group highlight report for');
      const r = await report();
      expect(r.sections.map((s) => s.heading)).toEqual(['Fostering Service', 'Pathway Team']);
      expect(r.sections[1]).toMatchObject({ text: 'Caseloads are 18 on average; 96% of care leavers have a pathway plan.', authors: ['Olu Owner'] });

      // The same form again is the same write; the link wrote once; the page's own follow-up link edits the section.
      expect((await c.submit(c.form(page, 'section', { text: 'Something else' }))).text).toContain('Already saved');
      const reused = await c.open(page.url);
      expect(reused.status).toBe(409);
      expect(reused.text).toContain(problemSentence('used'));
      const next = saved.dom.window.document.querySelector('main a')!.getAttribute('href')!;
      h.setNow(new Date(NOW.getTime() + 60_000));
      const editPage = await c.open(next);
      expect(editPage.text).toContain('Your update is saved as the Pathway Team section');
      const edited = await c.submit(c.form(editPage, 'section', { text: 'Pathway Team:\nCaseloads are 17 on average.' }));
      expect(edited.text).toContain('saved as the Pathway Team section');
      expect((await report()).sections[1]!.text).toBe('Caseloads are 17 on average.');
      expect(await h.database.db.sectionUpdate.count({ where: { thread: { meetingId, platform: 'web' } } })).toBe(1);

      // Deleting takes it out of the report; the deletion is final for that reply.
      h.setNow(new Date(NOW.getTime() + 120_000));
      const delPage = await c.open(edited.dom.window.document.querySelector('main a')!.getAttribute('href')!);
      const deleted = await c.submit(c.form(delPage, 'delete'));
      expect(deleted.text).toContain('Your update is no longer in the Children in Care Operational Group highlight report');
      expect((await report()).sections.map((s) => s.heading)).toEqual(['Fostering Service']);
      h.setNow(NOW);
    });

    it('someone outside the group is refused, and nothing is stored', async () => {
      const c = new Client();
      const page = await c.open(await roundLink(h.world.stranger.id));
      expect(page.status).toBe(403);
      expect(page.dom.window.document.querySelector('textarea')).toBeNull();
      expect(await h.database.db.sectionUpdate.count({ where: { personId: h.world.stranger.id } })).toBe(0);
    });

    it('an update over the limit is refused in words and nothing is stored', async () => {
      const c = new Client();
      const page = await c.open(await roundLink(h.world.manager.id));
      const long = await c.submit(c.form(page, 'section', { text: 'x'.repeat(6001) }));
      expect(long.text).toContain('Your update is 6,001 characters; the most is 6,000.');
      expect(await h.database.db.sectionUpdate.count({ where: { personId: h.world.manager.id } })).toBe(0);
      // Nothing was written, so the link still works.
      const ok = await c.submit(c.form(long, 'section', { text: 'Short now.' }));
      expect(ok.text).toContain('Thank you, Maya Manager');
    });
  });
}
