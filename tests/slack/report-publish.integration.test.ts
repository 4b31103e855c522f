/**
 * Issue 10 pt 6 over Slack's real request shapes, with the real report service: Publish, clicked
 * on a preview asked for in a DM (or any channel), posts into the group's own Slack channel and
 * says which; a group with no Slack channel gets a plain sentence saying so, and nothing is
 * frozen or posted. (Before: "Published version 1 in <#D…>", posted into the DM.)
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbReportService } from '../../src/adapters/slack/report-service-db.js';
import { addMeeting, addMember, setGroupChannel } from '../../src/services/groups.js';
import { makeAction, makeGroup } from '../support/factories.js';
import { FAKE_TEAM_ID, fixture, startHarness, type Harness } from './harness.js';

describe('Publish goes to the group’s channel, from wherever it is clicked (sqlite)', () => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness('sqlite', { reports: dbReportService });
    const db = h.database.db;
    await setGroupChannel(db, h.world.group.id, { platform: 'slack', conversationId: 'C0GROUP', teamId: FAKE_TEAM_ID });
    await makeAction(db, h.world.group.id, { ref: '7', brag: 'red', ownerIds: [h.world.owner.id] });
    await addMeeting(db, h.world.group.id, '2026-12-03');
    // A second group the chair also chairs, with no Slack channel.
    const board = await makeGroup(db, h.world.workspaceId, { slug: 'board', name: 'Corporate Parenting Board' });
    await addMember(db, board.id, h.world.chair.id, 'chair');
    await makeAction(db, board.id, { ref: '1', brag: 'amber', ownerIds: [h.world.owner.id] });
    await addMeeting(db, board.id, '2026-12-03');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** `/highlight-report` typed in `channel` ("D…" = the chair's DM with bragbot, as Slack sends it). */
  async function preview(text: string, channel: string) {
    n += 1;
    const id = `pub-cmd-${n}`;
    const fields = fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: channel, USER_ID: 'UCHAIR', COMMAND: '/highlight-report', TEXT: text, RESPONSE_URL: h.fake.responseUrl(id), TRIGGER_ID: `t-${id}`,
    });
    if (channel.startsWith('D')) fields.channel_name = 'directmessage';
    expect((await h.command(fields)).status).toBe(200);
    return (await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id), 20_000)).body.blocks as KnownBlock[];
  }

  /** Publish pressed on that ephemeral preview, in the same conversation. */
  async function pressPublish(blocks: KnownBlock[], channel: string) {
    n += 1;
    const id = `pub-click-${n}`;
    const row = blocks.find((b) => b.type === 'actions') as ActionsBlock;
    const button = row.elements.find((e) => 'action_id' in e && e.action_id === 'bragbot.report.publish') as Button;
    const payload = fixture<Record<string, unknown> & { channel: { name: string } }>('block-actions-ephemeral.json', {
      USER_ID: 'UCHAIR', TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: `1800005000.00000${n}`, CHANNEL_ID: channel, TRIGGER_ID: `t-${id}`, RESPONSE_URL: h.fake.responseUrl(id),
      ACTION_ID: 'bragbot.report.publish', BLOCK_ID: row.block_id, BUTTON_TEXT: button.text.text, VALUE: button.value, ACTION_TS: `1800005000.10000${n}`,
    });
    if (channel.startsWith('D')) payload.channel.name = 'directmessage';
    expect((await h.interaction(payload)).status).toBe(200);
    return (await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id), 20_000)).body;
  }

  const postsTo = (channel: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);

  it('from a DM: posted in the group’s channel, and the answer names it', async () => {
    const blocks = await preview('ops 03/12/2026', 'D0CHAIR');
    const answer = await pressPublish(blocks, 'D0CHAIR');
    expect(String(answer.text)).toBe(':white_check_mark: Published version 1 in <#C0GROUP>.');
    expect(postsTo('C0GROUP')).toHaveLength(1);
    expect(JSON.stringify(postsTo('C0GROUP')[0]!.params.blocks)).toContain('Published by Asha Chair');
    expect(postsTo('D0CHAIR')).toEqual([]);
    expect(await h.database.db.highlightReport.findFirstOrThrow({ where: { groupId: h.world.group.id } })).toMatchObject({ status: 'published', publishedBy: 'Asha Chair' });
  });

  it('from another group’s channel: still the group’s own channel, once', async () => {
    const blocks = await preview('ops 03/12/2026', 'C0ELSEWHERE');
    const answer = await pressPublish(blocks, 'C0ELSEWHERE');
    expect(String(answer.text)).toBe('Version 1 is already published in <#C0GROUP>.');
    expect(postsTo('C0ELSEWHERE')).toEqual([]);
    expect(postsTo('C0GROUP')).toHaveLength(1);
  });

  it('a group with no Slack channel: said plainly, nothing frozen, nothing posted, the preview kept', async () => {
    const posts = h.fake.callsOf('chat.postMessage').length;
    const blocks = await preview('board 03/12/2026', 'D0CHAIR');
    const answer = await pressPublish(blocks, 'D0CHAIR');
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const text = String(answer.text);
    expect(text).toContain('Nothing was published: *Corporate Parenting Board* has no Slack channel to publish to');
    expect(text).toContain('`bragbot groups channel board --platform slack --id C…`');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(posts);
    const board = await h.database.db.group.findFirstOrThrow({ where: { slug: 'board' } });
    expect(await h.database.db.highlightReport.findFirstOrThrow({ where: { groupId: board.id } })).toMatchObject({ status: 'draft', publishedAt: null });
  });
});
