/**
 * The nudge planner: a pure function of (plan snapshot, now) to the messages to send. No I/O and
 * no clock: the same snapshot and `now` always give the same plan, which is what makes the dry
 * run (`bragbot nudges plan`) trustworthy and replicas safe (they plan the same keys).
 *
 * Per group, everything is judged as of `sendAt`: now, or the next start of working hours on a
 * working day in the group's nation (quiet hours). A message planned on a Friday evening is for
 * Monday 09:00 (Tuesday after a bank-holiday Monday) and carries that date in its key.
 *
 * What it decides, and each message's idempotency key (person/channel + kind + window):
 * - nudge `nudge:<personId>:<sendDate>` — ONE message per person per send day listing all their
 *   actions, each with its reasons: overdue (again only after overdueNudgeEveryWorkingDays working
 *   days since the last nudge or update), due-soon (once per due date, from dueSoonLeadWorkingDays
 *   before it), stale (no update for staleAfterDays; once per period), update-round (once per
 *   meeting, from updateRoundLeadWorkingDays before it). The action ids are in OutboxItem rows
 *   rather than the key: two replicas reading the plan a moment apart could otherwise each insert
 *   a message naming the same action.
 * - thread-open `thread-open:<groupId>:<meetingDate>:<platform>` — the meeting's update thread in
 *   each of the group's channels.
 * - escalation `escalation:<red|unanswered>:<personId>:<first news>` — to the owners' line managers
 *   (the group's managers when an owner has none) and the chairs, never to an owner about their
 *   own action: when an action turned Red (once per Red update), or is overdue and its owners left
 *   escalateAfterNudges nudges unanswered (once per silence: an update or snooze resets it).
 *   One message per recipient lists everything new in this plan; its key names the earliest piece
 *   of news in it (the Red update's id; `<actionId>@<silence>` for unanswered nudges), not the day,
 *   so a second action turning Red the same day gets its own message at the next tick instead of
 *   colliding with the morning's key and waiting a day. Idempotent all the same: what a message
 *   told is in the history, so a later plan leaves it out and starts from newer news (a new key);
 *   a replica planning the same moment plans the same first news (the same key: one insert).
 * - digest `digest:<personId>:<digestDate>` — weekly, on digestWeekday (the next working day if
 *   that is a bank holiday; caught up later that week if the bot was down): Red, Amber and
 *   overdue actions; chairs and group managers get the whole group, line managers their people's.
 * - not-mine `not-mine:<statusUpdateId>:<chairId>` — one message to each chair per "not my action".
 *
 * Snoozes: no nudge about an action to a person who snoozed it until the snooze ends.
 * Catch-up: a plan after a whole working day without one is an ordinary plan (the history says
 * what was already said), its nudges marked 'catch-up': one message per person, not one per
 * missed tick.
 */
import { BRAG_ORDER } from '../brag.js';
import {
  addDays,
  calendarFor,
  daysBetween,
  formatDate,
  londonDate,
  londonInstant,
  weekdayOf,
  WEEKDAYS,
  type IsoDate,
  type WorkingCalendar,
} from '../calendar.js';
import type { ActionCard, NudgeReason, OutboundMessage } from '../chat.js';
import { meetingsBetween, type ScheduledMeeting } from '../meetings.js';
import { hasDeadline, workingDaysOverdue } from './overdue.js';
import type {
  ActionInfo,
  GroupInfo,
  GroupView,
  Mention,
  MentionReason,
  NudgePlan,
  OutboxKind,
  PlanContext,
  PlannedMessage,
  PlanSnapshot,
  Unrouted,
} from './types.js';

/** Red turns and "not mine"s older than this (or than the last run, if that is older) are not news. */
export const EVENT_LOOKBACK_DAYS = 14;
/** How far ahead meetings are listed in the plan's group view. */
const MEETING_HORIZON_DAYS = 70;
const DAY_MS = 86_400_000;

const REASON_ORDER: NudgeReason[] = ['overdue', 'due-soon', 'stale', 'update-round', 'catch-up'];
/** A nudge's reasons as bits (REASON_ORDER's positions): no array per owner per action. */
const OVERDUE = 1;
const DUE_SOON = 2;
const STALE = 4;
const UPDATE_ROUND = 8;
const CATCH_UP = 16;
const BIT_OF: Partial<Record<MentionReason, number>> = { overdue: OVERDUE, 'due-soon': DUE_SOON, stale: STALE, 'update-round': UPDATE_ROUND };
/** The reasons of each set of bits, in REASON_ORDER, made once and shared (plans are never modified after they are made). */
const REASONS_OF_BITS: NudgeReason[][] = Array.from({ length: 32 }, (_, bits) => REASON_ORDER.filter((_r, i) => (bits & (1 << i)) !== 0));
// One array shared by every entry of a digest's or escalation's reasonsByAction (a digest can list
// thousands of actions); plans are never modified after they are made.
const DIGEST_REASONS: string[] = ['digest'];
const ESCALATION_REASONS: Record<'red' | 'unanswered', string[]> = { red: ['escalation-red'], unanswered: ['escalation-unanswered'] };

/**
 * A message whose reasonsByAction is built when first read. It has one key per action listed (a
 * chair's digest lists a whole group), and most plans' messages are already in the outbox, so
 * nothing reads it: built eagerly it was a tenth of a 100k-action plan. Read, it is built once and
 * kept; it is an ordinary enumerable property for JSON, spreads and comparisons.
 */
function withReasonsByAction(m: Omit<PlannedMessage, 'reasonsByAction'>, build: () => Record<string, string[]>): PlannedMessage {
  let built: Record<string, string[]> | undefined;
  return Object.defineProperty(m, 'reasonsByAction', { enumerable: true, get: () => (built ??= build()) }) as PlannedMessage;
}

/**
 * A nudge's reasonsByAction, from its mentions: each mention is one reason the person hears about
 * one action (they are made together), so the mentions are the reasons, and no map of reasons per
 * action is kept while planning. Actions in the order first mentioned, each's reasons in REASON_ORDER.
 */
function reasonsOfMentions(mentions: Mention[]): Record<string, string[]> {
  const bits = new Map<string, number>();
  for (const m of mentions) bits.set(m.actionId, (bits.get(m.actionId) ?? 0) | (BIT_OF[m.reason] ?? 0));
  const out: Record<string, string[]> = {};
  for (const [id, b] of bits) out[id] = REASONS_OF_BITS[b]!;
  return out;
}

/** reasonsByAction where every action has the same reasons (a plain loop: no [key, value] pair per action). */
function sameReasons(actions: ActionCard[], reasons: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of actions) out[c.actionId] = reasons;
  return out;
}
const KIND_PRIORITY: [OutboxKind, number][] = [
  ['overdue', OVERDUE],
  ['update-round', UPDATE_ROUND],
  ['due-soon', DUE_SOON],
  ['stale', STALE],
];

/**
 * What was said before, by action: one list per action of everyone's mentions of it, read once per
 * action and scanned per owner (a few entries: an overdue nudge a week per owner, a reminder per due
 * date or meeting). No map per action of people (a 1M-action plan's history was 250,000 of them),
 * no second index of the overdue nudges.
 */
class History {
  private readonly byAction = new Map<string, Mention[]>();

  constructor(mentions: Mention[]) {
    for (const m of mentions) {
      const list = this.byAction.get(m.actionId);
      if (list) list.push(m);
      else this.byAction.set(m.actionId, [m]);
    }
  }

  /** Everything said about one action (undefined: nothing). */
  about(actionId: string): Mention[] | undefined {
    return this.byAction.get(actionId);
  }
}

/** Was this said to the person on or before `today`? (Later entries come from plans for another --as-of.) */
function saidBefore(said: Mention[] | undefined, personId: string, reason: MentionReason, window: string, today: IsoDate): boolean {
  if (said === undefined) return false;
  for (const m of said) if (m.reason === reason && m.window === window && m.personId === personId && m.on <= today) return true;
  return false;
}

function lastOverdueNudge(said: Mention[] | undefined, personId: string, today: IsoDate): IsoDate | null {
  let last: IsoDate | null = null;
  if (said !== undefined) for (const m of said) if (m.reason === 'overdue' && m.personId === personId && m.on <= today && (last === null || m.on > last)) last = m.on;
  return last;
}

/** Days an overdue nudge about the action went to any owner, after `after` and before `today`. */
function overdueRounds(said: Mention[] | undefined, after: IsoDate | null, today: IsoDate): number {
  const days: IsoDate[] = [];
  if (said !== undefined) {
    for (const m of said) {
      const d = m.on;
      if (m.reason === 'overdue' && (after === null || d > after) && d < today && !days.includes(d)) days.push(d);
    }
  }
  return days.length;
}

function bucketsOf<B>(outer: Map<string, Map<string, B>>, key: string): Map<string, B> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}

function* allBuckets<B>(outer: Map<string, Map<string, B>>): Iterable<B> {
  for (const inner of outer.values()) yield* inner.values();
}

const laterDate = (a: IsoDate | null, b: IsoDate | null): IsoDate | null => (b !== null && (a === null || b > a) ? b : a);

// Collators made once: localeCompare with a locale argument builds a new one on every call.
const refCollator = new Intl.Collator('en-GB', { numeric: true });
const nameCollator = new Intl.Collator();

function compareRefs(a: string, b: string): number {
  return refCollator.compare(a, b);
}

const compareCodeUnits = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

function compareCards(a: ActionCard, b: ActionCard): number {
  return (
    (a.groupName === b.groupName ? 0 : nameCollator.compare(a.groupName, b.groupName)) ||
    b.daysOverdue - a.daysOverdue ||
    BRAG_ORDER.indexOf(a.brag) - BRAG_ORDER.indexOf(b.brag) ||
    // ISO dates: code-unit order is date order (localeCompare went through ICU for every pair).
    compareCodeUnits(a.dueDate ?? '9999', b.dueDate ?? '9999') ||
    compareRefs(a.ref, b.ref) ||
    compareCodeUnits(a.actionId, b.actionId)
  );
}

/**
 * One person's message being built. Its cards are numbers: the group's serial (the addGroup call
 * that planned it) times CARD_SLOTS plus the card's number in that group; a chair's or group
 * manager's digest takes the whole group's attention cards as -serial. They go into one log for the
 * whole plan, with the bucket's slot, and so do nudges' mentions: a pick is two array pushes at the
 * end of two arrays, and planning an action touches no bucket (at 1M actions a person owns about one
 * action per group, and reaching each owner's bucket and its arrays, scattered over a large heap,
 * was a fifth of the run). finish sorts the log by bucket (a counting sort, keeping the order
 * within a bucket) and works out from it what each bucket used to keep up to date: its send time,
 * a nudge's reasons and meeting, its mentions.
 * Each group's cards are sorted by compareCards once, when the group is done (every owner's nudge
 * and every chair's and line manager's digest used to re-sort the same cards); compareCards orders
 * by group name first, so finish orders a message's numbers by (its group's place in name order,
 * the card's rank in its group): a sort of plain numbers. Groups with the same name interleave
 * their cards, so a message listing two of them is sorted by compareCards itself.
 */
interface Bucket {
  personId: string;
  date: IsoDate;
  /** Its place in the plan's list of buckets (and in the logs). */
  slot: number;
  /** Set by finish: the latest send time of its groups. */
  sendAt: Date;
  /** The first group it lists (PlannedMessage.groupId). */
  groupId: string;
  mentions: Mention[];
}
/** Card numbers per group: 67 million actions in one group would be the first group too big. */
const CARD_SLOTS = 2 ** 26;

/** What finish needs of a planned group: its cards in compareCards order, each card's rank in it, the digest's attention cards. */
interface PlannedGroup {
  id: string;
  name: string;
  sendAt: Date;
  /** The update round's meeting date, if one is open. */
  roundDate: IsoDate | null;
  sorted: ActionCard[];
  rank: Int32Array;
  attention: number[];
}

interface NudgeBucket extends Bucket {
  /** Set by finish, from the mentions: the reasons in it, as bits, and the earliest update round's meeting. */
  present: number;
  meeting?: { groupId: string; groupName: string; date: string };
}

interface DigestBucket extends Bucket {
  label: string;
}

/**
 * A person bragbot knows, with what the planner looks up about them per action kept on them: their
 * line manager (resolved once), and the nudge and digest they are getting for the date the current
 * group plans for (found in the maps once per group, not once per action).
 */
interface Person {
  id: string;
  name: string;
  /** [name]: the ownerNames of every card of an action they alone own (shared: plans are never modified). */
  asOwner: string[];
  manager: Person | null;
  nudgeOn: IsoDate | null;
  nudge: NudgeBucket | null;
  digestOn: IsoDate | null;
  digest: DigestBucket | null;
  /** The addGroup call whose whole digest they get (a chair or group manager of it). */
  wholeGroupOf: number;
}

/** A piece of news an escalation reports, ordered by when it happened, then by id. */
interface News {
  at: string;
  id: string;
}
const earlier = (a: News, b: News): boolean => a.at < b.at || (a.at === b.at && a.id < b.id);

interface EscalationBucket extends Bucket {
  reason: 'red' | 'unanswered';
  ownerNames: Set<string>;
  /** The earliest news in the message: its idempotency key. */
  first: News;
}

/** The digest day of the week that contains `today`, moved to the next working day if needed. */
function digestDay(today: IsoDate, weekday: string, cal: WorkingCalendar): IsoDate {
  const monday = addDays(today, -(weekdayOf(today) - 1));
  return cal.nextWorkingDay(addDays(monday, WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number])));
}

/**
 * The last due date that is "due soon" on `today`: due dates d with addWorkingDays(d, -lead) <= today.
 * That step back never decreases as d increases, so those dates are all the dates up to one: found
 * once per group, so each action compares two strings instead of stepping through the calendar.
 */
function dueSoonUntil(today: IsoDate, lead: number, cal: WorkingCalendar): IsoDate | null {
  if (lead <= 0) return null;
  let d = today;
  for (let next = addDays(d, 1); cal.addWorkingDays(next, -lead) <= today; next = addDays(next, 1)) d = next;
  return d;
}

/**
 * Plans one group at a time: `addGroup` for each group (the loader streams them from the
 * database, so a group's actions need not stay in memory after it is planned), then `finish`.
 * A person's messages still span groups (one nudge a day, one digest a week), so what is kept
 * between groups is the plan being built, never the groups' inputs.
 */
export interface NudgePlanner {
  addGroup(group: GroupInfo): void;
  finish(): NudgePlan;
}

/** The same plan as planNudges({...context, groups}, now), built group by group. */
export function createNudgePlanner(context: PlanContext, now: Date): NudgePlanner {
  const people = new Map<string, Person>();
  for (const p of context.people) people.set(p.id, { id: p.id, name: p.name, asOwner: [p.name], manager: null, nudgeOn: null, nudge: null, digestOn: null, digest: null, wholeGroupOf: 0 });
  for (const p of context.people) people.get(p.id)!.manager = p.managerId === null ? null : (people.get(p.managerId) ?? null);
  const history = new History(context.history);
  const lastRunAt = context.lastRunAt;
  const lookbackStart = new Date(Math.min(lastRunAt?.getTime() ?? Infinity, now.getTime() - EVENT_LOOKBACK_DAYS * DAY_MS));
  const england = calendarFor('ENG');
  const catchUp = lastRunAt !== null && lastRunAt < now && england.workingDaysBetween(londonDate(lastRunAt), londonDate(now)) >= 2;

  // Buckets by (send date | reason and date), then by person: one small key per group, the
  // person's id per lookup (no key string built per action).
  const nudges = new Map<IsoDate, Map<string, NudgeBucket>>();
  const escalations = new Map<string, Map<string, EscalationBucket>>();
  const digests = new Map<IsoDate, Map<string, DigestBucket>>();
  const singles: PlannedMessage[] = [];
  const unrouted: Unrouted[] = [];
  const views: GroupView[] = [];
  let serial = 0;
  /** By serial (0 unused). */
  const planned: PlannedGroup[] = [{ id: '', name: '', sendAt: now, roundDate: null, sorted: [], rank: new Int32Array(0), attention: [] }];
  const buckets: Bucket[] = [];
  // The logs (see Bucket): picks as (bucket slot, number); nudges' mentions as (slot, mention), and
  // where each group's mentions start in it.
  const pickSlots: number[] = [];
  const pickNumbers: number[] = [];
  const mentionSlots: number[] = [];
  const mentionLog: Mention[] = [];
  const mentionsFrom: number[] = [0];
  let failed: unknown = null;

  const nameOf = (id: string) => people.get(id)?.name ?? id;
  // Most actions have one owner: no filter/map/sort arrays for them.
  const ownerNamesOf = (ids: string[]): string[] => {
    if (ids.length === 1) {
      const p = people.get(ids[0]!);
      return p ? p.asOwner : [];
    }
    return ids.filter((id) => people.has(id)).map(nameOf).sort();
  };
  // The known owners of the action being planned (reused for every action: nothing keeps it).
  const owned: Person[] = [];

  const addGroup = (group: GroupInfo): void => {
    if (failed !== null) throw new Error('the nudge planner failed on an earlier group', { cause: failed });
    try {
      planGroup(group);
    } catch (e) {
      // Its picks and mentions are in the logs without the group they refer to: no plan can be finished.
      failed = e;
      throw e;
    }
  };

  const planGroup = (group: GroupInfo): void => {
    serial += 1;
    const thisGroup = serial;
    mentionsFrom[thisGroup] = mentionLog.length;
    const base = thisGroup * CARD_SLOTS;
    const settings = group.settings;
    const cal = calendarFor(settings.region);
    const sendAt = cal.nextSendTime(now, settings.workingHours);
    const sendAtMs = sendAt.getTime();
    const today = londonDate(sendAt);
    const meetings: ScheduledMeeting[] = meetingsBetween(
      { cadence: group.cadence, cadenceAnchor: group.cadenceAnchor, meetings: group.meetings },
      today,
      addDays(today, MEETING_HORIZON_DAYS),
      cal,
      settings.meetingOnBankHoliday,
    );
    const roundMeeting = meetings.find((m) => m.date > today && cal.addWorkingDays(m.date, -settings.updateRoundLeadWorkingDays) <= today) ?? null;
    const view: GroupView = {
      groupId: group.id,
      slug: group.slug,
      name: group.name,
      region: settings.region,
      sendAt,
      today,
      overdue: [],
      dueSoon: [],
      meetings,
      updateRoundFor: roundMeeting?.date ?? null,
      ...(group.settingsProblems?.length ? { settingsProblems: group.settingsProblems } : {}),
    };
    views.push(view);
    const soonUntil = dueSoonUntil(today, settings.dueSoonLeadWorkingDays, cal);
    // Untouched since this date or before: stale (daysBetween(touched, today) >= staleAfterDays; ISO dates order as strings).
    const staleBy = addDays(today, -settings.staleAfterDays);

    // One card per action per plan, shared by every message that lists it: a chair's digest, the
    // owners' nudges and the escalations used to build their own copies (most of a large run's
    // garbage, found by the planner benchmark). Cards are never modified after this. Buckets
    // collect a card's number in the group (its place in groupCards).
    const groupCards: ActionCard[] = [];
    const cardNumbers = new Map<string, number>();
    const card = (a: ActionInfo): number => {
      let n = cardNumbers.get(a.id);
      if (n === undefined) {
        n = groupCards.length;
        if (n >= CARD_SLOTS) throw new RangeError(`group ${group.slug}: more than ${CARD_SLOTS} actions`);
        groupCards.push(newCard(a));
        cardNumbers.set(a.id, n);
      }
      return n;
    };
    const newCard = (a: ActionInfo): ActionCard => ({
      actionId: a.id,
      groupSlug: group.slug,
      groupName: group.name,
      ref: a.ref,
      activity: a.activity,
      progress: a.progress,
      dueKind: a.dueKind,
      dueDate: a.dueDate,
      dueRaw: a.dueRaw,
      brag: a.brag,
      daysOverdue: workingDaysOverdue(a, today, cal),
      leadAgency: a.leadAgency,
      leadOfficer: a.leadOfficer,
      ownerNames: ownerNamesOf(a.ownerIds),
      latestNote: a.latestNote,
    });

    const bucket = <B extends Bucket>(b: B): B => {
      buckets.push(b);
      return b;
    };
    /** Adds a card (its number in the group, or -serial for the whole group's attention cards) to the bucket in `slot`. */
    const pick = (slot: number, n: number): void => {
      pickSlots.push(slot);
      pickNumbers.push(n < 0 ? n : base + n);
    };

    const nudgesToday = bucketsOf(nudges, today);
    /** The slot of the person's nudge today. */
    const nudgeSlot = (p: Person): number => {
      if (p.nudgeOn === today) return p.nudge!.slot;
      let b = nudgesToday.get(p.id);
      if (!b) nudgesToday.set(p.id, (b = bucket<NudgeBucket>({ personId: p.id, date: today, slot: buckets.length, sendAt, groupId: group.id, mentions: [], present: 0 })));
      p.nudgeOn = today;
      p.nudge = b;
      return b.slot;
    };

    const escalationRecipients = (owners: string[]): string[] => {
      const managers = new Set<string>();
      for (const o of owners) {
        const m = people.get(o)?.manager;
        if (m) managers.add(m.id);
        else group.managerIds.forEach((id) => managers.add(id));
      }
      if (owners.length === 0) group.managerIds.forEach((id) => managers.add(id));
      group.chairIds.forEach((id) => managers.add(id));
      return [...managers].filter((id) => !owners.includes(id) && people.has(id)).sort();
    };

    const addEscalation = (
      reason: 'red' | 'unanswered',
      recipients: string[],
      a: ActionInfo,
      said: Mention[] | undefined,
      window: string,
      news: News,
    ) => {
      const mentionReason: MentionReason = reason === 'red' ? 'escalation-red' : 'escalation-unanswered';
      for (const r of recipients) {
        if (saidBefore(said, r, mentionReason, window, today)) continue;
        const map = bucketsOf(escalations, `${reason}|${today}`);
        let b = map.get(r);
        if (!b) {
          b = bucket<EscalationBucket>({ personId: r, date: today, slot: buckets.length, sendAt, groupId: group.id, mentions: [], reason, ownerNames: new Set(), first: news });
          map.set(r, b);
        }
        pick(b.slot, card(a));
        // An escalation names the owners ("about X's actions"); a digest's cards carry their own.
        for (const id of a.ownerIds) if (people.has(id)) b.ownerNames.add(nameOf(id));
        b.mentions.push({ personId: r, actionId: a.id, reason: mentionReason, window, on: today });
        if (earlier(news, b.first)) b.first = news;
      }
      if (recipients.length === 0) {
        unrouted.push({ groupSlug: group.slug, actionId: a.id, ref: a.ref, reason: 'escalation', problem: `${reason === 'red' ? 'turned Red' : 'overdue with nudges unanswered'}, but the group has no chair or manager to tell` });
      }
    };

    const digestDate = digestDay(today, settings.digestWeekday, cal);
    const digestDue =
      digestDate === today ||
      (digestDate < today && lastRunAt !== null && lastRunAt < londonInstant(digestDate, settings.workingHours.start));
    // The digest's "attention" cards (Red, Amber, overdue): chairs and group managers get them all,
    // line managers their people's, collected as the actions are planned.
    const attentionNumbers: number[] = [];
    const digestsOfWeek = digestDue ? bucketsOf(digests, digestDate) : null;
    const label = digestDue ? `week of ${formatDate(digestDate)}` : '';
    // A digest records no mentions: nothing asks "was this in a digest?" (its key, one per person
    // per week, is what keeps it from being sent twice), and they were two thirds of a large plan's
    // mentions, each one written into the outbox and read back as history for 400 days.
    const digestBucket = (p: Person, n: number): void => {
      let b: DigestBucket | null | undefined = p.digestOn === digestDate ? p.digest : null;
      if (!b) {
        b = digestsOfWeek!.get(p.id);
        if (!b) digestsOfWeek!.set(p.id, (b = bucket<DigestBucket>({ personId: p.id, date: digestDate, slot: buckets.length, sendAt, groupId: group.id, mentions: [], label })));
        p.digestOn = digestDate;
        p.digest = b;
      }
      pick(b.slot, n);
    };
    const wholeGroup = digestDue ? [...new Set([...group.chairIds, ...group.managerIds])].filter((id) => people.has(id)) : [];
    for (const id of wholeGroup) people.get(id)!.wholeGroupOf = thisGroup;

    // Only an update round's thread names them.
    const asked = roundMeeting && group.channelPlatforms.length > 0 ? new Set<string>() : null;
    const overdueEvery = settings.overdueNudgeEveryWorkingDays;

    for (const a of group.actions) {
      if (a.brag === 'blue') continue;
      // The owners bragbot knows: the action's own list when that is all of them (most are), else a filtered copy.
      owned.length = 0;
      for (const id of a.ownerIds) {
        const p = people.get(id);
        if (p) owned.push(p);
      }
      const owners = owned.length === a.ownerIds.length ? a.ownerIds : owned.map((p) => p.id);
      if (asked) for (const o of owners) asked.add(o);
      const deadline = hasDeadline(a);
      const overdue = deadline && a.dueDate < today;
      const dueSoon = !overdue && deadline && soonUntil !== null && a.dueDate >= today && a.dueDate <= soonUntil;
      const lastUpdated = a.lastUpdatedAt ? londonDate(a.lastUpdatedAt) : null;
      const touchedOn = lastUpdated ?? londonDate(a.createdAt);
      const stale = !overdue && !dueSoon && touchedOn <= staleBy;
      const staleWindow = stale ? `${touchedOn}#${Math.floor(daysBetween(touchedOn, today) / settings.staleAfterDays)}` : '';
      if (overdue) view.overdue.push(groupCards[card(a)]!);
      if (dueSoon) view.dueSoon.push(groupCards[card(a)]!);
      if (digestDue && (overdue || a.brag === 'red' || a.brag === 'amber')) {
        const n = card(a);
        attentionNumbers.push(n);
        for (const p of owned) if (p.manager !== null && p.manager.wholeGroupOf !== thisGroup) digestBucket(p.manager, n);
      }

      let lastSnoozed: IsoDate | null = null;
      for (const s of a.snoozes) {
        if (!owners.includes(s.personId) || s.createdAt > now) continue;
        const on = londonDate(s.createdAt);
        if (lastSnoozed === null || on > lastSnoozed) lastSnoozed = on;
      }
      const respondedOn = laterDate(lastUpdated, lastSnoozed);

      if (owners.length === 0 && (overdue || dueSoon || stale)) {
        const why: NudgeReason = overdue ? 'overdue' : dueSoon ? 'due-soon' : 'stale';
        const lead = [a.leadAgency, a.leadOfficer].filter(Boolean).join(', ');
        unrouted.push({ groupSlug: group.slug, actionId: a.id, ref: a.ref, reason: why, problem: `no owner in bragbot${lead ? ` (the plan says: ${lead})` : ''}: chairs see it in the digest` });
      }

      // Only owners' nudges (when there is something to say) and escalations read what was said before.
      const said = (owners.length !== 0 && (overdue || dueSoon || stale || roundMeeting !== null)) || a.brag === 'red' ? history.about(a.id) : undefined;
      // An update after the action fell overdue counts like a nudge (the owner is on it); one before does not.
      const updatedSinceDue = overdue && lastUpdated !== null && lastUpdated > a.dueDate! && lastUpdated <= today ? lastUpdated : null;
      let overdueNudged = false;
      for (const p of owned) {
        const o = p.id;
        if (a.snoozes.length !== 0 && a.snoozes.some((s) => s.personId === o && s.until.getTime() > sendAtMs)) continue;
        // Bits first, mentions only for an owner with something to hear (most owners of most actions hear nothing today).
        let bits = 0;
        if (overdue) {
          const last = laterDate(lastOverdueNudge(said, o, today), updatedSinceDue);
          if (last === null || cal.workingDaysBetween(last, today) >= overdueEvery) {
            bits |= OVERDUE;
            overdueNudged = true;
          }
        }
        if (dueSoon && !saidBefore(said, o, 'due-soon', a.dueDate!, today)) bits |= DUE_SOON;
        if (stale && !saidBefore(said, o, 'stale', staleWindow, today)) bits |= STALE;
        if (roundMeeting && !saidBefore(said, o, 'update-round', roundMeeting.date, today)) bits |= UPDATE_ROUND;
        if (bits === 0) continue;
        const slot = nudgeSlot(p);
        pick(slot, card(a));
        const m = mentionLog;
        if (bits & OVERDUE) m.push({ personId: o, actionId: a.id, reason: 'overdue', window: today, on: today });
        if (bits & DUE_SOON) m.push({ personId: o, actionId: a.id, reason: 'due-soon', window: a.dueDate!, on: today });
        if (bits & STALE) m.push({ personId: o, actionId: a.id, reason: 'stale', window: staleWindow, on: today });
        if (bits & UPDATE_ROUND) m.push({ personId: o, actionId: a.id, reason: 'update-round', window: roundMeeting!.date, on: today });
        while (mentionSlots.length < m.length) mentionSlots.push(slot);
      }

      if (a.brag === 'red' && a.turnedRed && a.turnedRed.at <= now && a.turnedRed.at >= lookbackStart) {
        addEscalation('red', escalationRecipients(owners), a, said, a.turnedRed.statusUpdateId, { at: a.turnedRed.at.toISOString(), id: a.turnedRed.statusUpdateId });
      }
      // Escalate unanswered nudges when the next nudge falls due: K nudges were sent and heard nothing.
      if (overdue && overdueNudged && overdueRounds(said, respondedOn, today) >= settings.escalateAfterNudges) {
        // Unanswered nudges become news on the day the last one falls due: ordered by that day, then action.
        addEscalation('unanswered', escalationRecipients(owners), a, said, respondedOn ?? 'never', { at: today, id: `${a.id}@${respondedOn ?? 'never'}` });
      }
    }

    for (const ev of group.notMine) {
      if (ev.at > now || ev.at < lookbackStart) continue;
      const a = group.actions.find((x) => x.id === ev.actionId);
      if (!a) continue;
      const chairs = group.chairIds.filter((id) => people.has(id) && id !== ev.personId);
      if (chairs.length === 0) {
        unrouted.push({ groupSlug: group.slug, actionId: a.id, ref: a.ref, reason: 'not-mine', problem: `${ev.actorName} said it is not theirs, but the group has no chair to tell` });
      }
      for (const chair of chairs) {
        singles.push({
          idempotencyKey: `not-mine:${ev.statusUpdateId}:${chair}`,
          kind: 'not-mine',
          recipient: { type: 'person', personId: chair, name: nameOf(chair) },
          groupId: group.id,
          notBefore: sendAt,
          message: { kind: 'not-mine', recipientName: nameOf(chair), fromName: ev.actorName, action: groupCards[card(a)]! },
          actionIds: [a.id],
          reasonsByAction: { [a.id]: ['not-mine'] },
          mentions: [],
        });
      }
    }

    if (roundMeeting) {
      if (group.channelPlatforms.length === 0) {
        unrouted.push({ groupSlug: group.slug, actionId: null, ref: null, reason: 'thread-open', problem: `update round for the meeting on ${roundMeeting.date}: the group has no channel to open its thread in` });
      }
      const askedNames = [...(asked ?? [])].map(nameOf).sort();
      for (const platform of group.channelPlatforms) {
        singles.push({
          idempotencyKey: `thread-open:${group.id}:${roundMeeting.date}:${platform}`,
          kind: 'thread-open',
          recipient: { type: 'group-channel', groupId: group.id, groupName: group.name, platform },
          groupId: group.id,
          notBefore: sendAt,
          message: { kind: 'thread-open', groupName: group.name, meetingDate: roundMeeting.date, askedNames },
          actionIds: [],
          reasonsByAction: {},
          mentions: [],
          meetingDate: roundMeeting.date,
        });
      }
    }

    if (attentionNumbers.length > 0) for (const id of wholeGroup) digestBucket(people.get(id)!, -thisGroup);

    // The group's cards in compareCards order, once, and each card's rank in it (finish sorts by it).
    const order = Array.from(groupCards.keys()).sort((x, y) => compareCards(groupCards[x]!, groupCards[y]!));
    const rank = new Int32Array(groupCards.length);
    for (let r = 0; r < order.length; r += 1) rank[order[r]!] = r;
    planned[thisGroup] = { id: group.id, name: group.name, sendAt, roundDate: roundMeeting?.date ?? null, sorted: order.map((n) => groupCards[n]!), rank, attention: attentionNumbers };
  };

  const finish = (): NudgePlan => {
    if (failed !== null) throw new Error('the nudge planner failed on a group', { cause: failed });
    const messages: PlannedMessage[] = [...singles];

    // The pick log by bucket: bucket s's numbers are picks[from[s]] up to picks[from[s + 1]].
    const slots = buckets.length;
    const from = new Int32Array(slots + 1);
    for (const s of pickSlots) from[s + 1] = from[s + 1]! + 1;
    for (let s = 0; s < slots; s += 1) from[s + 1] = from[s + 1]! + from[s]!;
    const picks = new Float64Array(pickSlots.length);
    {
      const next = from.slice(0, slots);
      for (let i = 0; i < pickSlots.length; i += 1) {
        const s = pickSlots[i]!;
        picks[next[s]!] = pickNumbers[i]!;
        next[s] = next[s]! + 1;
      }
    }
    const groupOfPick = (k: number): number => (k < 0 ? -k : Math.floor(k / CARD_SLOTS));
    // Its send time: the latest of its groups' (the first group planned with it, if several).
    for (const b of buckets) {
      let latest = b.sendAt;
      for (let i = from[b.slot]!; i < from[b.slot + 1]!; i += 1) {
        const t = planned[groupOfPick(picks[i]!)]!.sendAt;
        if (t.getTime() > latest.getTime()) latest = t;
      }
      b.sendAt = latest;
    }
    // Nudges' mentions, in the order made; their reasons and the earliest update round's meeting (the first group planned with it, if several).
    {
      const counts = new Int32Array(slots);
      for (const s of mentionSlots) counts[s] = counts[s]! + 1;
      for (const b of buckets) if (counts[b.slot]! > 0) b.mentions = [];
      const roundOf = new Int32Array(slots);
      let g = 1;
      for (let i = 0; i < mentionLog.length; i += 1) {
        while (g + 1 < mentionsFrom.length && mentionsFrom[g + 1]! <= i) g += 1;
        const m = mentionLog[i]!;
        const b = buckets[mentionSlots[i]!] as NudgeBucket;
        b.mentions.push(m);
        b.present |= BIT_OF[m.reason] ?? 0;
        if (m.reason === 'update-round') {
          const chosen = roundOf[b.slot]!;
          if (chosen === 0 || planned[g]!.roundDate! < planned[chosen]!.roundDate!) roundOf[b.slot] = g;
        }
      }
      for (const b of buckets) {
        const chosen = roundOf[b.slot]!;
        if (chosen !== 0) (b as NudgeBucket).meeting = { groupId: planned[chosen]!.id, groupName: planned[chosen]!.name, date: planned[chosen]!.roundDate! };
      }
    }

    // The groups in compareCards order (by name; the same name: in the order planned), and whether
    // a group shares its name (to the collator) with another.
    // (A group whose addGroup threw is not in the plan.)
    const groupOrder = Array.from(planned.keys())
      .filter((g) => g > 0 && planned[g] !== undefined)
      .sort((x, y) => nameCollator.compare(planned[x]!.name, planned[y]!.name));
    const inOrder: PlannedGroup[] = groupOrder.map((g) => planned[g]!);
    const placeOf = new Float64Array(planned.length);
    groupOrder.forEach((g, i) => (placeOf[g] = i * CARD_SLOTS));
    const sharesName = new Uint8Array(groupOrder.length);
    for (let i = 1; i < inOrder.length; i += 1) {
      if (nameCollator.compare(inOrder[i - 1]!.name, inOrder[i]!.name) === 0) sharesName[i - 1] = sharesName[i] = 1;
    }
    /** A bucket's cards in compareCards order: its numbers as (group's place, card's rank), sorted. */
    const cardsOf = (b: Bucket): ActionCard[] => {
      const first = from[b.slot]!;
      const end = from[b.slot + 1]!;
      let size = 0;
      for (let j = first; j < end; j += 1) size += picks[j]! < 0 ? planned[-picks[j]!]!.attention.length : 1;
      const keys = new Float64Array(size);
      let i = 0;
      for (let j = first; j < end; j += 1) {
        const k = picks[j]!;
        if (k < 0) {
          const g = planned[-k]!;
          const at = placeOf[-k]!;
          for (const n of g.attention) keys[i++] = at + g.rank[n]!;
        } else {
          const s = Math.floor(k / CARD_SLOTS);
          keys[i++] = placeOf[s]! + planned[s]!.rank[k - s * CARD_SLOTS]!;
        }
      }
      keys.sort();
      const out: ActionCard[] = [];
      let previous = -1;
      let mixed = false;
      for (const key of keys) {
        // The same card twice (an owner listed twice; one person managing two owners of an action): once.
        if (key === previous) continue;
        previous = key;
        const at = Math.floor(key / CARD_SLOTS);
        out.push(inOrder[at]!.sorted[key - at * CARD_SLOTS]!);
        if (sharesName[at]) mixed = true;
      }
      // Groups with the same name: their cards interleave, as compareCards says.
      return mixed ? out.sort(compareCards) : out;
    };

    for (const b of allBuckets(nudges)) {
      const present = catchUp ? b.present | CATCH_UP : b.present;
      const reasons = REASON_ORDER.filter((_r, i) => (present & (1 << i)) !== 0);
      const kind = KIND_PRIORITY.find(([, bit]) => (present & bit) !== 0)?.[0] ?? 'catch-up';
      const actions = cardsOf(b);
      const message: OutboundMessage = { kind: 'nudge', reasons, recipientName: nameOf(b.personId), actions, ...(b.meeting ? { meeting: b.meeting } : {}) };
      const mentions = b.mentions;
      messages.push(withReasonsByAction({
        idempotencyKey: `nudge:${b.personId}:${b.date}`,
        kind,
        recipient: { type: 'person', personId: b.personId, name: nameOf(b.personId) },
        groupId: b.groupId,
        notBefore: b.sendAt,
        message,
        actionIds: actions.map((c) => c.actionId),
        mentions,
      }, () => reasonsOfMentions(mentions)));
    }

    for (const b of allBuckets(escalations)) {
      const actions = cardsOf(b);
      const reasons = ESCALATION_REASONS[b.reason];
      messages.push(withReasonsByAction({
        idempotencyKey: `escalation:${b.reason}:${b.personId}:${b.first.id}`,
        kind: 'escalation',
        recipient: { type: 'person', personId: b.personId, name: nameOf(b.personId) },
        groupId: b.groupId,
        notBefore: b.sendAt,
        message: { kind: 'escalation', recipientName: nameOf(b.personId), reason: b.reason, ownerName: [...b.ownerNames].sort().join(', ') || 'no owner', actions },
        actionIds: actions.map((c) => c.actionId),
        mentions: b.mentions,
      }, () => sameReasons(actions, reasons)));
    }

    for (const b of allBuckets(digests)) {
      const actions = cardsOf(b);
      messages.push(withReasonsByAction({
        idempotencyKey: `digest:${b.personId}:${b.date}`,
        kind: 'digest',
        recipient: { type: 'person', personId: b.personId, name: nameOf(b.personId) },
        groupId: b.groupId,
        notBefore: b.sendAt,
        message: { kind: 'digest', recipientName: nameOf(b.personId), actions, periodLabel: b.label },
        actionIds: actions.map((c) => c.actionId),
        mentions: b.mentions,
      }, () => sameReasons(actions, DIGEST_REASONS)));
    }

    // Keys are ASCII ids and dates: code-unit order is a total, stable order, and ICU's
    // localeCompare on 15,000 keys was a tenth of finishing a 100k-action plan.
    messages.sort((x, y) => compareCodeUnits(x.idempotencyKey, y.idempotencyKey));
    return { now, catchUp, messages, unrouted, groups: views };
  };

  return { addGroup, finish };
}

export function planNudges(snapshot: PlanSnapshot, now: Date): NudgePlan {
  const planner = createNudgePlanner(snapshot, now);
  for (const group of snapshot.groups) planner.addGroup(group);
  return planner.finish();
}
