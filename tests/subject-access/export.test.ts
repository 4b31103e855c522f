/**
 * `people export`: the zip read back finds every category of what is held about the person, in
 * readable files and in JSON, with formula characters defused — and nothing about anyone else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember } from '../../src/services/groups.js';
import { exportSubjectAccess } from '../../src/services/subject-access.js';
import { bragbotCli } from '../support/cli.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';
import { addOutbox, addSectionReply, addStatusUpdate } from '../support/records.js';

const NOW = new Date('2021-09-01T09:00:00Z');

describe.each(await providers())('subject access export on %s', (provider) => {
  let t: TestDatabase;
  let files: Record<string, string>;
  let data: Record<string, unknown[]> & { profile: Record<string, unknown> };
  let counts: Record<string, number>;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const ws = await makeWorkspace(t.db);
    const group = await makeGroup(t.db, ws);
    const maya = await makePerson(t.db, ws, { name: 'Maya Manager', email: 'maya@example.gov.uk' });
    const olu = await makePerson(t.db, ws, { name: 'Olu Owner', email: 'olu@example.gov.uk', slackUserId: 'UOLU', teamsUserId: 'teams-olu', team: 'Pathway Team', manager: 'Maya Manager' });
    await addMember(t.db, group.id, olu.id, 'member');
    await addMember(t.db, group.id, maya.id, 'chair');
    const mine = await makeAction(t.db, group.id, { ref: '7', activity: 'Review pathway plans', ownerIds: [olu.id] });
    const theirs = await makeAction(t.db, group.id, { ref: '8', activity: 'Someone else’s action', ownerIds: [maya.id] });
    await addStatusUpdate(t.db, mine.id, new Date('2021-07-05T10:00:00Z'), { personId: olu.id, actorName: 'Olu Owner' }, { note: '=HYPERLINK("http://x")', toProgress: '12 of 15 plans reviewed' });
    await addStatusUpdate(t.db, mine.id, new Date('2021-07-06T10:00:00Z'), { personId: maya.id, actorName: 'Maya Manager' }, { note: 'Chair moved it to amber' });
    await addStatusUpdate(t.db, theirs.id, new Date('2021-07-07T10:00:00Z'), { personId: maya.id, actorName: 'Maya Manager' }, { note: 'MAYA PRIVATE NOTE' });
    await addSectionReply(t.db, group.id, '2021-07-20', { personId: olu.id, authorName: 'Olu Owner' }, 'Pathway Team: 94% of care leavers have a plan', new Date('2021-07-12T09:00:00Z'));
    await addSectionReply(t.db, group.id, '2021-07-20', { personId: maya.id, authorName: 'Maya Manager' }, 'MAYA PRIVATE REPLY', new Date('2021-07-12T09:30:00Z'));
    await addOutbox(t.db, { personId: olu.id, status: 'sent', createdAt: new Date('2021-07-01T09:00:00Z'), text: 'week of 28 June 2021' });
    await addOutbox(t.db, { personId: maya.id, status: 'sent', createdAt: new Date('2021-07-01T09:00:00Z'), text: 'MAYA PRIVATE DIGEST' });
    await t.db.snooze.create({ data: { personId: olu.id, actionId: mine.id, until: new Date('2021-07-10T09:00:00Z'), createdAt: new Date('2021-07-03T09:00:00Z') } });
    await t.db.conversationRef.create({ data: { personId: olu.id, platform: 'teams', conversationId: 'a:1olu-dm', referenceJson: '{}' } });

    const r = await exportSubjectAccess(t.db, { workspaceId: ws, person: 'olu@example.gov.uk', now: NOW });
    counts = r.counts;
    const zip = await JSZip.loadAsync(r.zip);
    files = Object.fromEntries(await Promise.all(Object.keys(zip.files).map(async (name) => [name, await zip.file(name)!.async('string')])));
    data = JSON.parse(files['data.json']!) as typeof data;
  });
  afterAll(async () => t?.destroy());

  it('has a README, the JSON and a readable file for every category', () => {
    expect(Object.keys(files).sort()).toEqual(['README.md', 'audit.csv', 'data.json', 'links.csv', 'memberships.csv', 'messages.csv', 'owned-actions.csv', 'profile.md', 'replies.md', 'snoozes.csv', 'updates.csv']);
    expect(files['README.md']).toContain('What bragbot holds about Olu Owner');
    expect(counts).toEqual({ memberships: 1, ownedActions: 1, updates: 1, replies: 1, messages: 1, snoozes: 1, links: 0, audit: 2 });
  });

  it('profile: identities, team, manager and the chats bragbot can reach them in', () => {
    expect(data.profile).toMatchObject({ name: 'Olu Owner', email: 'olu@example.gov.uk', slackUserId: 'UOLU', teamsUserId: 'teams-olu', team: 'Pathway Team', lineManager: 'Maya Manager' });
    expect(files['profile.md']).toContain('**Slack member id**: UOLU');
    expect(files['profile.md']).toContain('teams: a:1olu-dm');
  });

  it('memberships, owned actions, updates, replies, messages, snoozes and audit entries, each found', () => {
    expect(files['memberships.csv']).toContain('ops,Children in Care Operational Group,member');
    expect(files['owned-actions.csv']).toContain('Review pathway plans');
    expect(files['updates.csv']).toContain('12 of 15 plans reviewed');
    expect(files['replies.md']).toContain('94% of care leavers have a plan');
    expect(files['messages.csv']).toContain('week of 28 June 2021');
    expect(files['snoozes.csv']).toContain('2021-07-10T09:00:00.000Z');
    // The audit: what they changed, and what the chair changed on their action.
    expect(files['audit.csv']).toContain('made the change');
    expect(files['audit.csv']).toContain('owner of the action changed');
    expect(data.audit).toHaveLength(2);
  });

  it('CSV cells that would run as formulas are defused; the JSON keeps them as written', () => {
    expect(files['updates.csv']).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect((data.updates![0] as { note: string }).note).toBe('=HYPERLINK("http://x")');
  });

  it('holds nothing about anyone else', () => {
    const all = Object.values(files).join('\n');
    for (const secret of ['MAYA PRIVATE NOTE', 'MAYA PRIVATE REPLY', 'MAYA PRIVATE DIGEST', 'Someone else’s action']) expect(all).not.toContain(secret);
  });
});

describe('bragbot people export', () => {
  it('writes the zip, and names an unknown person as input to fix', async () => {
    const { dir, bragbot, stdoutOf } = bragbotCli({ prefix: 'bragbot-sar-', dbFile: 's.db' });
    await stdoutOf('people', 'add', 'Dee Officer', '--email', 'dee@example.gov.uk');
    expect(await stdoutOf('people', 'export', 'dee@example.gov.uk', '--out', join(dir, 'dee.zip'))).toContain('what is held about Dee Officer');
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'dee.zip')));
    expect(await zip.file('profile.md')!.async('string')).toContain('# Dee Officer');
    expect(await bragbot('people', 'export', 'nobody', '--out', join(dir, 'x.zip'))).toMatchObject({ code: 2, stderr: expect.stringContaining('no person "nobody"') });
  }, 90_000);
});
