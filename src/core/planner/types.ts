/**
 * What the nudge planner reads and what it decides. Plain data: the scheduler's loader fills a
 * PlanSnapshot from the database, the planner returns PlannedMessages, the outbox writer stores
 * them. No ids of any chat platform appear here; recipients are people and group channels.
 */
import type { Brag } from '../brag.js';
import type { ActionCard, NudgeReason, OutboundMessage } from '../chat.js';
import type { IsoDate } from '../calendar.js';
import type { DueKind } from '../due-date.js';
import type { MeetingRecord, ScheduledMeeting } from '../meetings.js';
import type { GroupSettings } from '../settings.js';

export interface PersonInfo {
  id: string;
  name: string;
  /** Line manager (Person.managerId): hears about this person's Red and unanswered actions. */
  managerId: string | null;
}

export interface SnoozeInfo {
  personId: string;
  until: Date;
  createdAt: Date;
}

export interface ActionInfo {
  id: string;
  ref: string;
  activity: string;
  progress: string;
  leadAgency: string;
  leadOfficer: string;
  dueKind: DueKind;
  /** 'YYYY-MM-DD'; for a month ("Jan-22") its last day. */
  dueDate: string | null;
  dueRaw: string;
  brag: Brag;
  ownerIds: string[];
  /** When anyone last reported on it; null = never. Counts as the owners' response to nudges. */
  lastUpdatedAt: Date | null;
  createdAt: Date;
  latestNote: string | null;
  snoozes: SnoozeInfo[];
  /** The latest change to Red (from another status), if any: the StatusUpdate that made it. */
  turnedRed: { statusUpdateId: string; at: Date } | null;
}

/** A "not my action" recorded by an owner: the group's chairs hear about it once. */
export interface NotMineEvent {
  statusUpdateId: string;
  actionId: string;
  personId: string | null;
  actorName: string;
  at: Date;
  note: string | null;
}

export interface GroupInfo {
  id: string;
  slug: string;
  name: string;
  cadence: string;
  cadenceAnchor: string | null;
  settings: GroupSettings;
  /** Fields of settingsJson that were invalid and fell back to defaults. */
  settingsProblems?: string[];
  meetings: MeetingRecord[];
  chairIds: string[];
  /** People with the group role 'manager': they get the whole group's digest. */
  managerIds: string[];
  /** Platforms the group has a channel on: where update rounds open their thread. */
  channelPlatforms: ('slack' | 'teams')[];
  actions: ActionInfo[];
  notMine: NotMineEvent[];
}

/**
 * Why a person heard about an action, once. The planner keeps a history of these (from the
 * outbox) to decide what is new: a due-soon reminder for a due date goes once, an update round
 * for a meeting once, an overdue nudge again only after the group's interval.
 */
export type MentionReason = 'overdue' | 'due-soon' | 'stale' | 'update-round' | 'escalation-red' | 'escalation-unanswered' | 'digest';

export interface Mention {
  personId: string;
  actionId: string;
  reason: MentionReason;
  /** What makes it the same mention again: the due date, the meeting date, the Red update's id … */
  window: string;
  /** The London date it was (planned to be) delivered. */
  on: IsoDate;
}

/** What planning every group needs: who is who, what was said before, when it last ran. */
export interface PlanContext {
  people: PersonInfo[];
  /** Earlier mentions (planned or sent), from the outbox. */
  history: Mention[];
  /** When the scheduler last planned; null on the first run. Drives catch-up. */
  lastRunAt: Date | null;
}

export interface PlanSnapshot extends PlanContext {
  groups: GroupInfo[];
}

/** OutboxMessage.kind */
export type OutboxKind = 'overdue' | 'due-soon' | 'stale' | 'update-round' | 'thread-open' | 'escalation' | 'digest' | 'not-mine' | 'catch-up';

export type Recipient =
  | { type: 'person'; personId: string; name: string }
  | { type: 'group-channel'; groupId: string; groupName: string; platform: 'slack' | 'teams' };

export interface PlannedMessage {
  /** person/channel + kind + window; the outbox's unique key (see planNudges for each kind's window). */
  idempotencyKey: string;
  kind: OutboxKind;
  recipient: Recipient;
  /** The group it is about; for a person's message spanning groups, the first of them. */
  groupId: string | null;
  /** Not before this instant: the next moment inside working hours on a working day. */
  notBefore: Date;
  message: OutboundMessage;
  actionIds: string[];
  /** Per action, why it is in the message (a person's nudge merges several reasons). */
  reasonsByAction: Record<string, string[]>;
  /** What this message tells whom, for the next plan's history. */
  mentions: Mention[];
  /** thread-open: the meeting the thread is for. */
  meetingDate?: IsoDate;
}

/** Something that needs attention but has nobody to tell (no owner, no chair, no channel). */
export interface Unrouted {
  groupSlug: string;
  actionId: string | null;
  ref: string | null;
  reason: NudgeReason | 'thread-open' | 'not-mine' | 'escalation';
  problem: string;
}

export interface GroupView {
  groupId: string;
  slug: string;
  name: string;
  region: string;
  /** The instant this group's messages go (now, or the next working-hours start). */
  sendAt: Date;
  /** The London working day the plan is for. */
  today: IsoDate;
  overdue: ActionCard[];
  dueSoon: ActionCard[];
  /** Meetings from today over the next ~10 weeks, and whether an update round is open for one. */
  meetings: ScheduledMeeting[];
  updateRoundFor: IsoDate | null;
  settingsProblems?: string[];
}

export interface NudgePlan {
  now: Date;
  catchUp: boolean;
  messages: PlannedMessage[];
  unrouted: Unrouted[];
  groups: GroupView[];
}
