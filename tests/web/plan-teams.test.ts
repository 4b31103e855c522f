/**
 * Teams users get the full paper through the plan page (issue 15 pt 3): a Teams bot cannot attach
 * a Word or PDF file, so `highlight-report` in a personal chat answers with the person's own link
 * to the group's plan page, which opens and serves the version just generated. In a channel the
 * card gives no personal link (others read it) and says how to get one; someone who may not open
 * the page gets no link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleHighlightReport } from '../../src/adapters/teams/handlers/highlight-report-command.js';
import { dbReportService } from '../../src/adapters/teams/report-service.js';
import { addMeeting, setGroupChannel } from '../../src/services/groups.js';
import { planLinker } from '../../src/web/pages/plan-link.js';
import { textOf } from '../teams/support/cards.js';
import { DEMO_AAD, fakeTurn, fixture, handlerDeps } from '../teams/support/harness.js';
import { Client, SECRET, startWebHarness, type WebHarness } from './support.js';

const NOW = new Date('2026-12-01T10:00:00Z');

describe('highlight-report in Teams gives the plan and its papers as a link', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness('sqlite', { now: NOW });
    // The owner is the Teams user of the recorded activities.
    await h.database.db.person.update({ where: { id: h.world.owner.id }, data: { teamsUserId: DEMO_AAD.owner } });
    await addMeeting(h.database.db, h.world.group.id, '2026-12-10');
  });
  afterAll(async () => h?.stop());

  const deps = () => {
    const link = planLinker({ db: h.database.db, workspaceId: h.world.workspaceId, signer: { secret: SECRET, ttlDays: 14 }, publicBaseUrl: h.web.url }, h.now);
    return handlerDeps(h.database.db, h.world.workspaceId, NOW, { reports: dbReportService(h.database.db), planLink: (personId, slug) => link(personId, slug, 'teams') });
  };

  it('in a personal chat: the card links to the person’s plan page, which opens and downloads the version just generated', async () => {
    const turn = fakeTurn({ ...fixture('playground-message-personal'), id: 'plan-link-personal' });
    const outcome = await handleHighlightReport(deps(), turn, 'ops 10/12/2026');
    expect(outcome, textOf(turn.replies[0]?.card)).toBe('answered');
    const text = textOf(turn.replies[0]!.card);
    const m = /The plan and its papers \(Word, PDF\): \[open the plan page\]\((http:\/\/[^)]+\/l\/[^)]+)\) \(your own link: do not forward it\)\./.exec(text);
    expect(m, text).not.toBeNull();
    const page = await new Client().open(m![1]!);
    expect(page.status).toBe(200);
    expect(page.dom.window.document.querySelector('h1')!.textContent).toBe('Children in Care Operational Group: the plan and its papers');
    const report = await h.database.db.highlightReport.findFirstOrThrow({ where: { groupId: h.world.group.id, meetingDate: '2026-12-10' } });
    const href = page.dom.window.document.querySelector(`a[href$="/report/${report.id}.pdf"]`)!.getAttribute('href')!;
    const pdf = await fetch(new URL(href, m![1]!));
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const link = await h.database.db.signedLink.findFirstOrThrow({ where: { purpose: 'group' } });
    expect(link).toMatchObject({ personId: h.world.owner.id, groupId: h.world.group.id });
  }, 60_000);

  it('in the group’s channel: no personal link is posted, the card says how to get one', async () => {
    await setGroupChannel(h.database.db, h.world.group.id, { platform: 'teams', conversationId: '19:bragbot-demo-general@thread.tacv2' });
    const before = await h.database.db.signedLink.count();
    const turn = fakeTurn({ ...fixture('playground-message-channel-mention'), id: 'plan-link-channel' });
    expect(await handleHighlightReport(deps(), turn, '')).toBe('answered');
    const text = textOf(turn.replies[0]!.card);
    expect(text).toContain('The plan and its papers (Word, PDF): send me highlight-report in a chat with bragbot for your own link.');
    expect(text).not.toContain('/l/');
    expect(await h.database.db.signedLink.count()).toBe(before);
  });

  it('someone the page would refuse gets no link', async () => {
    const link = planLinker({ db: h.database.db, workspaceId: h.world.workspaceId, signer: { secret: SECRET, ttlDays: 14 }, publicBaseUrl: h.web.url }, h.now);
    expect(await link(h.world.stranger.id, 'ops', 'teams')).toBeNull();
    expect(await link(h.world.owner.id, 'no-such-group', 'teams')).toBeNull();
    expect(await link(h.world.owner.id, 'ops', 'teams')).toMatch(/\/l\//);
  });
});
