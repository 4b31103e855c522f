/**
 * Seed 003's Strategic Partnership highlight report of 13 January 2021, rebuilt the way it
 * arrives in chat: the partnership's plan (York's delivery plan, seed 000) imported, an update
 * thread opened, and each team's words posted as replies in a SCRAMBLED order: one section in
 * two replies (the follow-up has no heading and is edited later), one reply with no heading at
 * all (filed by the lead's team), one with a bold heading, one whose heading is a line on its
 * own, a draft posted and deleted, the chair's introduction, and the convening manager's own
 * "Strategy and Action Plan" item. The group keeps the partnership's section order as a setting.
 *
 * Shared by the golden test and the accessibility tests (PDF structure, Word XML, axe-core).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { addMeeting, addMember, upsertGroup } from '../../src/services/groups.js';
import { importPlan } from '../../src/services/import-plan.js';
import { upsertPerson } from '../../src/services/people.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { generateReport, type StoredReport } from '../../src/services/reports.js';
import { captureThreadReply, recordThreadOpened, type ThreadReply } from '../../src/services/threads.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';
import { readFixture } from './support.js';

export interface Golden {
  title: string;
  meetingDate: string;
  introduction: string;
  sections: { heading: string; author: string | null; text: string }[];
  signOff: { name: string; role: string };
}

export const golden = readFixture<Golden>(join(import.meta.dirname, '..', 'fixtures', 'highlight-report', 'york-2021-01-13.json'));
export const GROUP_NAME = 'Children in Care and Care Leavers Strategic Partnership';
const PLAN = join(import.meta.dirname, '..', 'fixtures', 'plans', 'york-2021.csv');

/** The partnership's order, as a chair would type it: some names as headed, some by team. */
export const SECTION_ORDER = [
  'Leaving Care Service Update',
  'Children in Permanent Placements',
  'Court Team Update',
  'Fostering Service',
  'Assessing Permanent Carers Team',
  'Fostering Panel',
  'City of York Corporate Parenting and Children in Care Strategy and Action Plan',
];

/** A member asked for an update who has not replied: named in the chair's preview, never in the paper. */
export const SILENT_MEMBER = { name: 'Vera Virtual-School', team: 'Virtual School' };

export interface YorkPaper {
  database: TestDatabase;
  db: Db;
  workspaceId: string;
  groupId: string;
  report: StoredReport;
}

const section = (heading: string) => golden.sections.find((s) => s.heading === heading)!;

export async function buildYorkPaper(): Promise<YorkPaper> {
  const database = await createTestDatabase('sqlite');
  const db = database.db;
  const workspaceId = await makeWorkspace(db, 'york');
  await upsertGroup(db, workspaceId, { slug: 'cpb', name: 'Corporate Parenting Board', cadence: 'quarterly' });
  const group = await upsertGroup(db, workspaceId, { slug: 'cicp', name: GROUP_NAME, cadence: 'bimonthly', reportsTo: 'cpb' });
  // The plan was in bragbot before the previous meeting, so "changes since" compares like with like.
  await importPlan(db, { workspaceId, groupSlug: 'cicp', path: PLAN, now: new Date('2020-11-02T10:00:00Z') });
  await db.group.update({
    where: { id: group.id },
    data: { settingsJson: JSON.stringify({ report: { signOff: golden.signOff.name, sections: SECTION_ORDER } }) },
  });

  const person = async (name: string, o: { team?: string; role?: string; slack?: string; membership?: 'chair' | 'member' } = {}) => {
    const p = await upsertPerson(db, workspaceId, { name, ...(o.team ? { team: o.team } : {}), ...(o.role ? { role: o.role } : {}), ...(o.slack ? { slackUserId: o.slack } : {}) });
    if (o.membership) await addMember(db, group.id, p.id, o.membership);
    return p;
  };
  const chair = await person('Assistant Director', { role: 'Assistant Director, Children’s Social Care', slack: 'U0CHAIR', membership: 'chair' });
  await person(golden.signOff.name, { role: golden.signOff.role, slack: 'U0SIMON', membership: 'member' });
  await person('Pathway Team Manager', { team: 'Pathway Team', slack: 'U0PATH', membership: 'member' });
  await person('Permanence Manager', { team: 'Children in Permanent Placements', slack: 'U0PERM', membership: 'member' });
  await person('Court Team Manager', { team: 'Court Team', slack: 'U0COURT', membership: 'member' });
  await person('Fostering Manager', { team: 'Fostering Service', slack: 'U0FOST', membership: 'member' });
  await person('Panel Adviser', { team: 'Fostering Service', slack: 'U0PANEL', membership: 'member' });
  await person('Assessing Manager', { team: 'Assessing Permanent Carers Team', slack: 'U0APCT', membership: 'member' });
  await person(SILENT_MEMBER.name, { team: SILENT_MEMBER.team, slack: 'U0VSH', membership: 'member' });

  // Between the meetings: status changes with notes, as leads record them in chat.
  const update = async (ref: string, when: string, change: { brag?: 'blue' | 'amber' | 'red'; note?: string; revisedDue?: string }) => {
    const action = await db.action.findFirstOrThrow({ where: { groupId: group.id, ref }, orderBy: { position: 'asc' } });
    await recordUpdate(db, { workspaceId, actionId: action.id, personId: chair.id, channel: 'slack', idempotencyKey: `${ref}-${when}`, now: new Date(when), ...change });
  };
  await update('29', '2020-12-01T10:00:00Z', { brag: 'amber', note: 'The sufficiency strategy is drafted; the residential element waits for the Hexagon contract at Wenlock Terrace.' });
  await update('8', '2020-12-10T10:00:00Z', { brag: 'amber', note: 'Recruitment of two FGC coordinators delayed by the second lockdown.' });
  await update('44', '2021-01-05T10:00:00Z', { brag: 'red', note: 'No report since October: the exploitation and missing data set moved to the new MOSAIC build, which is waiting to be built.' });
  await update('14', '2020-12-15T10:00:00Z', { revisedDue: '31/03/2021', note: 'Rescheduled after the Ofsted focused visit.' });
  await update('10', '2020-12-20T10:00:00Z', { brag: 'blue', note: 'Done.' });
  await addMeeting(db, group.id, '2020-11-11');
  const meeting = await addMeeting(db, group.id, golden.meetingDate);
  const thread = { platform: 'slack' as const, conversationId: 'C0PARTNER', threadId: '1610010000.000100' };
  await recordThreadOpened(db, { meetingId: meeting.id, ...thread, now: new Date('2021-01-06T09:00:00Z') });
  let n = 0;
  const reply = (userId: string, at: string, event: ThreadReply['event'], messageId = `1610200000.${String((n += 1)).padStart(6, '0')}`) =>
    captureThreadReply(db, { workspaceId, ...thread, messageId, userId, at: new Date(at), event });

  const permanence = section('Children in Permanent Placements Update').text.split('\n\n');
  const partOne = permanence.slice(0, 4).join('\n\n');
  const partTwo = permanence.slice(4).join('\n\n');
  expect(partTwo).toContain('86.4%');

  // A draft posted first and deleted: neither its heading nor its text may appear.
  const draftId = 'draft.000001';
  expect(await reply('U0COURT', '2021-01-06T09:30:00Z', { kind: 'posted', text: 'Court Team Update:\n\nDELETED DRAFT - please ignore' }, draftId)).toBe('captured');
  expect(await reply('U0COURT', '2021-01-06T09:35:00Z', { kind: 'deleted' }, draftId)).toBe('deleted');

  const posted = async (userId: string, at: string, text: string) => expect(await reply(userId, at, { kind: 'posted', text })).toBe('captured');
  // Posted in a scrambled order; the partnership's order comes from the group's setting.
  await posted('U0PANEL', '2021-01-07T09:00:00Z', `Fostering Panel\n\n${section('Fostering Panel').text}`);
  await posted('U0SIMON', '2021-01-07T11:00:00Z', `${section('City of York Corporate Parenting and Children in Care Strategy and Action Plan').heading}:\n\n${section('City of York Corporate Parenting and Children in Care Strategy and Action Plan').text}`);
  await posted('U0PERM', '2021-01-07T15:00:00Z', `Children in Permanent Placements Update:\n\n${partOne}`);
  // No heading at all: filed by the lead's team, in the Court Team's place, under the order's wording.
  await posted('U0COURT', '2021-01-08T10:00:00Z', section('Court Team Update').text);
  await posted('U0APCT', '2021-01-08T14:00:00Z', `Assessing Permanent Carers Team Update:\n\n${section('Assessing Permanent Carers Team Update').text}`);
  await posted('U0FOST', '2021-01-11T09:00:00Z', `*Fostering Service Update*\n${section('Fostering Service Update').text}`);
  await posted('U0CHAIR', '2021-01-11T12:00:00Z', `Introduction:\n\n${golden.introduction}`);
  await posted('U0PATH', '2021-01-12T08:00:00Z', `${section('Leaving Care Service Update').heading}:\n\n${section('Leaving Care Service Update').text}`);
  // The follow-up, with no heading: it continues the lead's section. Posted with a wrong figure, then corrected.
  const followUp = '1610200000.follow';
  expect(await reply('U0PERM', '2021-01-12T09:00:00Z', { kind: 'posted', text: partTwo.replace('86.4%', '68.4%') }, followUp)).toBe('captured');
  expect(await reply('U0PERM', '2021-01-12T16:00:00Z', { kind: 'edited', text: partTwo }, followUp)).toBe('updated');

  const { report } = await generateReport(db, {
    workspaceId, groupSlug: 'cicp', meetingDate: golden.meetingDate, requestedBy: 'Assistant Director', now: new Date('2021-01-13T17:00:00Z'),
  });
  return { database, db, workspaceId, groupId: group.id, report };
}

/** The original paper's words, in order: title, introduction, each section's heading and text, the sign-off. */
export function originalText(): string {
  return withoutListMarkers([
    golden.title,
    'Introduction',
    golden.introduction,
    ...golden.sections.flatMap((s) => [s.heading, s.text]),
    golden.signOff.name,
    golden.signOff.role,
  ].join('\n'));
}

const withoutListMarkers = (text: string) => text.split('\n').map((l) => l.replace(/^\s*[-•]\s+/, '')).join('\n');

/**
 * A rendering's text without what the bot adds of its own (the line under the title, the action
 * plan status part, page footers), list markers and Markdown syntax, and without any space: what
 * is left must be the original paper, character for character.
 */
export function paperCore(text: string, o: { planHeading: string; meta: string; footer?: RegExp; markdown?: boolean }): string {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (o.footer) lines = lines.filter((l) => !o.footer!.test(l));
  if (o.markdown) lines = lines.map((l) => l.replace(/^#{1,6}\s+/, '').replace(/^_(.*)_$/, '$1').replace(/\\(.)/g, '$1').replace(/^---$/, ''));
  lines = withoutListMarkers(lines.join('\n')).split('\n');
  const plan = lines.findIndex((l) => l.trim() === o.planHeading);
  const signOff = lines.map((l) => l.trim()).lastIndexOf(golden.signOff.name);
  expect(plan, 'the plan status heading').toBeGreaterThan(0);
  expect(signOff, 'the sign-off after the plan status').toBeGreaterThan(plan);
  lines = [...lines.slice(0, plan), ...lines.slice(signOff)];
  const flat = lines.join('\n').replace(/\s+/g, '');
  const meta = o.meta.replace(/\s+/g, '');
  expect(flat, 'the line under the title').toContain(meta);
  return flat.replace(meta, '');
}

/** Equal, or a failure that shows where the two first differ (the strings are long). */
export function expectSameText(actual: string, expected: string, label: string): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i += 1;
  const around = (s: string) => `…${s.slice(Math.max(0, i - 80), i)}⟦${s.slice(i, i + 80)}⟧…`;
  expect.fail(`${label}: differs at character ${i} of ${expected.length}\n  rendered: ${around(actual)}\n  original: ${around(expected)}`);
}
