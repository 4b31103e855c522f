/**
 * Assembles a highlight report: a pure function of (inputs, now). No I/O and no clock of its
 * own, so the same inputs and instant give the same paper, and "the report as of 1 March"
 * can be rebuilt from the append-only history (StatusUpdate rows) at any later time.
 *
 * Structure follows seed 003's highlight report: introduction (which meeting, the period
 * covered), one section per team or service in its lead's own words, the action plan's status
 * (what a chair would otherwise count by hand), then the convening manager's sign-off.
 */
import { BRAG_ORDER, BRAGS, type Brag } from '../brag.js';
import { parseDueDate, type DueKind } from '../due-date.js';
import { calendarFor, type WorkingCalendar } from '../calendar.js';
import { workingDaysOverdue } from '../overdue.js';
import { londonDate, londonEndOfDay, longDate } from './dates.js';
import {
  REPORT_SCHEMA_VERSION,
  type ActionInput,
  type ActionSummary,
  type BragCounts,
  type Comparison,
  type FlaggedAction,
  type HighlightReportContent,
  type OverdueAction,
  type Redate,
  type ReportInputs,
  type ReportSection,
  type SectionInput,
  type StatusMove,
  type UpdateInput,
} from './types.js';

/** A reply under this heading is the chair's own introduction (themes of the period), not a team section. */
const INTRODUCTION_HEADING = 'introduction';

export function emptyCounts(): BragCounts {
  return Object.fromEntries(BRAGS.map((b) => [b, 0])) as BragCounts;
}

/** "Leaving Care Service Update:" and "leaving care service update" are one section. */
export function normaliseHeading(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().replace(/\s*:$/, '');
}
const headingKey = (raw: string) => normaliseHeading(raw).toLowerCase();

export function assembleReport(inputs: ReportInputs, now: Date): HighlightReportContent {
  const asOfDate = londonDate(now);
  const { sections, introduction: chairIntro, repliedPersonIds } = assembleSections(inputs.sections, inputs.meeting.date, now);
  const history = historyByAction(inputs.updates);
  const live = inputs.actions.filter((a) => !archivedBy(a, now));

  const counts = emptyCounts();
  for (const a of live) counts[stateAt(a, history.get(a.id) ?? [], now).brag] += 1;

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    title: inputs.settings.title?.trim() || `${inputs.group.name} – Highlight Report`,
    group: inputs.group,
    meeting: { date: inputs.meeting.date, title: inputs.meeting.title, previousDate: inputs.previousMeetingDate },
    asOf: now.toISOString(),
    asOfDate,
    introduction: [...introduction(inputs, sections.length, asOfDate), ...chairIntro],
    sections,
    plan: {
      total: live.length,
      counts,
      comparison: compare(inputs, history, now),
      overdue: overdue(live, history, now, asOfDate, calendarFor(inputs.region)),
      redAmber: redAmber(live, history, now),
    },
    notReplied: notReplied(inputs, sections, repliedPersonIds),
    signOff: inputs.signOff,
  };
}

function introduction(inputs: ReportInputs, sectionCount: number, asOfDate: string): string[] {
  const { group, meeting } = inputs;
  const purpose = inputs.settings.purpose?.trim()
    || `The purpose of the report is to provide information to ${group.reportsToName ?? 'the board'} regarding the delivery of the ${group.name}'s action plan, with updates from the teams and services that report to it.`;
  const period = inputs.previousMeetingDate
    ? ` and the period since the previous meeting on ${longDate(inputs.previousMeetingDate)}`
    : '';
  const teams = sectionCount === 0
    ? 'No team or service has posted an update yet.'
    : `${sectionCount} ${sectionCount === 1 ? 'team or service' : 'teams and services'} gave an update.`;
  const coverage = `This report covers the meeting of the ${group.name} on ${longDate(meeting.date)}${meeting.title ? ` (${meeting.title})` : ''}${period}. ${teams} The action plan's status is as at ${longDate(asOfDate)}.`;
  return [purpose, coverage];
}

function assembleSections(
  rows: SectionInput[],
  meetingDate: string,
  now: Date,
): { sections: ReportSection[]; introduction: string[]; repliedPersonIds: Set<string> } {
  // Replies posted after `now` do not exist yet; a reply deleted by then is gone. Edits are already in `text`.
  const visible = rows
    .filter((r) => r.postedAt <= now && !(r.deletedAt && r.deletedAt <= now) && r.text.trim() !== '')
    .sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.id.localeCompare(b.id));
  const byKey = new Map<string, SectionInput[]>();
  for (const r of visible) {
    const key = headingKey(r.section);
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const sections: ReportSection[] = [];
  let intro: string[] = [];
  // Map iteration order is insertion order: sections come in the order they were first posted,
  // as the seed's come in the order of the meeting.
  for (const [key, replies] of byKey) {
    const text = replies.map((r) => r.text.trim()).join('\n\n');
    if (key === INTRODUCTION_HEADING) {
      intro = text.split(/\n{2,}/).map((p) => p.trim()).filter((p) => p !== '');
      continue;
    }
    const first = replies[0]!;
    const lastChanged = replies.map((r) => r.editedAt ?? r.postedAt).reduce((a, b) => (a > b ? a : b));
    sections.push({
      heading: normaliseHeading(first.section),
      authors: [...new Set(replies.map((r) => r.authorName))],
      text,
      firstPostedAt: first.postedAt.toISOString(),
      lastChangedAt: lastChanged.toISOString(),
      late: londonDate(lastChanged) > meetingDate,
    });
  }
  const repliedPersonIds = new Set(visible.map((r) => r.personId).filter((id): id is string => id !== null));
  return { sections, introduction: intro, repliedPersonIds };
}

function historyByAction(updates: UpdateInput[]): Map<string, UpdateInput[]> {
  const map = new Map<string, UpdateInput[]>();
  for (const u of [...updates].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const list = map.get(u.actionId);
    if (list) list.push(u);
    else map.set(u.actionId, [u]);
  }
  return map;
}

const archivedBy = (a: ActionInput, at: Date) => a.archivedAt !== null && a.archivedAt <= at;
const existedAt = (a: ActionInput, at: Date) => a.firstSeenAt <= at && !archivedBy(a, at);

interface ActionState {
  brag: Brag;
  dueRaw: string;
  dueDate: string | null;
  dueKind: DueKind;
}

/**
 * An action's BRAG and due date at an instant, rebuilt from its history: the last update at or
 * before it says what it became; failing that the first later update says what it was before;
 * with no history the current row is the answer.
 */
export function stateAt(action: ActionInput, history: UpdateInput[], at: Date): ActionState {
  let brag: Brag = action.brag;
  const before = history.filter((u) => u.at <= at);
  const after = history.filter((u) => u.at > at);
  const lastBefore = before[before.length - 1];
  if (lastBefore) brag = lastBefore.toBrag;
  else if (after[0]) brag = after[0].fromBrag;

  let due: { raw: string; date: string | null; kind: DueKind } = { raw: action.dueRaw, date: action.dueDate, kind: action.dueKind };
  const redatedBefore = before.filter((u) => u.revisedDueRaw !== null);
  const redatedAfter = after.find((u) => u.revisedDueRaw !== null);
  const lastRedate = redatedBefore[redatedBefore.length - 1];
  if (lastRedate) {
    due = { raw: lastRedate.revisedDueRaw ?? '', date: lastRedate.revisedDueDate, kind: kindOf(lastRedate.revisedDueRaw ?? '') };
  } else if (redatedAfter) {
    const raw = redatedAfter.fromDueRaw ?? '';
    const parsed = parseDueDate(raw);
    due = parsed.ok ? { raw, date: parsed.due.date, kind: parsed.due.kind } : { raw, date: null, kind: 'unknown' };
  }
  return { brag, dueRaw: due.raw, dueDate: due.date, dueKind: due.kind };
}

function kindOf(raw: string): DueKind {
  const parsed = parseDueDate(raw);
  return parsed.ok ? parsed.due.kind : 'unknown';
}

function summary(a: ActionInput, state: ActionState): ActionSummary {
  const owners = a.ownerNames.length > 0 ? a.ownerNames : [a.leadOfficer || a.leadAgency].filter((o) => o !== '');
  return { ref: a.ref, activity: a.activity, objective: a.objective, brag: state.brag, dueRaw: state.dueRaw, dueDate: state.dueDate, owners };
}

const byPosition = (a: { position: number }, b: { position: number }) => a.position - b.position;

function overdue(live: ActionInput[], history: Map<string, UpdateInput[]>, now: Date, today: string, cal: WorkingCalendar): OverdueAction[] {
  const rows: (OverdueAction & { position: number })[] = [];
  for (const a of live) {
    const s = stateAt(a, history.get(a.id) ?? [], now);
    // The one definition every surface uses (src/core/overdue.ts): ongoing and unreadable dates
    // are never overdue, Blue is done, and the count is in working days.
    const days = workingDaysOverdue(s, today, cal);
    if (days === 0) continue;
    rows.push({ ...summary(a, s), daysOverdue: days, position: a.position });
  }
  return rows.sort((x, y) => y.daysOverdue - x.daysOverdue || byPosition(x, y)).map(({ position: _p, ...r }) => r);
}

function redAmber(live: ActionInput[], history: Map<string, UpdateInput[]>, now: Date): FlaggedAction[] {
  const rows: (FlaggedAction & { position: number })[] = [];
  for (const a of live) {
    const h = history.get(a.id) ?? [];
    const s = stateAt(a, h, now);
    if (s.brag !== 'red' && s.brag !== 'amber') continue;
    const noted = h.filter((u) => u.at <= now && u.note !== null && u.note.trim() !== '');
    const last = noted[noted.length - 1];
    rows.push({
      ...summary(a, s),
      progress: a.progress,
      latestNote: last ? { text: last.note!.trim(), by: last.actorName, at: last.at.toISOString() } : null,
      position: a.position,
    });
  }
  return rows
    .sort((x, y) => BRAG_ORDER.indexOf(x.brag) - BRAG_ORDER.indexOf(y.brag) || byPosition(x, y))
    .map(({ position: _p, ...r }) => r);
}

function compare(inputs: ReportInputs, history: Map<string, UpdateInput[]>, now: Date): Comparison | null {
  let since: Date;
  let kind: Comparison['kind'];
  let label: string;
  if (inputs.previousReport) {
    since = inputs.previousReport.asOf;
    kind = 'report';
    label = `the last report (meeting of ${longDate(inputs.previousReport.meetingDate)}, version ${inputs.previousReport.version}, as at ${longDate(londonDate(since))})`;
  } else if (inputs.previousMeetingDate) {
    since = londonEndOfDay(inputs.previousMeetingDate);
    kind = 'meeting';
    label = `the previous meeting (${longDate(inputs.previousMeetingDate)})`;
  } else {
    return null;
  }
  if (since >= now) return null;

  const counts = emptyCounts();
  let total = 0;
  const moves: (StatusMove & { position: number })[] = [];
  const redated: (Redate & { position: number })[] = [];
  const newActions: (ActionSummary & { position: number })[] = [];
  for (const a of inputs.actions) {
    const h = history.get(a.id) ?? [];
    const then = stateAt(a, h, since);
    const nowState = stateAt(a, h, now);
    const inWindow = h.filter((u) => u.at > since && u.at <= now);
    if (existedAt(a, since)) {
      counts[then.brag] += 1;
      total += 1;
    }
    if (archivedBy(a, now)) continue;
    if (!existedAt(a, since)) {
      if (a.firstSeenAt > since && a.firstSeenAt <= now) newActions.push({ ...summary(a, nowState), position: a.position });
      continue;
    }
    if (then.brag !== nowState.brag) {
      const changes = inWindow.filter((u) => u.toBrag !== u.fromBrag);
      const last = changes[changes.length - 1] ?? inWindow[inWindow.length - 1];
      moves.push({
        ...summary(a, nowState),
        from: then.brag,
        to: nowState.brag,
        by: last?.actorName ?? '',
        at: (last?.at ?? now).toISOString(),
        position: a.position,
      });
    }
    if (then.dueRaw !== nowState.dueRaw) {
      const redates = inWindow.filter((u) => u.revisedDueRaw !== null);
      const last = redates[redates.length - 1];
      redated.push({
        ...summary(a, nowState),
        fromDueRaw: then.dueRaw,
        toDueRaw: nowState.dueRaw,
        by: last?.actorName ?? '',
        at: (last?.at ?? now).toISOString(),
        note: last?.note ?? null,
        position: a.position,
      });
    }
  }
  const strip = <T extends { position: number }>(rows: T[]): Omit<T, 'position'>[] =>
    rows.sort(byPosition).map(({ position: _p, ...r }) => r);
  return {
    kind,
    label,
    since: since.toISOString(),
    sinceDate: londonDate(since),
    counts,
    total,
    moves: strip(moves.filter((m) => m.to !== 'blue')),
    completions: strip(moves.filter((m) => m.to === 'blue')),
    newActions: strip(newActions),
    redated: strip(redated),
  };
}

function notReplied(inputs: ReportInputs, sections: ReportSection[], repliedPeople: Set<string>): { name: string; team: string | null }[] {
  const repliedTeams = new Set(sections.map((s) => headingKey(s.heading)));
  const seen = new Set<string>();
  const missing: { name: string; team: string | null }[] = [];
  for (const p of inputs.asked) {
    if (seen.has(p.personId)) continue;
    seen.add(p.personId);
    // A team's section counts for its lead even when a colleague posted it.
    if (repliedPeople.has(p.personId) || (p.team && repliedTeams.has(headingKey(p.team)))) continue;
    missing.push({ name: p.name, team: p.team });
  }
  return missing.sort((a, b) => a.name.localeCompare(b.name));
}
