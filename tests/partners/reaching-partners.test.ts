/**
 * Issue 15 pt 2: a partner organisation's person is never sent a DM. Their workspace / tenant is
 * compared before any attempt (when the outbox is written and again when it is sent), and the
 * message goes to the group's channel — in the latest update round's thread — with an @mention,
 * through the real Slack port (FakeSlack: no conversations.open, a chat.postMessage in the shared
 * channel's thread naming them) and the real Teams port (its connector receives a mention entity).
 * With no channel to mention them in, the message is stored as undeliverable, saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePlatform, loadReachability, resolveAddress, writeOutbox } from '../../src/delivery/outbox.js';
import { addMeeting, addMember, setGroupChannel } from '../../src/services/groups.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makePerson, makeStandardGroup } from '../support/factories.js';
import { plannedNudge } from '../delivery/support.js';
import { startHarness, type Harness } from '../slack/harness.js';
import { startTeamsEndpoint, type TeamsEndpoint } from '../teams/support/endpoint.js';

const NOW = new Date('2026-12-01T10:00:00Z');
const TENANT_B = '3f1c5a7e-8b2d-4e6f-9a0b-1c2d3e4f5a6b';

describe('Slack Connect: a partner’s member is @mentioned in the shared channel’s thread, never DMed', () => {
  let h: Harness;
  let partnerId: string;
  beforeAll(async () => {
    h = await startHarness('sqlite');
    const db = h.database.db;
    partnerId = (await makePerson(db, h.world.workspaceId, { name: 'Sam Dale', slackUserId: 'U0PARTNER1', slackTeamId: 'T0PARTNER' })).id;
    await addMember(db, h.world.group.id, partnerId, 'member');
    await setGroupChannel(db, h.world.group.id, { platform: 'slack', conversationId: 'C0SHARED' });
    const meeting = await addMeeting(db, h.world.group.id, '2026-12-03');
    await recordThreadOpened(db, { meetingId: meeting.id, platform: 'slack', conversationId: 'C0SHARED', threadId: '1800000000.000100', now: NOW });
  });
  afterAll(async () => h?.close());

  it('plans the group channel for the partner and a DM for our own people', async () => {
    const db = h.database.db;
    const partner = plannedNudge('partner-1', { id: partnerId, name: 'Sam Dale' }, { groupId: h.world.group.id });
    const ours = plannedNudge('ours-1', { id: h.world.owner.id, name: 'Olu Owner' }, { groupId: h.world.group.id });
    const report = await writeOutbox(db, [partner, ours], { platforms: ['slack'], now: NOW });
    expect(report.inserted.sort()).toEqual(['ours-1', 'partner-1']);
    const partnerAddress = await resolveAddress(db, { personId: partnerId, groupId: h.world.group.id, platform: 'slack' });
    expect(partnerAddress).toEqual({ platform: 'slack', conversationId: 'C0SHARED', threadId: '1800000000.000100', mention: { userId: 'U0PARTNER1', name: 'Sam Dale' } });
    expect(await resolveAddress(db, { personId: h.world.owner.id, groupId: h.world.group.id, platform: 'slack' })).toEqual({ platform: 'slack', conversationId: 'UOWNER', personId: h.world.owner.id });
  });

  it('sends it through the Slack port as a thread reply that names them, opening no DM', async () => {
    const address = await resolveAddress(h.database.db, { personId: partnerId, groupId: h.world.group.id, platform: 'slack' });
    const opened = h.fake.callsOf('conversations.open').length;
    await h.slack.port.send(address, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Sam Dale', actions: [] });
    expect(h.fake.callsOf('conversations.open')).toHaveLength(opened);
    const post = h.fake.callsOf('chat.postMessage').at(-1)!;
    expect(post.params).toMatchObject({ channel: 'C0SHARED', thread_ts: '1800000000.000100' });
    expect(String(post.params.text)).toMatch(/^<@U0PARTNER1> /);
    expect(JSON.stringify(post.params.blocks)).toContain('<@U0PARTNER1>, this is for you:');
  });

  it('with no channel of the group to mention them in, nothing is attempted: stored as undeliverable, saying why', async () => {
    const db = h.database.db;
    const reach = await loadReachability(db, [{ type: 'person', personId: partnerId, name: 'Sam Dale' }], []);
    const choice = choosePlatform({ type: 'person', personId: partnerId, name: 'Sam Dale' }, reach, ['slack'], null);
    expect(choice.problem).toMatch(/partner organisation's Slack workspace: no direct message can reach them/);
    const report = await writeOutbox(db, [plannedNudge('partner-nogroup', { id: partnerId, name: 'Sam Dale' })], { platforms: ['slack'], now: NOW });
    expect(report.undeliverable).toEqual(['partner-nogroup']);
    await expect(resolveAddress(db, { personId: partnerId, groupId: null, platform: 'slack' })).rejects.toThrow(/a direct message cannot reach them/);
  });
});

describe('a partner’s email is their other route: when no channel can carry the message, or when they put it first', () => {
  let h: Harness;
  let partnerId: string;
  const partner = { type: 'person' as const, personId: '', name: 'Sam Dale' };
  beforeAll(async () => {
    h = await startHarness('sqlite');
    const db = h.database.db;
    partnerId = (await makePerson(db, h.world.workspaceId, { name: 'Sam Dale', slackUserId: 'U0PARTNER1', slackTeamId: 'T0PARTNER' })).id;
    partner.personId = partnerId;
    await addMember(db, h.world.group.id, partnerId, 'member');
  });
  afterAll(async () => h?.close());

  it('with no address the message is undeliverable and says what would reach them', async () => {
    const reach = await loadReachability(h.database.db, [partner], [h.world.group.id]);
    const choice = choosePlatform(partner, reach, ['slack', 'email'], h.world.group.id);
    expect(choice.problem).toMatch(/no direct message can reach them, the group has no channel on their platform to mention them in \(bragbot groups channel\), and bragbot has no email address for them \(bragbot people set --email\)$/);
  });

  it('no channel of the group on their platform: planned by email (route recorded), addressed to their mailbox, never a DM', async () => {
    const db = h.database.db;
    await db.person.update({ where: { id: partnerId }, data: { email: 'sam.dale@police.example' } });
    const reach = await loadReachability(db, [partner], [h.world.group.id]);
    expect(choosePlatform(partner, reach, ['slack', 'email'], h.world.group.id)).toEqual({ platform: 'email', route: 'email' });
    // Email not configured here: said so, nothing attempted.
    expect(choosePlatform(partner, reach, ['slack'], h.world.group.id).problem).toMatch(/and email is not configured here \(SMTP_URL\)$/);
    const report = await writeOutbox(db, [plannedNudge('partner-email', { id: partnerId, name: 'Sam Dale' }, { groupId: h.world.group.id })], { platforms: ['slack', 'email'], now: NOW });
    expect(report.inserted).toEqual(['partner-email']);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: 'partner-email' } });
    expect({ platform: row.platform, route: row.route, status: row.status }).toEqual({ platform: 'email', route: 'email', status: 'pending' });
    expect(await resolveAddress(db, row)).toEqual({ platform: 'email', conversationId: 'sam.dale@police.example', personId: partnerId });
  });

  it('with the group’s shared channel the @mention comes first, unless their own order puts email first', async () => {
    const db = h.database.db;
    await setGroupChannel(db, h.world.group.id, { platform: 'slack', conversationId: 'C0SHARED' });
    let reach = await loadReachability(db, [partner], [h.world.group.id]);
    expect(choosePlatform(partner, reach, ['slack', 'email'], h.world.group.id)).toEqual({ platform: 'slack' });
    await db.person.update({ where: { id: partnerId }, data: { routes: 'email,slack-dm' } });
    reach = await loadReachability(db, [partner], [h.world.group.id]);
    expect(choosePlatform(partner, reach, ['slack', 'email'], h.world.group.id)).toEqual({ platform: 'email', route: 'email' });
  });
});

describe('Teams shared channel: an external member is @mentioned in the group’s channel, never sent a 1:1 chat', () => {
  let t: TestDatabase;
  let e: TeamsEndpoint;
  let partnerId: string;
  let groupId: string;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    const std = await makeStandardGroup(t.db);
    groupId = std.group.id;
    partnerId = (await makePerson(t.db, std.workspaceId, { name: 'Ravi Shah', teamsUserId: 'a0c1e2f3-4b5a-4d6c-8e7f-901a2b3c4d5e', teamsTenantId: TENANT_B })).id;
    e = await startTeamsEndpoint(t.db, std.workspaceId, NOW);
    // Even a stored 1:1 conversation (there can be none across tenants) is not used for a partner.
    await t.db.conversationRef.create({ data: { personId: partnerId, platform: 'teams', conversationId: 'a:should-not-be-used', referenceJson: JSON.stringify({ serviceUrl: e.connectorUrl }) } });
    await setGroupChannel(t.db, groupId, { platform: 'teams', conversationId: '19:bragbot-partnership-shared@thread.tacv2', teamId: '19:bragbot-demo-general@thread.tacv2', serviceUrl: e.connectorUrl });
  });
  afterAll(async () => {
    await e?.stop();
    await t?.destroy();
  });

  it('addresses the group’s channel with a mention and the connector gets the mention entity', async () => {
    const address = await resolveAddress(t.db, { personId: partnerId, groupId, platform: 'teams' });
    expect(address).toMatchObject({ platform: 'teams', conversationId: '19:bragbot-partnership-shared@thread.tacv2', mention: { userId: 'a0c1e2f3-4b5a-4d6c-8e7f-901a2b3c4d5e', name: 'Ravi Shah' } });
    await e.teams.port.send(address, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Ravi Shah', actions: [] });
    const call = e.calls.at(-1)!;
    expect(call.url).toContain('/v3/conversations/19:bragbot-partnership-shared@thread.tacv2');
    expect(call.url).not.toContain('should-not-be-used');
    expect(call.body).toMatchObject({ text: '<at>Ravi Shah</at>', entities: [{ type: 'mention', mentioned: { id: 'a0c1e2f3-4b5a-4d6c-8e7f-901a2b3c4d5e', name: 'Ravi Shah' } }] });
  });
});
