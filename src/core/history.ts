/**
 * The plan as it stood at an instant, rebuilt from the append-only history. Pure: the state of
 * one action at `at`, given the action row as it is now and its StatusUpdate rows (any order).
 * Everything that shows the plan "as of" a moment — the board paper, `actions`, `export`,
 * `nudges plan` — goes through here (via src/services/plan-as-of.ts), so they agree.
 *
 * The rules (README: "The plan as of a date"):
 *  - A plan's FIRST import is its baseline: the actions it brought in are taken to have stood as
 *    imported from before any date anyone asks about (the file records a plan that already
 *    existed; bragbot just learnt of it then). Without this, a plan first imported after the
 *    previous meeting would list every action as "new since" it.
 *  - Every later change — a click, a form, a re-import, the CLI — applies from its own time.
 *  - An action a later import added does not exist before that import.
 *  - An action a re-import archived still exists before its archiving.
 *
 * What the history does not hold stays as it is now: the activity's wording, the lead cells,
 * evidence and the owners (no StatusUpdate records their earlier values).
 */
import type { Brag } from './brag.js';
import { parseDueDate, type DueKind } from './due-date.js';

/** What one StatusUpdate row says about the fields that have a history. */
export interface HistoryEntry {
  at: Date;
  fromBrag: Brag | string;
  toBrag: Brag | string;
  fromProgress?: string | null | undefined;
  toProgress?: string | null | undefined;
  fromDueRaw: string | null;
  revisedDueRaw: string | null;
  revisedDueDate: string | null;
  note?: string | null | undefined;
}

/** The fields an action's history can rebuild, as the Action row holds them now. */
export interface ActionNow {
  brag: Brag;
  dueRaw: string;
  dueDate: string | null;
  dueKind: DueKind;
  progress: string;
}

export type ActionState = ActionNow;

/** When an action came to be: a baseline action always was; others from their first sign of life. */
export interface ActionLife {
  /** Brought in by the plan's first import (or the group was never imported): exists at any instant. */
  baseline: boolean;
  /** Earliest evidence it existed (created, or its first recorded update). */
  firstSeenAt: Date;
  archivedAt: Date | null;
}

export const archivedBy = (a: Pick<ActionLife, 'archivedAt'>, at: Date): boolean => a.archivedAt !== null && a.archivedAt <= at;

export function existedAt(a: ActionLife, at: Date): boolean {
  return (a.baseline || a.firstSeenAt <= at) && !archivedBy(a, at);
}

/**
 * Is this action part of the baseline? Its group's first import at `firstImportAt` (null: the
 * group was never imported, so nothing marks a later addition) and its own creation.
 */
export function isBaseline(createdAt: Date, firstImportAt: Date | null): boolean {
  return firstImportAt === null || createdAt <= firstImportAt;
}

const byTime = (a: HistoryEntry, b: HistoryEntry) => a.at.getTime() - b.at.getTime();

/**
 * An action's BRAG, due date and progress at `at`: the last update at or before it says what a
 * field became; failing that, the first later update that touched the field says what it was
 * before; a field nobody touched is as the row holds it now.
 */
export function stateAt(action: ActionNow, history: readonly HistoryEntry[], at: Date): ActionState {
  const sorted = [...history].sort(byTime);
  const before = sorted.filter((u) => u.at <= at);
  const after = sorted.filter((u) => u.at > at);

  let brag: Brag = action.brag;
  const lastBefore = before[before.length - 1];
  if (lastBefore) brag = lastBefore.toBrag as Brag;
  else if (after[0]) brag = after[0].fromBrag as Brag;

  let due: { raw: string; date: string | null; kind: DueKind } = { raw: action.dueRaw, date: action.dueDate, kind: action.dueKind };
  const lastRedate = before.filter((u) => u.revisedDueRaw !== null).pop();
  const nextRedate = after.find((u) => u.revisedDueRaw !== null);
  if (lastRedate) {
    const raw = lastRedate.revisedDueRaw ?? '';
    due = { raw, date: lastRedate.revisedDueDate, kind: kindOf(raw) };
  } else if (nextRedate) {
    const raw = nextRedate.fromDueRaw ?? '';
    const parsed = parseDueDate(raw);
    due = parsed.ok ? { raw, date: parsed.due.date, kind: parsed.due.kind } : { raw, date: null, kind: 'unknown' };
  }

  let progress = action.progress;
  const lastProgress = before.filter((u) => u.toProgress !== null && u.toProgress !== undefined).pop();
  const nextProgress = after.find((u) => u.toProgress !== null && u.toProgress !== undefined);
  if (lastProgress) progress = lastProgress.toProgress ?? '';
  else if (nextProgress) progress = nextProgress.fromProgress ?? '';

  return { brag, dueRaw: due.raw, dueDate: due.date, dueKind: due.kind, progress };
}

/** The latest note recorded at or before `at` (what "latest note" showed then). */
export function latestNoteAt(history: readonly HistoryEntry[], at: Date): string | null {
  const noted = [...history].sort(byTime).filter((u) => u.at <= at && u.note !== null && u.note !== undefined && u.note.trim() !== '');
  return noted[noted.length - 1]?.note ?? null;
}

/** When anyone last reported on it at or before `at` (drives "stale"). */
export function lastReportedAt(history: readonly HistoryEntry[], at: Date): Date | null {
  let last: Date | null = null;
  for (const u of history) if (u.at <= at && (last === null || u.at > last)) last = u.at;
  return last;
}

function kindOf(raw: string): DueKind {
  const parsed = parseDueDate(raw);
  return parsed.ok ? parsed.due.kind : 'unknown';
}
