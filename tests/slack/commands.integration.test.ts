/**
 * Slash commands over signed HTTP: /highlight-report acknowledges within Slack's 3 seconds even
 * when the report takes longer, then previews, publishes once and uploads the paper; /brag lists
 * and updates your own actions.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportPreview, ReportService } from '../../src/adapters/slack/report-service.js';
import { addMember, setGroupChannel } from '../../src/services/groups.js';
import { makeAction, makeGroup } from '../support/factories.js';
import { providers } from '../support/db.js';
import { FAKE_TEAM_ID, fixture, startHarness, type Harness } from './harness.js';

const SLOW_MS = 3500;

/** A report service that takes longer than Slack allows, and remembers what it was asked. */
function slowReports(delayMs: () => number) {
  const asked: Parameters<ReportService['generate']>[0][] = [];
  const published: string[] = [];
  const preview = (groupSlug: string, meetingDate: string, status = 'draft'): ReportPreview => ({
    reportId: `rep-${groupSlug}-${meetingDate}`, groupSlug, meetingDate, version: 1, status,
    summary: `*Children in Care Operational Group – Highlight Report*\nMeeting ${meetingDate}\n*Status*: Red 1 · Amber 2 · Green 3`,
    canPublish: true,
  });
  const service: ReportService = {
    async generate(req) {
      await new Promise((r) => setTimeout(r, delayMs()));
      asked.push(req);
      return preview(req.groupSlug, req.meetingDate ?? '2026-12-03');
    },
    async render(req) {
      return { body: Buffer.from(`%PDF-1.4 report ${req.reportId}`), filename: `highlight-report-${req.reportId}.${req.format}`, mimeType: req.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
    },
    async previewOf(req) {
      const [, groupSlug = 'ops', ...date] = req.reportId.split('-');
      return preview(groupSlug, date.join('-'));
    },
    async publish(req) {
      published.push(req.reportId);
      const [, groupSlug = 'ops', ...date] = req.reportId.split('-');
      // The real service names the group's own channel (tests/slack/report-publish.integration.test.ts).
      return { kind: 'published', preview: preview(groupSlug, date.join('-'), 'published'), channel: { platform: 'slack', conversationId: 'C0GROUP', teamId: FAKE_TEAM_ID, serviceUrl: null } };
    },
  };
  return { service, asked, published };
}

describe.each(await providers())('Slack slash commands over signed HTTP (%s)', (provider) => {
  let h: Harness;
  let delay = SLOW_MS;
  const reports = slowReports(() => delay);
  beforeAll(async () => {
    h = await startHarness(provider, { reports: reports.service });
    await setGroupChannel(h.database.db, h.world.group.id, { platform: 'slack', conversationId: 'C0GROUP', teamId: FAKE_TEAM_ID });
  });
  afterAll(async () => {
    await h?.close();
  });

  let seq = 0;
  function command(cmd: string, text: string, user = 'UCHAIR', channel = 'C0GROUP') {
    seq += 1;
    return fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: channel, USER_ID: user, COMMAND: cmd, TEXT: text,
      RESPONSE_URL: h.fake.responseUrl(`cmd-${seq}`), TRIGGER_ID: `trigger-cmd-${seq}`,
    });
  }
  const responsesTo = (fields: Record<string, string>) => h.fake.responses.filter((r) => h.fake.responseUrl(r.id) === fields.response_url);

  function clickEphemeral(blocks: KnownBlock[], actionId: string, responseId: string, user = 'UCHAIR') {
    const row = blocks.find((b) => b.type === 'actions' && b.elements.some((e) => 'action_id' in e && e.action_id === actionId)) as ActionsBlock;
    const button = row.elements.find((e) => 'action_id' in e && e.action_id === actionId) as Button;
    seq += 1;
    return fixture('block-actions-ephemeral.json', {
      USER_ID: user, TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: `1800001000.${seq}`, CHANNEL_ID: 'C0GROUP', TRIGGER_ID: `trigger-click-${seq}`,
      RESPONSE_URL: h.fake.responseUrl(responseId), ACTION_ID: actionId, BLOCK_ID: row.block_id, BUTTON_TEXT: button.text.text, VALUE: button.value, ACTION_TS: `1800001000.${seq}`,
    });
  }

  it('/highlight-report acknowledges inside 3 s while the report takes longer, then the preview arrives', async () => {
    delay = SLOW_MS;
    const fields = command('/highlight-report', 'ops 03/12/2026');
    const res = await h.command(fields);
    const answeredAt = performance.now();
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Preparing') });
    expect(responsesTo(fields)).toHaveLength(0);
    const preview = await h.fake.waitFor(() => responsesTo(fields)[0], SLOW_MS + 5000);
    expect(preview.at).toBeGreaterThan(answeredAt);
    expect(reports.asked.at(-1)).toMatchObject({ workspaceId: h.world.workspaceId, groupSlug: 'ops', meetingDate: '2026-12-03', requestedBy: 'Asha Chair', requesterPersonId: h.world.chair.id });
    expect(preview.body.response_type).toBe('ephemeral');
    const blocks = preview.body.blocks as KnownBlock[];
    const ids = blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : '')) : []));
    expect(ids).toEqual(['bragbot.report.publish', 'bragbot.report.download.docx', 'bragbot.report.download.pdf']);
    expect(JSON.stringify(blocks)).toContain('Highlight Report');
  });

  it('in a group’s channel the group can be left out; Publish posts in the channel once; Download uploads the paper to the DM', async () => {
    delay = 10;
    const fields = command('/highlight-report', '');
    await h.command(fields);
    const preview = await h.fake.waitFor(() => responsesTo(fields)[0]);
    expect(reports.asked.at(-1)?.groupSlug).toBe('ops');
    const blocks = preview.body.blocks as KnownBlock[];

    const publish = clickEphemeral(blocks, 'bragbot.report.publish', 'pub-1');
    expect((await h.interaction(publish)).status).toBe(200);
    const posted = await h.fake.waitFor(() => h.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'C0GROUP' && JSON.stringify(c.params.blocks).includes('Published by Asha Chair')));
    expect(JSON.stringify(posted.params.blocks)).toContain('Highlight Report');
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'pub-1'));
    // A second click (or a retry) publishes nothing new.
    await h.interaction(clickEphemeral(blocks, 'bragbot.report.publish', 'pub-2'));
    const again = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'pub-2'));
    expect(String(again.body.text)).toContain('already published');
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0GROUP' && JSON.stringify(c.params.blocks).includes('Published by'))).toHaveLength(1);

    await h.interaction(clickEphemeral(blocks, 'bragbot.report.download.pdf', 'dl-1'));
    const done = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'dl-1'));
    expect(String(done.body.text)).toContain('.pdf');
    const complete = h.fake.callsOf('files.completeUploadExternal').at(-1)!;
    expect(complete.params.channel_id).toBe('DCHAIR');
    expect(h.fake.uploads.at(-1)!.bytes).toBeGreaterThan(0);
    expect(h.fake.callsOf('files.getUploadURLExternal').at(-1)!.params.filename).toMatch(/\.pdf$/);
  });

  it('/highlight-report outside a group channel asks which group when the person is in several, and explains a bad date', async () => {
    delay = 10;
    const second = await makeGroup(h.database.db, h.world.workspaceId, { slug: 'partnership', name: 'Strategic Partnership' });
    await addMember(h.database.db, second.id, h.world.chair.id, 'chair');
    const asked = reports.asked.length;
    const which = command('/highlight-report', '2026-12-03', 'UCHAIR', 'C0ELSEWHERE');
    await h.command(which);
    const reply = await h.fake.waitFor(() => responsesTo(which)[0]);
    expect(String(reply.body.text)).toContain('Which group? Yours: `ops`, `partnership`');
    const bad = command('/highlight-report', 'ops 31/13/2026');
    await h.command(bad);
    const badReply = await h.fake.waitFor(() => responsesTo(bad)[0]);
    expect(String(badReply.body.text)).toMatch(/not a real date.*Usage/);
    expect(reports.asked.length).toBe(asked);
  });

  it('/brag lists your open actions with buttons, and `/brag <ref> <status> <note>` records an update once', async () => {
    const a = await makeAction(h.database.db, h.world.group.id, { ref: 'B-7', brag: 'amber', ownerIds: [h.world.owner.id] });
    const b = await makeAction(h.database.db, h.world.group.id, { ref: 'B-8', brag: 'red', ownerIds: [h.world.owner.id] });
    const list = command('/brag', '', 'UOWNER', 'DOWNER');
    const res = await h.command(list);
    expect(res.status).toBe(200);
    const shown = await h.fake.waitFor(() => responsesTo(list)[0]);
    const blockIds = (shown.body.blocks as KnownBlock[]).map((x) => x.block_id);
    expect(blockIds).toEqual(expect.arrayContaining([`act:${a.id}:card`, `act:${a.id}:buttons`, `act:${b.id}:card`]));

    const update = command('/brag', 'B-7 green Recruited two carers', 'UOWNER', 'DOWNER');
    await h.command(update);
    const after = await h.fake.waitFor(() => responsesTo(update)[0]);
    expect(JSON.stringify(after.body.blocks)).toContain('is now :large_green_circle: *Green*');
    const updates = await h.database.db.statusUpdate.findMany({ where: { actionId: a.id } });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ toBrag: 'green', note: 'Recruited two carers', channel: 'slack', idempotencyKey: `slack:cmd:${update.trigger_id}` });
  });

  it('a click on the ephemeral /brag list re-renders the list through its response_url', async () => {
    const a = await makeAction(h.database.db, h.world.group.id, { ref: 'E-1', brag: 'amber', ownerIds: [h.world.owner.id] });
    const list = command('/brag', '', 'UOWNER', 'DOWNER');
    await h.command(list);
    const shown = await h.fake.waitFor(() => responsesTo(list)[0]);
    const blocks = shown.body.blocks as KnownBlock[];
    const row = blocks.find((x) => x.block_id === `act:${a.id}:buttons`) as ActionsBlock;
    const green = row.elements.find((e) => 'action_id' in e && e.action_id === 'bragbot.brag.blue') as Button;
    seq += 1;
    const payload = fixture('block-actions-ephemeral.json', {
      USER_ID: 'UOWNER', TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: '1800002000.000001', CHANNEL_ID: 'DOWNER', TRIGGER_ID: 'trigger-e1',
      RESPONSE_URL: h.fake.responseUrl('eph-1'), ACTION_ID: 'bragbot.brag.blue', BLOCK_ID: row.block_id, BUTTON_TEXT: green.text.text, VALUE: green.value, ACTION_TS: '1800002000.000002',
    });
    await h.interaction(payload);
    const redrawn = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'eph-1'));
    expect(redrawn.body.replace_original).toBe(true);
    const text = JSON.stringify(redrawn.body.blocks);
    expect(text).toContain('Recorded :large_blue_circle: *Blue* (complete)');
    expect(text).toContain('has left your open list');
    expect(text).not.toContain(`act:${a.id}:card`);
    expect((await h.database.db.action.findUniqueOrThrow({ where: { id: a.id } })).brag).toBe('blue');
  });

  it('answers every slash command the manifest declares (a missing listener would time out with 404)', async () => {
    delay = 10;
    const manifest = parse(readFileSync(join(import.meta.dirname, '..', '..', 'manifests', 'slack', 'manifest.yml'), 'utf8')) as { features: { slash_commands: { command: string }[] } };
    for (const { command: cmd } of manifest.features.slash_commands) {
      const res = await h.command(command(cmd, 'help', 'UOWNER', 'DOWNER'));
      expect(res.status, cmd).toBe(200);
      expect(res.ms, cmd).toBeLessThan(3000);
    }
  });
});
