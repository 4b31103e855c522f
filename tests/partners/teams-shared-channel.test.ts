/**
 * Issue 15 pt 1, Teams: recorded shared-channel activities (tests/fixtures/teams/README.md) through
 * the real Teams SDK app at /api/messages. An external member — signed in to a partner's tenant,
 * the conversation hosted in ours — whom the group trusts has their card click and their thread
 * reply recorded; someone else from that tenant, and the member's object id claimed from our own
 * tenant, are refused and nothing of theirs is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionOf } from '../../src/adapters/teams/ids.js';
import { addMeeting, addMember } from '../../src/services/groups.js';
import { removePartner, trustPartner } from '../../src/services/partners.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makePerson, makeStandardGroup } from '../support/factories.js';
import { textOf } from '../teams/support/cards.js';
import { startTeamsEndpoint, type TeamsEndpoint } from '../teams/support/endpoint.js';
import { TENANT } from '../teams/support/harness.js';

const NOW = new Date('2021-01-11T16:00:00Z');
const PARTNER_TENANT = '3f1c5a7e-8b2d-4e6f-9a0b-1c2d3e4f5a6b';
const PARTNER_AAD = 'a0c1e2f3-4b5a-4d6c-8e7f-901a2b3c4d5e';
const STRANGER_AAD = 'b1d2f3a4-5c6b-4e7d-9f80-a12b3c4d5e6f';
const CHANNEL = '19:bragbot-partnership-shared@thread.tacv2';
const ROOT = '1610380000000';

describe.each(await providers())('Teams shared channel: a trusted partner’s external member and strangers (%s)', (provider) => {
  let t: TestDatabase;
  let e: TeamsEndpoint;
  let std: Awaited<ReturnType<typeof makeStandardGroup>>;
  let actionId: string;
  let partnerId: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    std = await makeStandardGroup(t.db);
    const partner = await makePerson(t.db, std.workspaceId, { name: 'Sam Dale', teamsUserId: PARTNER_AAD, teamsTenantId: PARTNER_TENANT, team: 'North Yorkshire Police' });
    partnerId = partner.id;
    await addMember(t.db, std.group.id, partner.id, 'member');
    actionId = (await makeAction(t.db, std.group.id, { brag: 'green', ownerIds: [partner.id] })).id;
    const meeting = await addMeeting(t.db, std.group.id, '2021-01-13');
    await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'teams', conversationId: CHANNEL, threadId: ROOT, now: NOW });
    await trustPartner(t.db, std.group.id, { platform: 'teams', orgId: PARTNER_TENANT.toUpperCase() }, 'test', NOW);
    e = await startTeamsEndpoint(t.db, std.workspaceId, NOW);
  });
  afterAll(async () => {
    await e?.stop();
    await t?.destroy();
  });

  const who = (aad: string, userTenant: string) => ({ USER_ID: `29:${aad}`, USER_NAME: 'Someone', AAD_ID: aad, HOST_TENANT: TENANT, USER_TENANT: userTenant });

  async function clickAmber(aad: string, userTenant: string) {
    const a = await t.db.action.findUniqueOrThrow({ where: { id: actionId } });
    seq += 1;
    const activity = e.activity('teams-shared-channel-invoke-brag', {
      ...who(aad, userTenant), ROOT_ID: ROOT, ACTION_ID: actionId, VERSION: versionOf(a.updatedAt),
      SCOPE: JSON.stringify({ k: 'nudge', ids: [actionId], n: 'Sam Dale', r: ['overdue'] }),
    });
    activity.id = `shared-invoke-${provider}-${seq}`;
    const res = await e.post(activity);
    expect(res.status).toBe(200);
    return textOf((JSON.parse(res.text) as { value?: unknown }).value);
  }
  const updates = () => t.db.statusUpdate.findMany({ where: { actionId } });

  it('the external member of the trusted partner tenant records Amber from the shared channel’s card', async () => {
    const seen = await clickAmber(PARTNER_AAD, PARTNER_TENANT);
    expect(seen).toMatch(/Amber/);
    expect(await updates()).toEqual([expect.objectContaining({ personId: partnerId, actorName: 'Sam Dale', toBrag: 'amber', channel: 'teams' })]);
  });

  it('a stranger from the same partner tenant is told they are of another organisation; nothing is recorded', async () => {
    const seen = await clickAmber(STRANGER_AAD, PARTNER_TENANT);
    expect(seen).toMatch(/^Another organisation\n/);
    expect(seen).toContain('another organisation’s Microsoft 365 tenant');
    expect(await updates()).toHaveLength(1);
  });

  it('the member’s object id claimed from our own tenant is nobody (identity is tenant and user id)', async () => {
    const seen = await clickAmber(PARTNER_AAD, TENANT);
    expect(seen).toMatch(/^bragbot does not know you yet\n/);
    expect(await updates()).toHaveLength(1);
  });

  const reply = (id: string, aad: string, userTenant: string) => {
    const a = e.activity('teams-shared-channel-reply', { ...who(aad, userTenant), ROOT_ID: ROOT, MESSAGE_ID: id });
    return a;
  };
  const section = (id: string) => t.db.sectionUpdate.findFirst({ where: { platformMessageId: id } });

  it('the trusted external member’s thread reply becomes their section; a stranger’s is refused in the thread and not stored', async () => {
    expect((await e.post(reply(`1610381000001${provider.length}`, PARTNER_AAD, PARTNER_TENANT))).status).toBe(200);
    expect(await section(`1610381000001${provider.length}`)).toMatchObject({ personId: partnerId, section: 'North Yorkshire Police', text: 'Missing-from-care return interviews: 14 of 16 offered within 72 hours.' });
    const before = e.calls.length;
    expect((await e.post(reply(`1610381000002${provider.length}`, STRANGER_AAD, PARTNER_TENANT))).status).toBe(200);
    expect(await section(`1610381000002${provider.length}`)).toBeNull();
    const notes = e.calls.slice(before).map((c) => JSON.stringify(c.body));
    expect(notes.some((n) => n.includes('Not saved') && n.includes('another organisation'))).toBe(true);
  });

  it('once the group stops trusting the tenant, the same member’s click and reply are refused', async () => {
    expect((await removePartner(t.db, std.group.id, { platform: 'teams', orgId: PARTNER_TENANT }, 'test', NOW)).outcome).toBe('removed');
    const seen = await clickAmber(PARTNER_AAD, PARTNER_TENANT);
    expect(seen).toContain('does not work with your organisation through bragbot');
    expect(await updates()).toHaveLength(1);
    expect((await e.post(reply(`1610381000003${provider.length}`, PARTNER_AAD, PARTNER_TENANT))).status).toBe(200);
    expect(await section(`1610381000003${provider.length}`)).toBeNull();
  });
});
