/**
 * The inbound seam as plain functions on both databases: what a click, a form and a thread
 * reply mean, whoever sends them. The channel suites (tests/seam, tests/slack, tests/teams) run
 * the same decisions through the real receivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/services/access.js';
import { addMeeting, addMember } from '../../src/services/groups.js';
import {
  captureSection, openProgressForm, recordBragClick, submitProgress, TEXT_LIMITS, handBack, snoozeReminders, SNOOZE_DAYS, quickUpdate, parseQuickCommand,
} from '../../src/services/interactions/index.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makePerson, makeStandardGroup, makeWorkspace } from '../support/factories.js';

const now = new Date('2026-12-01T10:00:00Z');
const as = (personId: string): Caller => ({ kind: 'person', personId });

describe.each(await providers())('interactions on %s', (provider) => {
  let t: TestDatabase;
  let g: Awaited<ReturnType<typeof makeStandardGroup>>;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    g = await makeStandardGroup(t.db);
  });
  afterAll(async () => t?.destroy());
  const base = () => ({ workspaceId: g.workspaceId, channel: 'slack' as const, now });

  describe('authorise before anything else (issue 10 pt 7)', () => {
    it('someone else replaying the owner’s recorded key is refused, not told it was recorded', async () => {
      const action = await makeAction(t.db, g.group.id, { brag: 'amber', ownerIds: [g.owner.id] });
      const key = `modal:V-${action.id}`;
      const first = await submitProgress(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, values: { status: 'red', note: 'Panel postponed' }, idempotencyKey: key });
      expect(first.kind).toBe('recorded');
      const theirs = await submitProgress(t.db, { ...base(), caller: as(g.stranger.id), actionId: action.id, values: { status: 'green' }, idempotencyKey: key });
      expect(theirs).toMatchObject({ kind: 'refused', code: 'FORBIDDEN' });
      expect(theirs.text).not.toMatch(/recorded|Red|Olu/);
      // The owner's own retry is still "already recorded".
      expect((await submitProgress(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, values: { status: 'red', note: 'Panel postponed' }, idempotencyKey: key })).kind).toBe('duplicate');
      const click = await recordBragClick(t.db, { ...base(), caller: as(g.stranger.id), actionId: action.id, brag: 'red', idempotencyKey: key });
      expect(click).toMatchObject({ kind: 'refused' });
      expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(1);
    });

    it('a hand-back repeated by the person who made it is "done", by anyone else refused', async () => {
      const action = await makeAction(t.db, g.group.id, { ownerIds: [g.owner.id] });
      const key = `nm:${action.id}`;
      expect((await handBack(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: key })).kind).toBe('recorded');
      expect((await handBack(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: key })).kind).toBe('duplicate');
      expect((await handBack(t.db, { ...base(), caller: as(g.stranger.id), actionId: action.id, idempotencyKey: key })).kind).toBe('refused');
    });
  });

  describe('the BRAG click decision', () => {
    it('recorded, duplicate, stale, unchanged; each with its sentence', async () => {
      const action = await makeAction(t.db, g.group.id, { brag: 'amber', ownerIds: [g.owner.id] });
      const v0 = (await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).updatedAt.getTime().toString(36);
      const click = (brag: 'red' | 'green' | 'amber', key: string, version = v0) => recordBragClick(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, brag, version, idempotencyKey: key });
      expect((await click('green', 'k1')).text).toBe('Recorded Green (on track) (was Amber) by Olu Owner at 10:00.');
      expect((await click('green', 'k1')).text).toBe('Already recorded: Green (on track) by Olu Owner at 10:00.');
      const stale = await click('red', 'k2');
      expect(stale).toMatchObject({ kind: 'stale', currentBrag: 'green', changedBy: { name: 'Olu Owner' } });
      expect(stale.text).toContain('Nothing was recorded; click again if you still want Red.');
      expect((await click('green', 'k3')).kind).toBe('unchanged');
      expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(1);
    });

    it('snooze is SNOOZE_DAYS from the caller’s clock', async () => {
      const action = await makeAction(t.db, g.group.id, { ownerIds: [g.owner.id] });
      const out = await snoozeReminders(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id });
      expect(out).toMatchObject({ kind: 'snoozed', until: new Date(now.getTime() + SNOOZE_DAYS * 86_400_000) });
    });
  });

  describe('limits and pre-fill (issue 10 pt 4)', () => {
    it('every field over its limit is refused by field, and nothing is written', async () => {
      const action = await makeAction(t.db, g.group.id, { brag: 'green', progress: 'As it was', ownerIds: [g.owner.id] });
      const long = (n: number) => 'x'.repeat(n + 1);
      const out = await submitProgress(t.db, {
        ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: `lim-${action.id}`,
        values: { status: 'red', progress: long(TEXT_LIMITS.progress), evidence: long(TEXT_LIMITS.evidence), note: long(TEXT_LIMITS.note), revisedDue: long(TEXT_LIMITS.revisedDue) },
      });
      expect(out.kind).toBe('invalid');
      if (out.kind !== 'invalid') return;
      expect(Object.keys(out.errors).sort()).toEqual(['evidence', 'note', 'progress', 'revisedDue']);
      expect(out.errors.progress).toBe('Where are we now? is 4,001 characters; the most is 4,000. Shorten it (detail can go in Evidence or a linked document) and save again.');
      expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
      expect(await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ brag: 'green', progress: 'As it was' });
      // Exactly at the limit is fine.
      expect((await submitProgress(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: `lim2-${action.id}`, values: { progress: 'y'.repeat(TEXT_LIMITS.progress) } })).kind).toBe('recorded');
    });

    it('the pre-filled texts sent back as they were are not "recorded": the confirmation lists only what changed, the retry too', async () => {
      const action = await makeAction(t.db, g.group.id, { brag: 'green', progress: 'Packs being redesigned', ownerIds: [g.owner.id] });
      const values = { status: 'amber', progress: 'Packs being redesigned', evidence: '', note: 'Printer delayed' };
      const key = `prefill-${action.id}`;
      const out = await submitProgress(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: key, values });
      expect(out.kind).toBe('recorded');
      expect(out.text).toMatch(/^Recorded status Amber \(at risk\), a note by /);
      const again = await submitProgress(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: key, values });
      expect(again.text).toMatch(/^Already recorded: status Amber \(at risk\), a note by /);
      const changed = await submitProgress(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: `${key}-2`, values: { ...values, progress: 'Packs printed', note: '' } });
      expect(changed.text).toMatch(/^Recorded status Amber \(at risk\), where we are now by /);
    });

    it('a stored text longer than the form can show is left out, and a status-only save keeps it whole', async () => {
      const full = 'Pathway plans reviewed for every care leaver; '.repeat(80).trim();
      expect(full.length).toBeGreaterThan(3000);
      const action = await makeAction(t.db, g.group.id, { brag: 'amber', progress: full, ownerIds: [g.owner.id] });
      const form = await openProgressForm(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, prefillMax: 3000 });
      expect(form.kind).toBe('form');
      if (form.kind !== 'form') return;
      expect(form.prefill.progress).toBeUndefined();
      expect(form.omitted).toEqual([{ field: 'progress', length: full.length, text: expect.stringContaining('stays as it is unless you type a new one') }]);
      // The form comes back with the progress field empty.
      const out = await submitProgress(t.db, { ...base(), caller: as(g.owner.id), actionId: action.id, idempotencyKey: `pf-${action.id}`, values: { status: 'green', progress: '' } });
      expect(out.kind).toBe('recorded');
      expect((await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).progress).toBe(full);
      const shortOne = await makeAction(t.db, g.group.id, { progress: 'Short', ownerIds: [g.owner.id] });
      const f2 = await openProgressForm(t.db, { ...base(), caller: as(g.owner.id), actionId: shortOne.id, prefillMax: 3000 });
      expect(f2.kind === 'form' && f2.prefill.progress).toBe('Short');
      expect((await openProgressForm(t.db, { ...base(), caller: as(g.stranger.id), actionId: shortOne.id, prefillMax: 3000 })).kind).toBe('refused');
    });

    it('a one-line command with too long a note or text is refused before anything is read', async () => {
      expect(parseQuickCommand(`34 green ${'n'.repeat(TEXT_LIMITS.command)}`).kind).toBe('too-long');
      const action = await makeAction(t.db, g.group.id, { ref: 'Q1', brag: 'amber', ownerIds: [g.owner.id] });
      const out = await quickUpdate(t.db, { ...base(), caller: as(g.owner.id), ref: 'Q1', brag: 'green', note: 'n'.repeat(TEXT_LIMITS.note + 1), idempotencyKey: 'cmd-1' });
      expect(out.kind).toBe('invalid');
      expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
      expect((await quickUpdate(t.db, { ...base(), caller: as(g.owner.id), ref: 'q1', brag: 'green', note: 'Done', idempotencyKey: 'cmd-2' })).text).toBe('Q1 is now Green (on track) (was Amber).');
    });
  });

  describe('who may be a section of the board paper (issue 10 pt 1)', () => {
    let threadTs = 0;
    async function openThread() {
      threadTs += 1;
      const meeting = await addMeeting(t.db, g.group.id, `2026-12-${String(10 + threadTs).padStart(2, '0')}`);
      await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'slack', conversationId: 'C0GROUP', threadId: `1800000000.00${threadTs}`, now });
      return `1800000000.00${threadTs}`;
    }
    const reply = (threadId: string, caller: Caller, userId: string, text: string, messageId = `m-${Math.random()}`) =>
      captureSection(t.db, { workspaceId: g.workspaceId, caller, platform: 'slack', conversationId: 'C0GROUP', threadId, messageId, userId, at: now, event: { kind: 'posted', text }, deliveryKey: `ev-${messageId}`, now });

    it('members and the owners asked are captured; everyone else is refused and nothing is stored', async () => {
      const thread = await openThread();
      const ownerOnly = await makePerson(t.db, g.workspaceId, { name: 'Health Lead', slackUserId: 'UHEALTH', team: 'Health' });
      await makeAction(t.db, g.group.id, { ownerIds: [ownerOnly.id] });
      const viewer = await makePerson(t.db, g.workspaceId, { name: 'Cllr Viewer', slackUserId: 'UVIEWER' });
      await addMember(t.db, g.group.id, viewer.id, 'board-viewer');
      expect(await reply(thread, as(g.owner.id), 'UOWNER', '*Pathway Team*\nCaseloads at 19.')).toMatchObject({ kind: 'captured', section: 'Pathway Team' });
      expect(await reply(thread, as(ownerOnly.id), 'UHEALTH', 'CAMHS waits down to 9 weeks.')).toMatchObject({ kind: 'captured', section: 'Health' });
      const before = { sections: await t.db.sectionUpdate.count(), keys: await t.db.inboundEvent.count() };
      const refusals = [
        await reply(thread, as(g.stranger.id), 'USTRANGER', 'I am not in this group.'),
        await reply(thread, as(viewer.id), 'UVIEWER', 'Board members read, they do not write.'),
        await reply(thread, { kind: 'unknown', channel: 'slack' }, 'U0NOBODY', 'Who am I?'),
        await reply(thread, { kind: 'foreign', channel: 'slack' }, 'UELSEWHERE', 'From another workspace.'),
      ];
      expect(refusals.map((r) => [r.kind, r.kind === 'refused' ? r.code : null, r.kind === 'refused' && r.notify])).toEqual([
        ['refused', 'FORBIDDEN', true], ['refused', 'FORBIDDEN', true], ['refused', 'NOT_KNOWN', true], ['refused', 'FOREIGN', true],
      ]);
      expect(refusals[0]!.kind === 'refused' && refusals[0]!.text).toBe('Only members of Children in Care Operational Group and the people asked for an update can add a section to its highlight report, so your reply was not saved. Ask the chair to add you to the group if you should report.');
      expect(refusals[2]!.kind === 'refused' && refusals[2]!.text).toContain('not added to the Children in Care Operational Group highlight report');
      expect({ sections: await t.db.sectionUpdate.count(), keys: await t.db.inboundEvent.count() }).toEqual(before);
      expect(await t.db.sectionUpdate.count({ where: { authorName: { startsWith: 'U' } } })).toBe(0);
    });

    it('a reply over the limit is refused and told; an edit over it keeps the section as it was', async () => {
      const thread = await openThread();
      const long = 'w'.repeat(TEXT_LIMITS.sectionReply + 1);
      expect(await reply(thread, as(g.owner.id), 'UOWNER', long)).toMatchObject({ kind: 'too-long', notify: true });
      expect(await t.db.sectionUpdate.count({ where: { thread: { threadId: thread } } })).toBe(0);
      await reply(thread, as(g.owner.id), 'UOWNER', 'Short and true.', 'm-edit');
      const edit = await captureSection(t.db, { workspaceId: g.workspaceId, caller: as(g.owner.id), platform: 'slack', conversationId: 'C0GROUP', threadId: thread, messageId: 'm-edit', userId: 'UOWNER', at: now, event: { kind: 'edited', text: long }, now });
      expect(edit).toMatchObject({ kind: 'too-long', notify: true, text: expect.stringContaining('keeps its earlier text') });
      expect((await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: 'm-edit' } })).text).toBe('Short and true.');
    });

    it('a thread of another workspace is not a thread here', async () => {
      const thread = await openThread();
      const other = await makeWorkspace(t.db, 'elsewhere');
      expect(await captureSection(t.db, { workspaceId: other, caller: as(g.owner.id), platform: 'slack', conversationId: 'C0GROUP', threadId: thread, messageId: 'x', userId: 'UOWNER', at: now, event: { kind: 'posted', text: 'hi' }, now })).toEqual({ kind: 'not-a-thread' });
    });
  });
});
