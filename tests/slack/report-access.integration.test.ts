/**
 * Issue 10 pt 11 over Slack's real request shapes, with the real report service: a stranger
 * naming a group learns no group slugs; Publish is offered only to those who may publish, and a
 * refused Publish never replaces the preview; a date with no meeting stores no version.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbReportService } from '../../src/adapters/slack/report-service-db.js';
import { addMeeting, setGroupChannel } from '../../src/services/groups.js';
import { makeAction, makeGroup } from '../support/factories.js';
import { providers } from '../support/db.js';
import { FAKE_TEAM_ID, fixture, startHarness, type Harness } from './harness.js';

describe.each(await providers())('/highlight-report and who sees what (%s)', (provider) => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness(provider, { reports: dbReportService });
    const db = h.database.db;
    await setGroupChannel(db, h.world.group.id, { platform: 'slack', conversationId: 'C0GROUP', teamId: FAKE_TEAM_ID });
    await makeGroup(db, h.world.workspaceId, { slug: 'hidden-board', name: 'Hidden Board' });
    await makeAction(db, h.world.group.id, { ref: '7', brag: 'red', ownerIds: [h.world.owner.id] });
    await addMeeting(db, h.world.group.id, '2026-12-03');
  });
  afterAll(async () => {
    await h?.close();
  });

  async function ask(user: string, text: string, channel = 'C0ELSEWHERE') {
    n += 1;
    const id = `acc-${n}`;
    await h.command(fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: channel, USER_ID: user, COMMAND: '/highlight-report', TEXT: text, RESPONSE_URL: h.fake.responseUrl(id), TRIGGER_ID: `t-${id}`,
    }));
    return (await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id), 20_000)).body;
  }
  const buttonIds = (body: Record<string, unknown>) => ((body.blocks as KnownBlock[] | undefined) ?? []).filter((b): b is ActionsBlock => b.type === 'actions').flatMap((b) => b.elements.map((e) => ('action_id' in e ? e.action_id : '')));

  it('a stranger naming a group that is not theirs learns no group slugs', async () => {
    for (const named of ['secret-group', 'hidden-board', 'ops']) {
      const body = await ask('USTRANGER', named);
      expect(String(body.text)).toContain(`There is no group “${named}” that you can see.`);
      for (const slug of ['ops', 'hidden-board'].filter((s) => s !== named)) expect(String(body.text)).not.toContain(slug);
    }
    expect(await h.database.db.highlightReport.count()).toBe(0);
  });

  it('Publish is offered to the chair, not to a member; a member’s forged Publish is refused in a separate message', async () => {
    const chair = await ask('UCHAIR', 'ops 03/12/2026');
    expect(buttonIds(chair)).toContain('bragbot.report.publish');
    const member = await ask('UOWNER', 'ops 03/12/2026');
    expect(String(JSON.stringify(member.blocks))).toContain('Highlight Report');
    expect(buttonIds(member)).toEqual(['bragbot.report.download.docx', 'bragbot.report.download.pdf']);
    // The member presses a Publish they were never shown (a replayed button value).
    const row = (chair.blocks as KnownBlock[]).find((b) => b.type === 'actions') as ActionsBlock;
    const publish = row.elements.find((e) => 'action_id' in e && e.action_id === 'bragbot.report.publish') as { value: string; text: { text: string } };
    await h.interaction(fixture('block-actions-ephemeral.json', {
      USER_ID: 'UOWNER', TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: '1800004000.000001', CHANNEL_ID: 'C0GROUP', TRIGGER_ID: 't-forged', RESPONSE_URL: h.fake.responseUrl('forged-pub'),
      ACTION_ID: 'bragbot.report.publish', BLOCK_ID: row.block_id, BUTTON_TEXT: publish.text.text, VALUE: publish.value, ACTION_TS: '1800004000.000002',
    }));
    const refusal = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'forged-pub'), 20_000);
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(refusal.body.text)).toContain('Only the group’s chair, a manager or an admin can publish');
    expect(await h.database.db.highlightReport.count({ where: { status: 'published' } })).toBe(0);
  });

  it('a date with no meeting stores no version and says which meetings there are', async () => {
    const before = await h.database.db.highlightReport.count();
    const body = await ask('UCHAIR', 'ops 04/12/2026');
    expect(String(body.text)).toContain('has no meeting on Friday 4 December 2026');
    expect(String(body.text)).toContain('Thursday 3 December 2026');
    expect(await h.database.db.highlightReport.count()).toBe(before);
  });

  it('the usage example names one of the person’s own groups, never an invented one', async () => {
    const body = await ask('UCHAIR', 'ops 31/13/2026');
    expect(String(body.text)).toContain('/highlight-report ops dd/mm/yyyy');
    expect(String(body.text)).not.toContain('cic-partnership');
  });
});
