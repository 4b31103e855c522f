/**
 * /highlight-report with the real report service (src/services/reports.ts): a preview from a
 * thread reply, Publish freezes the version, Download uploads a real DOCX.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbReportService } from '../../src/adapters/slack/report-service-db.js';
import { recordSlackThreadOpened } from '../../src/adapters/slack/threads.js';
import { addMeeting, addMember, setGroupChannel, upsertGroup } from '../../src/services/groups.js';
import { makeAction } from '../support/factories.js';
import { FAKE_TEAM_ID, fixture, NOW, startHarness, type Harness } from './harness.js';

describe('/highlight-report with the real report service (sqlite)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite', { reports: dbReportService });
    const db = h.database.db;
    await setGroupChannel(db, h.world.group.id, { platform: 'slack', conversationId: 'C0GROUP', teamId: FAKE_TEAM_ID });
    await makeAction(db, h.world.group.id, { ref: '7', activity: 'Recruit foster carers for teenagers', brag: 'red', ownerIds: [h.world.owner.id] });
    const meeting = await addMeeting(db, h.world.group.id, '2026-12-03');
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'C0GROUP' }, { kind: 'thread-open', groupName: h.world.group.name, meetingDate: '2026-12-03', askedNames: [] });
    await recordSlackThreadOpened(db, { meetingId: meeting.id, channelId: 'C0GROUP', sent, now: NOW });
    await h.event(fixture('event-thread-reply.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TS: '1795000000.000100', TEXT: '*Fostering Service*\n4 new carers approved.', THREAD_TS: sent.providerMessageId, CHANNEL_ID: 'C0GROUP', EVENT_ID: 'Ev0REAL1' }));
    await h.fake.waitFor(() => h.fake.callsOf('reactions.add')[0]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('previews, publishes (freezing the version) and uploads a Word document', async () => {
    const fields = fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'C0GROUP', USER_ID: 'UCHAIR', COMMAND: '/highlight-report', TEXT: '03/12/2026', RESPONSE_URL: h.fake.responseUrl('real-cmd'), TRIGGER_ID: 'trigger-real',
    });
    expect((await h.command(fields)).status).toBe(200);
    const preview = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'real-cmd'), 20_000);
    const blocks = preview.body.blocks as KnownBlock[];
    const text = JSON.stringify(blocks);
    expect(text).toContain('Highlight Report');
    expect(text).toContain('Fostering Service');
    const row = blocks.find((b) => b.type === 'actions') as ActionsBlock;
    const press = (actionId: string, responseId: string) => {
      const button = row.elements.find((e) => 'action_id' in e && e.action_id === actionId) as Button;
      return fixture('block-actions-ephemeral.json', {
        USER_ID: 'UCHAIR', TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: '1800003000.000001', CHANNEL_ID: 'C0GROUP', TRIGGER_ID: `t-${responseId}`,
        RESPONSE_URL: h.fake.responseUrl(responseId), ACTION_ID: actionId, BLOCK_ID: row.block_id, BUTTON_TEXT: button.text.text, VALUE: button.value, ACTION_TS: `1800003000.${responseId.length}`,
      });
    };

    await h.interaction(press('bragbot.report.publish', 'real-pub'));
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'real-pub'), 20_000);
    const stored = await h.database.db.highlightReport.findFirstOrThrow({ where: { groupId: h.world.group.id } });
    expect(stored).toMatchObject({ status: 'published', publishedBy: 'Asha Chair', meetingDate: '2026-12-03' });

    await h.interaction(press('bragbot.report.download.docx', 'real-dl'));
    const done = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'real-dl'), 30_000);
    expect(String(done.body.text)).toMatch(/\.docx/);
    expect(h.fake.uploads.at(-1)!.bytes).toBeGreaterThan(2000);
  });

  it('refuses the report to someone outside the group', async () => {
    const fields = fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'C0GROUP', USER_ID: 'USTRANGER', COMMAND: '/highlight-report', TEXT: '', RESPONSE_URL: h.fake.responseUrl('real-stranger'), TRIGGER_ID: 'trigger-stranger',
    });
    await h.command(fields);
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'real-stranger'), 20_000);
    expect(String(reply.body.text)).toContain('Only members of the group');
  });

  it('without a date: the next meeting after the clock (a cadence one), not the first or the last recorded', async () => {
    const db = h.database.db;
    // Quarterly from 13 January 2021, that meeting recorded; the clock says 1 December 2026.
    const board = await upsertGroup(db, h.world.workspaceId, { slug: 'board', name: 'Corporate Parenting Board', cadence: 'quarterly', cadenceAnchor: '2021-01-13' });
    await addMember(db, board.id, h.world.chair.id, 'chair');
    await addMeeting(db, board.id, '2021-01-13');
    const fields = fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'C0GROUP', USER_ID: 'UCHAIR', COMMAND: '/highlight-report', TEXT: 'board', RESPONSE_URL: h.fake.responseUrl('real-next'), TRIGGER_ID: 'trigger-next',
    });
    expect((await h.command(fields)).status).toBe(200);
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'real-next'), 20_000);
    expect((await db.highlightReport.findMany({ where: { groupId: board.id }, select: { meetingDate: true } })).map((r) => r.meetingDate)).toEqual(['2027-01-13']);
  });
});
