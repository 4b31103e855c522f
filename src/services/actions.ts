/** Reading the plan: the actions of a group or a person, as the CLI and chat show them. */
import type { Brag } from '../core/brag.js';
import type { ActionCard } from '../core/chat.js';
import { calendarFor, type WorkingCalendar } from '../core/calendar.js';
import type { DueKind } from '../core/due-date.js';
import { workingDaysOverdue } from '../core/overdue.js';
import { parseGroupSettings } from '../core/settings.js';
import type { Db } from '../db/client.js';
import { existingAt, rowsAsOf } from './plan-as-of.js';

const cardSelect = {
  id: true, ref: true, activity: true, progress: true, dueKind: true, dueDate: true, dueRaw: true, brag: true,
  leadAgency: true, leadOfficer: true, position: true,
  group: { select: { slug: true, name: true, settingsJson: true } },
  owners: { select: { person: { select: { name: true } } } },
  updates: { orderBy: { at: 'desc' as const }, take: 1, where: { note: { not: null } }, select: { note: true } },
};

type CardRow = {
  id: string; ref: string; activity: string; progress: string; dueKind: string; dueDate: string | null; dueRaw: string; brag: string;
  leadAgency: string; leadOfficer: string; group: { slug: string; name: string; settingsJson: string }; owners: { person: { name: string } }[]; updates: { note: string | null }[];
};

/** A group's working calendar (its nation's bank holidays), from its settings. */
const calendarBySettings = new Map<string, WorkingCalendar>();
export function groupCalendar(settingsJson: string): WorkingCalendar {
  let cal = calendarBySettings.get(settingsJson);
  if (!cal) {
    if (calendarBySettings.size > 1000) calendarBySettings.clear();
    calendarBySettings.set(settingsJson, (cal = calendarFor(parseGroupSettings(settingsJson).settings.region)));
  }
  return cal;
}

/**
 * `today` is the Europe/London calendar date 'YYYY-MM-DD' (the caller owns the clock). Days
 * overdue are working days in the group's calendar, the one count every surface shows.
 */
export function toActionCard(a: CardRow, today: string): ActionCard {
  return {
    actionId: a.id,
    groupSlug: a.group.slug,
    groupName: a.group.name,
    ref: a.ref,
    activity: a.activity,
    progress: a.progress,
    dueKind: a.dueKind as DueKind,
    dueDate: a.dueDate,
    dueRaw: a.dueRaw,
    brag: a.brag as Brag,
    daysOverdue: workingDaysOverdue({ brag: a.brag as Brag, dueKind: a.dueKind, dueDate: a.dueDate }, today, groupCalendar(a.group.settingsJson)),
    leadAgency: a.leadAgency,
    leadOfficer: a.leadOfficer,
    ownerNames: a.owners.map((o) => o.person.name),
    latestNote: a.updates[0]?.note ?? null,
  };
}

/**
 * A group's actions, counted overdue to `today`. With `at`, the plan as it stood then
 * (src/services/plan-as-of.ts): the actions that existed, with that instant's BRAG, due date,
 * progress and latest note.
 */
export async function listGroupActions(db: Db, groupId: string, today: string, opts: { overdueOnly?: boolean; at?: Date | undefined } = {}): Promise<ActionCard[]> {
  let cards: ActionCard[];
  if (opts.at === undefined) {
    const rows = await db.action.findMany({ where: { groupId, archivedAt: null }, select: cardSelect, orderBy: { position: 'asc' } });
    cards = rows.map((r) => toActionCard(r, today));
  } else {
    const rows = await db.action.findMany({
      where: { groupId, ...existingAt(opts.at) },
      select: { ...cardSelect, groupId: true, createdAt: true, archivedAt: true, lastUpdatedAt: true },
      orderBy: { position: 'asc' },
    });
    cards = (await rowsAsOf(db, rows, opts.at)).map((r) => toActionCard({ ...r, updates: [{ note: r.latestNote }] }, today));
  }
  return opts.overdueOnly ? cards.filter((c) => c.daysOverdue > 0) : cards;
}

/** A person's open actions (not Blue) across their workspace's groups: "/brag", "my actions". */
export async function listPersonActions(db: Db, workspaceId: string, personId: string, today: string): Promise<ActionCard[]> {
  const rows = await db.action.findMany({
    where: { archivedAt: null, brag: { not: 'blue' }, owners: { some: { personId } }, group: { workspaceId } },
    select: cardSelect,
    orderBy: [{ dueDate: 'asc' }, { position: 'asc' }],
  });
  return rows.map((r) => toActionCard(r, today));
}

export async function getActionCard(db: Db, workspaceId: string, actionId: string, today: string): Promise<ActionCard | null> {
  const row = await db.action.findFirst({ where: { id: actionId, group: { workspaceId } }, select: cardSelect });
  return row ? toActionCard(row, today) : null;
}

/**
 * An action's version token (updatedAt in ms, base 36), carried in chat buttons: a click that
 * carries an older token is stale. One scheme for every chat adapter.
 */
export const versionOf = (updatedAt: Date): string => updatedAt.getTime().toString(36);

/** Action id → version token, for the actions of this workspace among `ids`. */
export async function versionsOf(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.action.findMany({ where: { id: { in: [...ids] }, group: { workspaceId } }, select: { id: true, updatedAt: true } });
  return new Map(rows.map((r) => [r.id, versionOf(r.updatedAt)]));
}

/** What a click is checked against: the action's version, BRAG and evidence, scoped to the workspace. */
export async function actionState(db: Db, workspaceId: string, actionId: string) {
  return db.action.findFirst({
    where: { id: actionId, group: { workspaceId } },
    select: { id: true, updatedAt: true, brag: true, evidence: true, ref: true, activity: true },
  });
}
