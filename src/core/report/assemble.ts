/**
 * Assembles a highlight report: a pure function of (inputs, now). No I/O and no clock of its
 * own, so the same inputs and instant give the same paper, and "the report as of 1 March"
 * can be rebuilt from the append-only history (StatusUpdate rows) at any later time.
 *
 * Structure follows seed 003's highlight report: introduction (which meeting, the period
 * covered), one section per team or service in its lead's own words, the action plan's status
 * (what a chair would otherwise count by hand), then the convening manager's sign-off.
 */
import { BRAG_ORDER, BRAGS } from '../brag.js';
import { calendarFor, type WorkingCalendar } from '../calendar.js';
import { archivedBy, existedAt, stateAt as historyStateAt, type ActionState } from '../history.js';
import { meetingCutOff } from '../meetings.js';
import { workingDaysOverdue } from '../overdue.js';
import { londonDate, longDate } from './dates.js';
import { normaliseHeading, sectionKey } from './headings.js';
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
const INTRODUCTION_KEY = sectionKey('Introduction');

export function emptyCounts(): BragCounts {
  return Object.fromEntries(BRAGS.map((b) => [b, 0])) as BragCounts;
}

export { normaliseHeading };

/**
 * `now` is the instant the plan status is as at (a meeting's cut-off, or --as-of): actions,
 * BRAG, due dates, progress and overdue counts are rebuilt for it. `repliesAt` is how far the
 * meeting's update thread is read (default `now`): a paper generated after its cut-off still
 * carries the replies posted up to and during the meeting.
 */
export function assembleReport(inputs: ReportInputs, now: Date, repliesAt: Date = now): HighlightReportContent {
  const asOfDate = londonDate(now);
  const { sections, introduction: chairIntro, repliedPersonIds } = assembleSections(inputs, repliesAt);
  const history = historyByAction(inputs.updates);
  const live = inputs.actions.filter((a) => existed(a, now));

  const counts = emptyCounts();
  for (const a of live) counts[stateAt(a, history.get(a.id) ?? [], now).brag] += 1;
  const { notReplied, notAsked } = whoHasNotReplied(inputs, sections, repliedPersonIds);

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    title: inputs.settings.title?.trim() || `${inputs.group.name} – Highlight Report`,
    group: inputs.group,
    meeting: { date: inputs.meeting.date, title: inputs.meeting.title, previousDate: inputs.previousMeetingDate },
    asOf: now.toISOString(),
    asOfDate,
    introduction: introduction(inputs, sections, chairIntro, asOfDate),
    sections,
    plan: {
      total: live.length,
      counts,
      comparison: compare(inputs, history, now),
      overdue: overdue(live, history, now, asOfDate, calendarFor(inputs.region)),
      redAmber: redAmber(live, history, now),
    },
    notReplied,
    notAsked,
    signOff: inputs.signOff,
  };
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The introduction is the chair's: their "Introduction" reply, after the group's purpose unless
 * the chair's text already opens with it. The generated coverage sentence comes last and only
 * when asked for (report.coverageLine), or when the chair wrote no introduction of their own.
 */
function introduction(inputs: ReportInputs, sections: ReportSection[], chairIntro: string[], asOfDate: string): string[] {
  const { group, meeting } = inputs;
  const configured = inputs.settings.purpose?.trim();
  const chairOpensWithPurpose = configured !== undefined && chairIntro[0] !== undefined
    && (sameText(chairIntro[0], configured) || chairIntro[0].replace(/\s+/g, ' ').toLowerCase().startsWith(configured.replace(/\s+/g, ' ').toLowerCase()));
  const purpose = configured
    ? (chairOpensWithPurpose ? [] : [configured])
    : chairIntro.length > 0
      ? []
      : [`The purpose of the report is to provide information to ${group.reportsToName ?? 'the board'} regarding the delivery of the ${group.name}'s action plan, with updates from the teams and services that report to it.`];

  const wantCoverage = inputs.settings.coverageLine ?? chairIntro.length === 0;
  const coverage: string[] = [];
  if (wantCoverage) {
    const period = inputs.previousMeetingDate ? ` and the period since the previous meeting on ${longDate(inputs.previousMeetingDate)}` : '';
    const teamCount = sections.filter((s) => !s.convenorItem).length;
    const teams = teamCount === 0
      ? 'No team or service has posted an update yet.'
      : `${teamCount} ${teamCount === 1 ? 'team or service' : 'teams and services'} gave an update.`;
    coverage.push(`This report covers the meeting of the ${group.name} on ${longDate(meeting.date)}${meeting.title ? ` (${meeting.title})` : ''}${period}. ${teams} The action plan's status is as at ${longDate(asOfDate)}.`);
  }
  return [...purpose, ...chairIntro, ...coverage];
}

interface Draft {
  key: string;
  /** The heading a reply gave it; null while only unheaded replies (filed by team or name) are in it. */
  ownHeading: string | null;
  fallbackHeading: string;
  replies: SectionInput[];
}

/** Who a reply is from, for "the same lead": their person id, or their name when bragbot does not know them. */
const authorOf = (r: SectionInput) => r.personId ?? `name:${r.authorName}`;

function assembleSections(inputs: ReportInputs, now: Date): { sections: ReportSection[]; introduction: string[]; repliedPersonIds: Set<string> } {
  // Replies posted after `now` do not exist yet; a reply deleted by then is gone. Edits are already in `text`.
  const visible = inputs.sections
    .filter((r) => r.postedAt <= now && !(r.deletedAt && r.deletedAt <= now) && r.text.trim() !== '')
    .sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.id.localeCompare(b.id));
  const order = (inputs.settings.sections ?? []).map((name) => ({ name: normaliseHeading(name), key: sectionKey(name) })).filter((e) => e.key !== '');
  const entryFor = (key: string) => order.find((e) => e.key === key);

  const drafts: Draft[] = [];
  const byKey = new Map<string, Draft>();
  const draftFor = (key: string, heading: string | null, fallback: string): Draft => {
    let d = byKey.get(key);
    if (!d) {
      d = { key, ownHeading: heading, fallbackHeading: fallback, replies: [] };
      byKey.set(key, d);
      drafts.push(d);
    } else if (d.ownHeading === null && heading !== null) {
      d.ownHeading = heading;
    }
    return d;
  };

  const intro: SectionInput[] = [];
  // Headed replies first: they name the sections that unheaded follow-ups continue, whichever came first.
  for (const r of visible) {
    if (!r.headed) continue;
    const key = sectionKey(r.section);
    if (key === INTRODUCTION_KEY) intro.push(r);
    else draftFor(key, normaliseHeading(r.section), normaliseHeading(r.section)).replies.push(r);
  }
  for (const r of visible) {
    if (r.headed) continue;
    const target = continuedSection(drafts, r) ?? draftFor(
      sectionKey(r.authorTeam ?? r.section),
      null,
      entryFor(sectionKey(r.authorTeam ?? r.section))?.name ?? normaliseHeading(r.authorTeam ?? r.section),
    );
    target.replies.push(r);
  }

  const convenors = new Set(inputs.convenorPersonIds);
  const built = drafts.map((d) => {
    const replies = [...d.replies].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.id.localeCompare(b.id));
    const lastChanged = replies.map((r) => r.editedAt ?? r.postedAt).reduce((a, b) => (a > b ? a : b));
    const section: ReportSection = {
      heading: d.ownHeading ?? d.fallbackHeading,
      authors: [...new Set(replies.map((r) => r.authorName))],
      text: replies.map((r) => r.text.trim()).join('\n\n'),
      firstPostedAt: replies[0]!.postedAt.toISOString(),
      lastChangedAt: lastChanged.toISOString(),
      late: londonDate(lastChanged) > inputs.meeting.date,
      convenorItem: replies.every((r) => r.personId !== null && convenors.has(r.personId)),
    };
    // Where the group's order puts it: its heading's entry, else its authors' team's.
    const teams = replies.map((r) => r.authorTeam).filter((t): t is string => t !== null && t.trim() !== '').map(sectionKey);
    const rank = order.findIndex((e) => e.key === d.key || sectionKey(section.heading) === e.key);
    const teamRank = rank >= 0 ? rank : order.findIndex((e) => teams.includes(e.key));
    return { section, rank: teamRank >= 0 ? teamRank : order.length, first: replies[0]!.postedAt.getTime() };
  });
  // Sections the order lists come in its order; the rest follow in the order they were first posted.
  built.sort((a, b) => a.rank - b.rank || a.first - b.first);

  const introText = intro.map((r) => r.text.trim()).join('\n\n');
  const introduction = introText.split(/\n{2,}/).map((p) => p.trim()).filter((p) => p !== '');
  const repliedPersonIds = new Set(visible.map((r) => r.personId).filter((id): id is string => id !== null));
  return { sections: built.map((b) => b.section), introduction, repliedPersonIds };
}

/**
 * The section an unheaded reply continues: the one its author already posted in (the latest
 * before it, else their first), else one a colleague of the same team posted in, else one named
 * after their team.
 */
function continuedSection(drafts: Draft[], r: SectionInput): Draft | undefined {
  const mine = drafts.filter((d) => d.replies.some((x) => x !== r && authorOf(x) === authorOf(r)));
  if (mine.length > 0) {
    const before = mine.filter((d) => d.replies.some((x) => authorOf(x) === authorOf(r) && x.postedAt <= r.postedAt));
    const latest = (d: Draft) => Math.max(...d.replies.filter((x) => authorOf(x) === authorOf(r) && x.postedAt <= r.postedAt).map((x) => x.postedAt.getTime()));
    return before.length > 0 ? before.sort((a, b) => latest(b) - latest(a))[0] : mine[0];
  }
  const team = r.authorTeam?.trim();
  if (!team) return undefined;
  const key = sectionKey(team);
  return drafts.find((d) => d.replies.some((x) => x.authorTeam !== null && sectionKey(x.authorTeam) === key)) ?? drafts.find((d) => d.key === key);
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

const existed = (a: ActionInput, at: Date) => existedAt({ baseline: a.baseline ?? false, firstSeenAt: a.firstSeenAt, archivedAt: a.archivedAt }, at);

/** An action's BRAG, due date and progress at an instant, rebuilt from its history (src/core/history.ts). */
export function stateAt(action: ActionInput, history: UpdateInput[], at: Date): ActionState {
  return historyStateAt(action, history, at);
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
      progress: s.progress,
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
    // The previous meeting's paper showed the plan as at its cut-off: changes count from there.
    since = meetingCutOff(inputs.previousMeetingDate, calendarFor(inputs.region), inputs.cutOffWorkingDays ?? 1);
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
    if (existed(a, since)) {
      counts[then.brag] += 1;
      total += 1;
    }
    if (archivedBy(a, now)) continue;
    if (!existed(a, since)) {
      if (existed(a, now)) newActions.push({ ...summary(a, nowState), position: a.position });
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

function whoHasNotReplied(
  inputs: ReportInputs,
  sections: ReportSection[],
  repliedPeople: Set<string>,
): { notReplied: { name: string; team: string | null }[]; notAsked: { name: string; team: string | null }[] } {
  const repliedTeams = new Set(sections.map((s) => sectionKey(s.heading)));
  for (const r of inputs.sections) if (r.authorTeam && r.personId && repliedPeople.has(r.personId)) repliedTeams.add(sectionKey(r.authorTeam));
  const seen = new Set<string>();
  const notReplied: { name: string; team: string | null }[] = [];
  const notAsked: { name: string; team: string | null }[] = [];
  for (const p of inputs.asked) {
    if (seen.has(p.personId)) continue;
    seen.add(p.personId);
    // A team's section counts for its lead even when a colleague posted it.
    if (repliedPeople.has(p.personId) || (p.team && repliedTeams.has(sectionKey(p.team)))) continue;
    (p.reachable ? notReplied : notAsked).push({ name: p.name, team: p.team });
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { notReplied: notReplied.sort(byName), notAsked: notAsked.sort(byName) };
}
