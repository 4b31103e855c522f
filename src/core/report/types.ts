/**
 * The highlight report as data. Assembly (assemble.ts) turns inputs and a clock into a
 * HighlightReportContent; every rendering (Markdown, HTML, DOCX, PDF, chart, chat) is a pure
 * function of it, and it is what a HighlightReport row stores (contentJson), so a published
 * version renders the same paper for ever.
 *
 * Plain JSON on purpose: instants are ISO strings, calendar dates 'YYYY-MM-DD' (Europe/London).
 */
import type { Brag } from '../brag.js';
import type { UkRegion } from '../calendar.js';
import type { DueKind } from '../due-date.js';

export const REPORT_SCHEMA_VERSION = 1;

export type BragCounts = Record<Brag, number>;

/** A lead's reply in the meeting's update thread, as stored (SectionUpdate). */
export interface SectionInput {
  id: string;
  section: string;
  /** Whether the reply named its section itself; an unheaded reply continues its lead's (or team's) section. */
  headed: boolean;
  authorName: string;
  personId: string | null;
  /** The author's team (Person.team) as it is now: places the reply in the group's section order. */
  authorTeam: string | null;
  /** Already the edited text when the reply was edited. */
  text: string;
  postedAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export interface ActionInput {
  id: string;
  ref: string;
  position: number;
  activity: string;
  objective: string | null;
  progress: string;
  /** Current state (the Action row); assembly reconstructs the state as of `now` from the updates. */
  brag: Brag;
  dueKind: DueKind;
  dueDate: string | null;
  dueRaw: string;
  leadAgency: string;
  leadOfficer: string;
  ownerNames: string[];
  /** Earliest evidence the action existed: its creation or its first recorded update, whichever is earlier. */
  firstSeenAt: Date;
  /** Brought in by the plan's first import (its baseline): it existed at any instant (src/core/history.ts). */
  baseline?: boolean | undefined;
  archivedAt: Date | null;
}

/** A StatusUpdate row (append-only history). */
export interface UpdateInput {
  actionId: string;
  at: Date;
  actorName: string;
  kind: string;
  channel: string;
  fromBrag: Brag;
  toBrag: Brag;
  fromProgress?: string | null | undefined;
  toProgress?: string | null | undefined;
  note: string | null;
  fromDueRaw: string | null;
  revisedDueRaw: string | null;
  revisedDueDate: string | null;
}

export interface AskedPerson {
  personId: string;
  name: string;
  team: string | null;
  /** Has a Slack or Teams id, so the update round could ask them; the rest are listed apart, for the chair to ask another way. */
  reachable: boolean;
}

export interface ReportSettings {
  /** The report's purpose, the introduction's first paragraph (seed 003: "The purpose of the report is to …"). */
  purpose?: string | undefined;
  /** Title override; default "<group name> – Highlight Report". */
  title?: string | undefined;
  /**
   * The partnership's order of sections: section names or teams. A reply lands at the entry its
   * heading or its author's team matches; sections not listed follow in the order first posted.
   */
  sections?: string[] | undefined;
  /**
   * The generated sentence ("This report covers the meeting of … 6 teams and services gave an
   * update …"): true = always, false = never, unset = only when the chair wrote no introduction.
   */
  coverageLine?: boolean | undefined;
}

export interface ReportInputs {
  group: { slug: string; name: string; reportsToName: string | null };
  /** The group's nation: its bank holidays decide how many working days an action is overdue. */
  region: UkRegion;
  meeting: { date: string; title: string | null };
  /** Date of the group's previous (not cancelled) meeting: the period the report covers starts there. */
  previousMeetingDate: string | null;
  /** The group's reportCutOffWorkingDays (default 1): the previous meeting's cut-off is where "changes since" start. */
  cutOffWorkingDays?: number | undefined;
  /** The last published report of an earlier meeting: "changes since the last report" start at its time. */
  previousReport: { version: number; meetingDate: string; asOf: Date } | null;
  settings: ReportSettings;
  sections: SectionInput[];
  actions: ActionInput[];
  updates: UpdateInput[];
  /** Who was asked for an update: the group's members and the owners of open actions. */
  asked: AskedPerson[];
  /** The convening manager who signs the report. */
  signOff: { name: string; role: string | null } | null;
  /** The group's chairs and the convening manager: their own items (e.g. "Strategy and Action Plan") are not team updates. */
  convenorPersonIds: string[];
}

export interface ReportSection {
  heading: string;
  /** Everyone who posted in it, in order of posting. */
  authors: string[];
  /** The replies' text as written, several replies joined by a blank line. */
  text: string;
  firstPostedAt: string;
  lastChangedAt: string;
  /** Posted (or last edited) after the meeting's date: received late (the chair's preview says so). */
  late: boolean;
  /** Posted only by the chair or the convening manager (their own item): not counted as a team's update. */
  convenorItem?: boolean;
}

export interface ActionSummary {
  ref: string;
  activity: string;
  objective: string | null;
  brag: Brag;
  dueRaw: string;
  dueDate: string | null;
  /** Owner names, or the lead officer/agency as the plan writes it when nobody owns it in bragbot. */
  owners: string[];
}

export interface OverdueAction extends ActionSummary {
  /** Working days overdue as of the report date, in the group's calendar (src/core/overdue.ts). */
  daysOverdue: number;
}

export interface FlaggedAction extends ActionSummary {
  latestNote: { text: string; by: string; at: string } | null;
  progress: string;
}

export interface StatusMove extends ActionSummary {
  from: Brag;
  to: Brag;
  by: string;
  at: string;
}

export interface Redate extends ActionSummary {
  fromDueRaw: string;
  toDueRaw: string;
  by: string;
  at: string;
  note: string | null;
}

export interface Comparison {
  /** 'report' = the last published report; 'meeting' = the previous meeting (no report published then). */
  kind: 'report' | 'meeting';
  /** Human label: "the last report (11 November 2020, version 2)". */
  label: string;
  since: string;
  sinceDate: string;
  counts: BragCounts;
  total: number;
  moves: StatusMove[];
  completions: StatusMove[];
  newActions: ActionSummary[];
  redated: Redate[];
}

export interface PlanStatus {
  total: number;
  counts: BragCounts;
  comparison: Comparison | null;
  overdue: OverdueAction[];
  redAmber: FlaggedAction[];
}

export interface HighlightReportContent {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  title: string;
  group: { slug: string; name: string; reportsToName: string | null };
  meeting: { date: string; title: string | null; previousDate: string | null };
  /** The instant the plan status is as at: the meeting's cut-off, the --as-of given, or when it was generated if that was earlier. */
  asOf: string;
  /** Its Europe/London calendar date: overdue is counted to this day. */
  asOfDate: string;
  introduction: string[];
  sections: ReportSection[];
  plan: PlanStatus;
  /** Asked in chat and not replied: for the chair's preview and cover note, never printed in the paper. */
  notReplied: { name: string; team: string | null }[];
  /** Owners and members bragbot could not ask (no Slack or Teams id): the chair asks them another way. Absent in versions stored before it existed. */
  notAsked?: { name: string; team: string | null }[];
  signOff: { name: string; role: string | null } | null;
}
