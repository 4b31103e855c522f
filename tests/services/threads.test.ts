import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureThreadReply, recordThreadOpened, sectionHeading } from '../../src/services/threads.js';
import { addMeeting } from '../../src/services/groups.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';

describe('sectionHeading', () => {
  it.each([
    ['*Court Team*\nThe team has 32 cases.', 'Pathway Team', 'Court Team', 'The team has 32 cases.'],
    ['Fostering Service:\n114 households.', null, 'Fostering Service', '114 households.'],
    ['All on track this month.', 'Pathway Team', 'Pathway Team', 'All on track this month.'],
    ['All on track.', null, 'Olu Owner', 'All on track.'],
  ])('%j', (text, team, section, body) => {
    expect(sectionHeading(text, team, 'Olu Owner')).toEqual({ section, body });
  });
});

describe('captureThreadReply', () => {
  let t: TestDatabase;
  let g: Awaited<ReturnType<typeof makeStandardGroup>>;
  const at = new Date('2021-01-10T10:00:00Z');
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    g = await makeStandardGroup(t.db);
    const meeting = await addMeeting(t.db, g.group.id, '2021-01-13');
    await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'slack', conversationId: 'C1', threadId: '100.1', now: at });
  });
  afterAll(async () => t?.destroy());

  const reply = (messageId: string, event: Parameters<typeof captureThreadReply>[1]['event'], userId = 'UOWNER') =>
    captureThreadReply(t.db, { workspaceId: g.workspaceId, platform: 'slack', conversationId: 'C1', threadId: '100.1', messageId, userId, at, event });

  it('captures, edits, ignores retries, deletes', async () => {
    expect(await reply('m1', { kind: 'posted', text: 'Caseload is 22.' })).toBe('captured');
    expect(await reply('m1', { kind: 'posted', text: 'Caseload is 22.' })).toBe('ignored');
    expect(await reply('m1', { kind: 'edited', text: 'Caseload is 23.' })).toBe('updated');
    const s = await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: 'm1' } });
    expect([s.text, s.section, s.authorName, s.editedAt !== null]).toEqual(['Caseload is 23.', 'Pathway Team', 'Olu Owner', true]);
    expect(await reply('m1', { kind: 'deleted' })).toBe('deleted');
    expect((await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: 'm1' } })).deletedAt).not.toBeNull();
  });

  it('ignores replies in threads the bot did not open, and in other workspaces', async () => {
    expect(await captureThreadReply(t.db, { workspaceId: g.workspaceId, platform: 'slack', conversationId: 'C1', threadId: '999.9', messageId: 'x', userId: 'UOWNER', at, event: { kind: 'posted', text: 'hi' } })).toBe('not-a-thread');
    expect(await captureThreadReply(t.db, { workspaceId: 'another', platform: 'slack', conversationId: 'C1', threadId: '100.1', messageId: 'y', userId: 'UOWNER', at, event: { kind: 'posted', text: 'hi' } })).toBe('not-a-thread');
  });
});
