/**
 * Update threads: a reply in the thread bragbot opened for a meeting becomes that person's
 * section update; an edit changes it, a deletion drops it; Slack's retries change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlackThreadOpened } from '../../src/adapters/slack/threads.js';
import { addMeeting } from '../../src/services/groups.js';
import { providers } from '../support/db.js';
import { FAKE_TEAM_ID, fixture, NOW, startHarness, type Harness } from './harness.js';

describe.each(await providers())('Slack update threads over signed HTTP (%s)', (provider) => {
  let h: Harness;
  let threadTs: string;
  beforeAll(async () => {
    h = await startHarness(provider);
    const meeting = await addMeeting(h.database.db, h.world.group.id, '2026-12-03');
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'C0GROUP' }, { kind: 'thread-open', groupName: h.world.group.name, meetingDate: '2026-12-03', askedNames: ['Olu Owner'] });
    await recordSlackThreadOpened(h.database.db, { meetingId: meeting.id, channelId: 'C0GROUP', sent, now: NOW });
    threadTs = sent.providerMessageId;
  });
  afterAll(async () => {
    await h?.close();
  });

  const sections = () => h.database.db.sectionUpdate.findMany({ orderBy: { postedAt: 'asc' } });
  const reply = (eventId: string, ts: string, text: string, thread = threadTs, user = 'UOWNER') =>
    fixture('event-thread-reply.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: user, TS: ts, TEXT: text, THREAD_TS: thread, CHANNEL_ID: 'C0GROUP', EVENT_ID: eventId });

  it('opens the thread in the group channel and records its ts as the thread', async () => {
    const thread = await h.database.db.updateThread.findFirstOrThrow();
    expect(thread).toMatchObject({ platform: 'slack', conversationId: 'C0GROUP', threadId: threadTs });
  });

  it('turns a reply into a section update, reacts ✅ once, and ignores Slack’s retry of the same event', async () => {
    const event = reply('Ev0REPLY1', '1800000100.000100', '*Fostering Service*\nWe approved 4 new carers; 92% of placements stable.');
    const res = await h.event(event);
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => h.fake.callsOf('reactions.add')[0]);
    const retry = await h.event(event, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const rows = await sections();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ section: 'Fostering Service', text: 'We approved 4 new carers; 92% of placements stable.', personId: h.world.owner.id, authorName: 'Olu Owner', platformMessageId: '1800000100.000100' });
    expect(rows[0]!.postedAt.toISOString()).toBe(new Date(1800000100_000).toISOString());
    expect(h.fake.callsOf('reactions.add')).toHaveLength(1);
    expect(h.fake.callsOf('reactions.add')[0]!.params).toMatchObject({ channel: 'C0GROUP', timestamp: '1800000100.000100', name: 'white_check_mark' });
  });

  it('applies an edit to the section, keeps it when the original is retried late, and drops it on deletion', async () => {
    const original = reply('Ev0REPLY2', '1800000200.000100', 'Pathway caseloads at 21 per worker.');
    await h.event(original);
    await h.fake.waitFor(() => h.fake.callsOf('reactions.add').length === 2);
    const edit = fixture('event-message-changed.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', EDIT_TS: '1800000250.000100', TEXT: 'Pathway caseloads at 19 per worker.', THREAD_TS: threadTs, TS: '1800000200.000100', CHANNEL_ID: 'C0GROUP', EVENT_ID: 'Ev0EDIT1' });
    expect((await h.event(edit)).status).toBe(200);
    await expect.poll(async () => (await h.database.db.sectionUpdate.findFirst({ where: { platformMessageId: '1800000200.000100' } }))?.text).toBe('Pathway caseloads at 19 per worker.');
    const row = await h.database.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: '1800000200.000100' } });
    expect(row.section).toBe('Pathway Team');
    expect(row.editedAt?.toISOString()).toBe(new Date(1800000250_000).toISOString());
    // Slack retries the original post after the edit arrived: the edit must stand.
    await h.event(original, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.database.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: '1800000200.000100' } })).text).toBe('Pathway caseloads at 19 per worker.');

    const del = fixture('event-message-deleted.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TS: '1800000200.000100', THREAD_TS: threadTs, CHANNEL_ID: 'C0GROUP', EVENT_ID: 'Ev0DEL1', DELETE_TS: '1800000300.000100' });
    expect((await h.event(del)).status).toBe(200);
    await expect.poll(async () => (await h.database.db.sectionUpdate.findFirst({ where: { platformMessageId: '1800000200.000100' } }))?.deletedAt?.toISOString()).toBe(new Date(1800000300_000).toISOString());
  });

  // Issue 10 pt 2: Slack delivers events concurrently and retries them, so they arrive out of order.
  const edit = (eventId: string, ts: string, editTs: string, text: string) =>
    fixture('event-message-changed.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', EDIT_TS: editTs, TEXT: text, THREAD_TS: threadTs, TS: ts, CHANNEL_ID: 'C0GROUP', EVENT_ID: eventId });
  const deletion = (eventId: string, ts: string, deleteTs: string) =>
    fixture('event-message-deleted.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TS: ts, THREAD_TS: threadTs, CHANNEL_ID: 'C0GROUP', EVENT_ID: eventId, DELETE_TS: deleteTs });
  const row = (ts: string) => h.database.db.sectionUpdate.findFirst({ where: { platformMessageId: ts } });
  /** The late event was taken (its key stored) and its listener has had time to write. */
  const settle = async (keys: number) => {
    await expect.poll(() => h.database.db.inboundEvent.count()).toBe(keys);
    await new Promise((r) => setTimeout(r, 200));
  };

  it('an older edit delivered after a newer one does not win (edits apply by edited.ts)', async () => {
    const ts = '1800000600.000100';
    await h.event(reply('Ev0ORD1', ts, 'Caseloads at 25 per worker.'));
    await expect.poll(async () => (await row(ts))?.text).toBe('Caseloads at 25 per worker.');
    await h.event(edit('Ev0ORD2', ts, '1800000700.000100', 'Caseloads at 19 per worker.'));
    await expect.poll(async () => (await row(ts))?.text).toBe('Caseloads at 19 per worker.');
    const keys = await h.database.db.inboundEvent.count();
    await h.event(edit('Ev0ORD3', ts, '1800000650.000100', 'Caseloads at 22 per worker.'));
    await settle(keys + 1);
    expect(await row(ts)).toMatchObject({ text: 'Caseloads at 19 per worker.', editedAt: new Date(1800000700_000), deletedAt: null });
  });

  it('a deletion is final: an edit with an older edited.ts arriving after it does not bring the reply back', async () => {
    const ts = '1800000800.000100';
    await h.event(reply('Ev0FIN1', ts, 'Staying Put: 9 young people.'));
    await expect.poll(async () => (await row(ts))?.text).toBe('Staying Put: 9 young people.');
    await h.event(deletion('Ev0FIN2', ts, '1800000900.000100'));
    await expect.poll(async () => (await row(ts))?.deletedAt?.toISOString()).toBe(new Date(1800000900_000).toISOString());
    const keys = await h.database.db.inboundEvent.count();
    await h.event(edit('Ev0FIN3', ts, '1800000850.000100', 'Staying Put: 10 young people.'));
    await settle(keys + 1);
    expect(await row(ts)).toMatchObject({ text: 'Staying Put: 9 young people.', deletedAt: new Date(1800000900_000) });
  });

  it('a deletion that overtakes its post: the late post never becomes a section', async () => {
    const ts = '1800001000.000100';
    await h.event(deletion('Ev0LATE1', ts, '1800001100.000100'));
    await expect.poll(async () => (await row(ts))?.deletedAt?.toISOString()).toBe(new Date(1800001100_000).toISOString());
    const keys = await h.database.db.inboundEvent.count();
    const reactions = h.fake.callsOf('reactions.add').length;
    await h.event(reply('Ev0LATE2', ts, 'Pathway: 46 care leavers supported.'));
    await settle(keys + 1);
    expect(await row(ts)).toMatchObject({ text: '', deletedAt: new Date(1800001100_000) });
    expect(h.fake.callsOf('reactions.add')).toHaveLength(reactions);
  });

  it('leaves replies in other threads, and top-level messages, alone (and stores no key for them)', async () => {
    const before = (await sections()).length;
    const keys = await h.database.db.inboundEvent.count();
    await h.event(reply('Ev0OTHER1', '1800000400.000100', 'Unrelated chat', '1700000000.000001'));
    const top = reply('Ev0TOP1', '1800000401.000100', 'Hello channel');
    (top.event as Record<string, unknown>).thread_ts = undefined;
    await h.event(top);
    await new Promise((r) => setTimeout(r, 200));
    expect(await sections()).toHaveLength(before);
    expect(await h.database.db.inboundEvent.count()).toBe(keys);
  });

  it('refuses events from another workspace', async () => {
    const before = (await sections()).length;
    await h.event(fixture('event-thread-reply.json', { TEAM_ID: 'TOTHER', USER_ID: 'UOWNER', TS: '1800000500.000100', TEXT: 'From elsewhere', THREAD_TS: threadTs, CHANNEL_ID: 'C0GROUP', EVENT_ID: 'Ev0FOREIGN' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(await sections()).toHaveLength(before);
  });
});
