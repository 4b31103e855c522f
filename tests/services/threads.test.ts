import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureThreadReply, recordThreadOpened, sectionHeading, type ReplyEvent } from '../../src/services/threads.js';
import { addMeeting } from '../../src/services/groups.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';

describe('sectionHeading', () => {
  it.each([
    ['*Court Team*\nThe team has 32 cases.', 'Pathway Team', 'Court Team', 'The team has 32 cases.', true],
    ['Fostering Service:\n114 households.', null, 'Fostering Service', '114 households.', true],
    // A first line on its own, with no colon and no bold, is the heading (and is not printed again as a paragraph).
    ['Fostering Panel\n\nThe Fostering Panel has continued to be held online.', null, 'Fostering Panel', 'The Fostering Panel has continued to be held online.', true],
    // A line naming the person's team is a heading even without a blank line after it.
    ['Pathway Team\nCaseloads are 22.', 'Pathway Team', 'Pathway Team', 'Caseloads are 22.', true],
    // Greetings, sentences and lines that run on are not headings.
    ['Hi all\n\nCaseloads are 22.', 'Pathway Team', 'Pathway Team', 'Hi all\n\nCaseloads are 22.', false],
    ['Quick update\n\nCaseloads are 22.', null, 'Olu Owner', 'Quick update\n\nCaseloads are 22.', false],
    ['All on track this month.\n\nNothing to add.', null, 'Olu Owner', 'All on track this month.\n\nNothing to add.', false],
    ['Caseloads remain high\nbut are falling.', null, 'Olu Owner', 'Caseloads remain high\nbut are falling.', false],
    ['All on track this month.', 'Pathway Team', 'Pathway Team', 'All on track this month.', false],
    ['All on track.', null, 'Olu Owner', 'All on track.', false],
  ])('%j', (text, team, section, body, headed) => {
    expect(sectionHeading(text, team, 'Olu Owner')).toEqual({ section, body, headed });
  });

  it('a configured section name is a heading even on a line of its own that runs on', () => {
    expect(sectionHeading('Court Team\nHearings are hybrid.', null, 'Olu Owner', ['Court Team Update'])).toEqual({ section: 'Court Team', body: 'Hearings are hybrid.', headed: true });
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

  const reply = (messageId: string, event: Parameters<typeof captureThreadReply>[1]['event'], userId = 'UOWNER', when = at) =>
    captureThreadReply(t.db, { workspaceId: g.workspaceId, platform: 'slack', conversationId: 'C1', threadId: '100.1', messageId, userId, at: when, event });
  const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);

  it('captures, edits, ignores retries, deletes', async () => {
    expect(await reply('m1', { kind: 'posted', text: 'Caseload is 22.' })).toBe('captured');
    expect(await reply('m1', { kind: 'posted', text: 'Caseload is 22.' })).toBe('ignored');
    expect(await reply('m1', { kind: 'edited', text: 'Caseload is 23.' }, 'UOWNER', later(5))).toBe('updated');
    const s = await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: 'm1' } });
    // No heading of its own: filed under the team, marked unheaded so it continues the team's section.
    expect([s.text, s.section, s.headed, s.authorName, s.editedAt !== null]).toEqual(['Caseload is 23.', 'Pathway Team', false, 'Olu Owner', true]);
    // An edit that adds a heading makes it a headed reply.
    expect(await reply('m1', { kind: 'edited', text: 'Pathway Team Update:\n\nCaseload is 23.' }, 'UOWNER', later(7))).toBe('updated');
    expect(await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: 'm1' } })).toMatchObject({ section: 'Pathway Team Update', headed: true, text: 'Caseload is 23.' });
    expect(await reply('m1', { kind: 'deleted' }, 'UOWNER', later(10))).toBe('deleted');
    expect((await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: 'm1' } })).deletedAt).not.toBeNull();
  });

  it('ignores replies in threads the bot did not open, and in other workspaces', async () => {
    expect(await captureThreadReply(t.db, { workspaceId: g.workspaceId, platform: 'slack', conversationId: 'C1', threadId: '999.9', messageId: 'x', userId: 'UOWNER', at, event: { kind: 'posted', text: 'hi' } })).toBe('not-a-thread');
    expect(await captureThreadReply(t.db, { workspaceId: 'another', platform: 'slack', conversationId: 'C1', threadId: '100.1', messageId: 'y', userId: 'UOWNER', at, event: { kind: 'posted', text: 'hi' } })).toBe('not-a-thread');
  });
});

/**
 * Issue 10 pt 2: a post, two edits and a deletion of one reply, delivered in every possible
 * order (platforms retry and deliver concurrently). One rule: the newest version by the
 * platform's own timestamps wins; a deletion is final.
 */
describe.each(await providers())('captureThreadReply out of order (%s)', (provider) => {
  let t: TestDatabase;
  let g: Awaited<ReturnType<typeof makeStandardGroup>>;
  const opened = new Date('2021-01-10T09:00:00Z');
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    g = await makeStandardGroup(t.db);
    const meeting = await addMeeting(t.db, g.group.id, '2021-01-13');
    await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'slack', conversationId: 'C1', threadId: '100.1', now: opened });
  });
  afterAll(async () => t?.destroy());

  type Step = { name: 'post' | 'edit1' | 'edit2' | 'delete'; at: Date; event: ReplyEvent };
  const posted = new Date('2021-01-11T10:00:00Z');
  const STEPS: Step[] = [
    { name: 'post', at: posted, event: { kind: 'posted', text: 'Caseload is 22.' } },
    { name: 'edit1', at: new Date('2021-01-11T10:05:00Z'), event: { kind: 'edited', text: 'Caseload is 23.', postedAt: posted } },
    { name: 'edit2', at: new Date('2021-01-11T10:09:00Z'), event: { kind: 'edited', text: 'Caseload is 24.', postedAt: posted } },
    { name: 'delete', at: new Date('2021-01-11T11:00:00Z'), event: { kind: 'deleted' } },
  ];
  const permutations = <T,>(xs: T[]): T[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])));
  const subsets: Step['name'][][] = [['post', 'edit1', 'edit2', 'delete'], ['post', 'edit1', 'edit2'], ['post', 'edit1', 'delete'], ['edit1', 'edit2'], ['post', 'delete']];
  const cases = subsets.flatMap((names) => permutations(STEPS.filter((s) => names.includes(s.name))).map((order) => [order.map((s) => s.name).join(' → '), order] as const));
  let n = 0;

  it.each(cases)('%s', async (_label, order) => {
    n += 1;
    const messageId = `m-${provider}-${n}`;
    for (const s of order) {
      await captureThreadReply(t.db, { workspaceId: g.workspaceId, platform: 'slack', conversationId: 'C1', threadId: '100.1', messageId, userId: 'UOWNER', at: s.at, event: s.event });
    }
    const row = await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: messageId } });
    const del = order.find((s) => s.name === 'delete');
    if (del) {
      // Final, at the deletion's own time, whatever came after it.
      expect(row.deletedAt?.toISOString()).toBe(del.at.toISOString());
      return;
    }
    const newest = [...order].sort((a, b) => b.at.getTime() - a.at.getTime())[0]!;
    expect({ text: row.text, deletedAt: row.deletedAt, postedAt: row.postedAt.toISOString() }).toEqual({
      text: (newest.event as { text: string }).text, deletedAt: null, postedAt: posted.toISOString(),
    });
    expect(row.editedAt?.toISOString() ?? null).toBe(newest.event.kind === 'edited' ? newest.at.toISOString() : null);
  });

  it('a deletion racing an older edit and a late post never resurrects the reply', async () => {
    for (let i = 0; i < 10; i += 1) {
      const messageId = `race-${provider}-${i}`;
      const send = (s: Step) => captureThreadReply(t.db, { workspaceId: g.workspaceId, platform: 'slack', conversationId: 'C1', threadId: '100.1', messageId, userId: 'UOWNER', at: s.at, event: s.event });
      await send(STEPS[0]!);
      await Promise.all([send(STEPS[3]!), send(STEPS[1]!), send(STEPS[2]!), send(STEPS[0]!)]);
      const row = await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: messageId } });
      expect(row.deletedAt?.toISOString()).toBe(STEPS[3]!.at.toISOString());
    }
  });
});
