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
import { hasDeadline, isOverdue, workingDaysOverdue } from './overdue.js';
import type {
  ActionInfo,
  GroupInfo,
  GroupView,
  Mention,
  MentionReason,
  NudgePlan,
  OutboxKind,
  PersonInfo,
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

/** A nudge's reasonsByAction: each action's reasons in REASON_ORDER (a plain loop: no entry pairs). */
function reasonsInOrder(byAction: Map<string, NudgeReason[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, rs] of byAction) out[id] = rs.length === 1 ? rs : REASON_ORDER.filter((r) => rs.includes(r));
  return out;
}

/** reasonsByAction where every action has the same reasons (a plain loop: no [key, value] pair per action). */
function sameReasons(actions: ActionCard[], reasons: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of actions) out[c.actionId] = reasons;
  return out;
}
const KIND_PRIORITY: OutboxKind[] = ['overdue', 'update-round', 'due-soon', 'stale'];

/**
 * What was said before, indexed by action then person (no key strings built per lookup: a plan
 * asks this a few times per owner per action, and 100k actions made string keys most of the
 * planner's garbage). Each person's list for one action is short: scanned.
 */
class History {
  private readonly byAction = new Map<string, Map<string, Mention[]>>();
  private readonly overdueByAction = new Map<string, Mention[]>();

  constructor(mentions: Mention[]) {
    for (const m of mentions) {
      let people = this.byAction.get(m.actionId);
      if (!people) this.byAction.set(m.actionId, (people = new Map()));
      const list = people.get(m.personId);
      if (list) list.push(m);
      else people.set(m.personId, [m]);
      if (m.reason === 'overdue') {
        const overdue = this.overdueByAction.get(m.actionId);
        if (overdue) overdue.push(m);
        else this.overdueByAction.set(m.actionId, [m]);
      }
    }
  }

  private of(personId: string, actionId: string): Mention[] | undefined {
    return this.byAction.get(actionId)?.get(personId);
  }

  /** Was this said on or before `today`? (Later entries come from plans for another --as-of.) */
  has(personId: string, actionId: string, reason: MentionReason, window: string, today: IsoDate): boolean {
    const list = this.of(personId, actionId);
    if (!list) return false;
    for (const m of list) if (m.reason === reason && m.window === window && m.on <= today) return true;
    return false;
  }

  lastOverdueNudge(personId: string, actionId: string, today: IsoDate): IsoDate | null {
    let last: IsoDate | null = null;
    for (const m of this.of(personId, actionId) ?? []) if (m.reason === 'overdue' && m.on <= today && (last === null || m.on > last)) last = m.on;
    return last;
  }

  /** Days an overdue nudge about the action went to any owner, after `after` and before `today`. */
  overdueRounds(actionId: string, after: IsoDate | null, today: IsoDate): number {
    const days: IsoDate[] = [];
    for (const m of this.overdueByAction.get(actionId) ?? []) {
      const d = m.on;
      if ((after === null || d > after) && d < today && !days.includes(d)) days.push(d);
    }
    return days.length;
  }
}

/**
 * Adds the group being planned to a message's groups. Groups are planned one after another and
 * each adds all of its entries before the next starts, so the group is new exactly when it is
 * not the last one listed: no scan of the list (a person with actions in hundreds of groups made
 * `includes` here quadratic, most of a 1M-action run's time).
 */
function noteGroup(groupIds: string[], groupId: string): void {
  if (groupIds[groupIds.length - 1] !== groupId) groupIds.push(groupId);
}

function bucketsOf<B>(outer: Map<string, Map<string, B>>, key: string): Map<string, B> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}

function* allBuckets<B>(outer: Map<string, Map<string, B>>): Iterable<B> {
  for (const inner of outer.values()) yield* inner.values();
}

const maxDate = (...dates: (IsoDate | null | undefined)[]): IsoDate | null =>
  dates.reduce<IsoDate | null>((a, b) => (b && (!a || b > a) ? b : a), null);

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

interface NudgeBucket {
  personId: string;
  date: IsoDate;
  sendAt: Date;
  groupIds: string[];
  cards: Map<string, ActionCard>;
  /** Per action, its reasons (a few at most: an array, not a Set per action). */
  reasons: Map<string, NudgeReason[]>;
  mentions: Mention[];
  meeting?: { groupName: string; date: string };
}

interface CardBucket {
  personId: string;
  date: IsoDate;
  sendAt: Date;
  groupIds: string[];
  cards: Map<string, ActionCard>;
  ownerNames: Set<string>;
  mentions: Mention[];
  label: string;
}

/** A piece of news an escalation reports, ordered by when it happened, then by id. */
interface News {
  at: string;
  id: string;
}
const earlier = (a: News, b: News): boolean => a.at < b.at || (a.at === b.at && a.id < b.id);

interface EscalationBucket extends CardBucket {
  reason: 'red' | 'unanswered';
  /** The earliest news in the message: its idempotency key. */
  first: News;
}

/** The digest day of the week that contains `today`, moved to the next working day if needed. */
function digestDay(today: IsoDate, weekday: string, cal: WorkingCalendar): IsoDate {
  const monday = addDays(today, -(weekdayOf(today) - 1));
  return cal.nextWorkingDay(addDays(monday, WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number])));
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
  const people = new Map<string, PersonInfo>(context.people.map((p) => [p.id, p]));
  const history = new History(context.history);
  const lastRunAt = context.lastRunAt;
  const lookbackStart = new Date(Math.min(lastRunAt?.getTime() ?? Infinity, now.getTime() - EVENT_LOOKBACK_DAYS * DAY_MS));
  const england = calendarFor('ENG');
  const catchUp = lastRunAt !== null && lastRunAt < now && england.workingDaysBetween(londonDate(lastRunAt), londonDate(now)) >= 2;

  // Buckets by (send date | reason and date), then by person: one small key per group, the
  // person's id per lookup (no key string built per action).
  const nudges = new Map<IsoDate, Map<string, NudgeBucket>>();
  const escalations = new Map<string, Map<string, CardBucket>>();
  const digests = new Map<IsoDate, Map<string, CardBucket>>();
  const singles: PlannedMessage[] = [];
  const unrouted: Unrouted[] = [];
  const views: GroupView[] = [];

  const nameOf = (id: string) => people.get(id)?.name ?? id;
  // Most actions have one owner: no filter/map/sort arrays for them.
  const ownerNamesOf = (ids: string[]): string[] => {
    if (ids.length === 1) return people.has(ids[0]!) ? [nameOf(ids[0]!)] : [];
    return ids.filter((id) => people.has(id)).map(nameOf).sort();
  };

  const addGroup = (group: GroupInfo): void => {
    const settings = group.settings;
    const cal = calendarFor(settings.region);
    const sendAt = cal.nextSendTime(now, settings.workingHours);
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

    // One card per action per plan, shared by every message that lists it: a chair's digest, the
    // owners' nudges and the escalations used to build their own copies (most of a large run's
    // garbage, found by the planner benchmark). Cards are never modified after this.
    const cards = new Map<string, ActionCard>();
    const card = (a: ActionInfo): ActionCard => {
      let c = cards.get(a.id);
      if (!c) cards.set(a.id, (c = newCard(a)));
      return c;
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

    const nudgesToday = bucketsOf(nudges, today);
    const addNudge = (personId: string, a: ActionInfo, reasons: NudgeReason[], mentions: Mention[]) => {
      let b = nudgesToday.get(personId);
      if (!b) nudgesToday.set(personId, (b = { personId, date: today, sendAt, groupIds: [], cards: new Map(), reasons: new Map(), mentions: [] }));
      noteGroup(b.groupIds, group.id);
      if (sendAt > b.sendAt) b.sendAt = sendAt;
      b.cards.set(a.id, card(a));
      const had = b.reasons.get(a.id);
      if (!had) b.reasons.set(a.id, reasons);
      else for (const r of reasons) if (!had.includes(r)) had.push(r);
      for (const m of mentions) b.mentions.push(m);
      if (roundMeeting && reasons.includes('update-round') && (!b.meeting || roundMeeting.date < b.meeting.date)) {
        b.meeting = { groupName: group.name, date: roundMeeting.date };
      }
    };

    const addCards = (
      map: Map<string, CardBucket>,
      personId: string,
      date: IsoDate,
      label: string,
      a: ActionInfo,
      mention: Mention | null,
    ): CardBucket => {
      let b = map.get(personId);
      if (!b) map.set(personId, (b = { personId, date, sendAt, groupIds: [], cards: new Map(), ownerNames: new Set(), mentions: [], label }));
      noteGroup(b.groupIds, group.id);
      if (sendAt > b.sendAt) b.sendAt = sendAt;
      b.cards.set(a.id, card(a));
      // Only an escalation names the owners ("about X's actions"); a digest's cards carry their own.
      if (mention) {
        for (const id of a.ownerIds) if (people.has(id)) b.ownerNames.add(nameOf(id));
        b.mentions.push(mention);
      }
      return b;
    };

    const escalationRecipients = (owners: string[]): string[] => {
      const managers = new Set<string>();
      for (const o of owners) {
        const m = people.get(o)?.managerId;
        if (m && people.has(m)) managers.add(m);
        else group.managerIds.forEach((id) => managers.add(id));
      }
      if (owners.length === 0) group.managerIds.forEach((id) => managers.add(id));
      group.chairIds.forEach((id) => managers.add(id));
      return [...managers].filter((id) => !owners.includes(id) && people.has(id)).sort();
    };

    const addEscalation = (reason: 'red' | 'unanswered', recipients: string[], a: ActionInfo, window: string, news: News) => {
      const mentionReason: MentionReason = reason === 'red' ? 'escalation-red' : 'escalation-unanswered';
      for (const r of recipients) {
        if (history.has(r, a.id, mentionReason, window, today)) continue;
        const b = addCards(bucketsOf(escalations, `${reason}|${today}`), r, today, reason, a, { personId: r, actionId: a.id, reason: mentionReason, window, on: today }) as EscalationBucket;
        b.reason = reason;
        if (!b.first || earlier(news, b.first)) b.first = news;
      }
      if (recipients.length === 0) {
        unrouted.push({ groupSlug: group.slug, actionId: a.id, ref: a.ref, reason: 'escalation', problem: `${reason === 'red' ? 'turned Red' : 'overdue with nudges unanswered'}, but the group has no chair or manager to tell` });
      }
    };

    const attention: ActionInfo[] = [];
    const ownersWithOpenActions = new Set<string>();

    for (const a of group.actions) {
      if (a.brag === 'blue') continue;
      const owners = a.ownerIds.filter((id) => people.has(id));
      owners.forEach((o) => ownersWithOpenActions.add(o));
      const overdue = isOverdue(a, today);
      const dueSoon =
        !overdue && hasDeadline(a) && settings.dueSoonLeadWorkingDays > 0 && a.dueDate >= today && cal.addWorkingDays(a.dueDate, -settings.dueSoonLeadWorkingDays) <= today;
      const touched = londonDate(a.lastUpdatedAt ?? a.createdAt);
      const quietDays = daysBetween(touched, today);
      const stale = !overdue && !dueSoon && quietDays >= settings.staleAfterDays;
      const staleWindow = stale ? `${touched}#${Math.floor(quietDays / settings.staleAfterDays)}` : '';
      if (overdue) view.overdue.push(card(a));
      if (dueSoon) view.dueSoon.push(card(a));
      if (overdue || a.brag === 'red' || a.brag === 'amber') attention.push(a);

      const lastUpdated = a.lastUpdatedAt ? londonDate(a.lastUpdatedAt) : null;
      let lastSnoozed: IsoDate | null = null;
      for (const s of a.snoozes) {
        if (!owners.includes(s.personId) || s.createdAt > now) continue;
        const on = londonDate(s.createdAt);
        if (lastSnoozed === null || on > lastSnoozed) lastSnoozed = on;
      }
      const respondedOn = maxDate(lastUpdated, lastSnoozed);

      if (owners.length === 0 && (overdue || dueSoon || stale)) {
        const why: NudgeReason = overdue ? 'overdue' : dueSoon ? 'due-soon' : 'stale';
        const lead = [a.leadAgency, a.leadOfficer].filter(Boolean).join(', ');
        unrouted.push({ groupSlug: group.slug, actionId: a.id, ref: a.ref, reason: why, problem: `no owner in bragbot${lead ? ` (the plan says: ${lead})` : ''}: chairs see it in the digest` });
      }

      let overdueNudged = false;
      for (const o of owners) {
        if (a.snoozes.some((s) => s.personId === o && s.until > sendAt)) continue;
        // Filled only when there is something to say (most owners of most actions hear nothing today).
        let reasons: NudgeReason[] | null = null;
        let mentions: Mention[] | null = null;
        const mention = (reason: NudgeReason & MentionReason, window: string) => {
          (reasons ??= []).push(reason);
          (mentions ??= []).push({ personId: o, actionId: a.id, reason, window, on: today });
        };
        if (overdue) {
          // An update after the action fell overdue counts like a nudge (the owner is on it); one before does not.
          const updatedSinceDue = lastUpdated && lastUpdated > a.dueDate! && lastUpdated <= today ? lastUpdated : null;
          const last = maxDate(history.lastOverdueNudge(o, a.id, today), updatedSinceDue);
          if (last === null || cal.workingDaysBetween(last, today) >= settings.overdueNudgeEveryWorkingDays) {
            mention('overdue', today);
            overdueNudged = true;
          }
        }
        if (dueSoon && !history.has(o, a.id, 'due-soon', a.dueDate!, today)) mention('due-soon', a.dueDate!);
        if (stale && !history.has(o, a.id, 'stale', staleWindow, today)) mention('stale', staleWindow);
        if (roundMeeting && !history.has(o, a.id, 'update-round', roundMeeting.date, today)) mention('update-round', roundMeeting.date);
        if (reasons && mentions) addNudge(o, a, reasons, mentions);
      }

      if (a.brag === 'red' && a.turnedRed && a.turnedRed.at <= now && a.turnedRed.at >= lookbackStart) {
        addEscalation('red', escalationRecipients(owners), a, a.turnedRed.statusUpdateId, { at: a.turnedRed.at.toISOString(), id: a.turnedRed.statusUpdateId });
      }
      // Escalate unanswered nudges when the next nudge falls due: K nudges were sent and heard nothing.
      if (overdue && overdueNudged && history.overdueRounds(a.id, respondedOn, today) >= settings.escalateAfterNudges) {
        // Unanswered nudges become news on the day the last one falls due: ordered by that day, then action.
        addEscalation('unanswered', escalationRecipients(owners), a, respondedOn ?? 'never', { at: today, id: `${a.id}@${respondedOn ?? 'never'}` });
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
          message: { kind: 'not-mine', recipientName: nameOf(chair), fromName: ev.actorName, action: card(a) },
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
      const askedNames = [...ownersWithOpenActions].map(nameOf).sort();
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

    const digestDate = digestDay(today, settings.digestWeekday, cal);
    const digestDue =
      digestDate === today ||
      (digestDate < today && lastRunAt !== null && lastRunAt < londonInstant(digestDate, settings.workingHours.start));
    if (digestDue && attention.length > 0) {
      const label = `week of ${formatDate(digestDate)}`;
      const digestsOfWeek = bucketsOf(digests, digestDate);
      // A digest records no mentions: nothing asks "was this in a digest?" (its key, one per person
      // per week, is what keeps it from being sent twice), and they were two thirds of a large plan's
      // mentions, each one written into the outbox and read back as history for 400 days.
      const add = (personId: string, a: ActionInfo) => addCards(digestsOfWeek, personId, digestDate, label, a, null);
      const wholeGroup = [...new Set([...group.chairIds, ...group.managerIds])].filter((id) => people.has(id));
      for (const a of attention) {
        wholeGroup.forEach((id) => add(id, a));
        for (const o of a.ownerIds) {
          const m = people.get(o)?.managerId;
          if (m && people.has(m) && !wholeGroup.includes(m)) add(m, a);
        }
      }
    }
  };

  const finish = (): NudgePlan => {
    const messages: PlannedMessage[] = [...singles];
    const sortedCards = (cards: Map<string, ActionCard>) => [...cards.values()].sort(compareCards);

    for (const b of allBuckets(nudges)) {
      const present = new Set<NudgeReason>();
      for (const rs of b.reasons.values()) for (const r of rs) present.add(r);
      if (catchUp) present.add('catch-up');
      const reasons = REASON_ORDER.filter((r) => present.has(r));
      const kind = KIND_PRIORITY.find((k) => present.has(k as NudgeReason)) ?? 'catch-up';
      const actions = sortedCards(b.cards);
      const message: OutboundMessage = { kind: 'nudge', reasons, recipientName: nameOf(b.personId), actions, ...(b.meeting ? { meeting: b.meeting } : {}) };
      const byAction = b.reasons;
      messages.push(withReasonsByAction({
        idempotencyKey: `nudge:${b.personId}:${b.date}`,
        kind,
        recipient: { type: 'person', personId: b.personId, name: nameOf(b.personId) },
        groupId: b.groupIds[0] ?? null,
        notBefore: b.sendAt,
        message,
        actionIds: actions.map((c) => c.actionId),
        mentions: b.mentions,
      }, () => reasonsInOrder(byAction)));
    }

    for (const b of allBuckets(escalations) as Iterable<EscalationBucket>) {
      const actions = sortedCards(b.cards);
      const reasons = ESCALATION_REASONS[b.reason];
      messages.push(withReasonsByAction({
        idempotencyKey: `escalation:${b.reason}:${b.personId}:${b.first.id}`,
        kind: 'escalation',
        recipient: { type: 'person', personId: b.personId, name: nameOf(b.personId) },
        groupId: b.groupIds[0] ?? null,
        notBefore: b.sendAt,
        message: { kind: 'escalation', recipientName: nameOf(b.personId), reason: b.reason, ownerName: [...b.ownerNames].sort().join(', ') || 'no owner', actions },
        actionIds: actions.map((c) => c.actionId),
        mentions: b.mentions,
      }, () => sameReasons(actions, reasons)));
    }

    for (const b of allBuckets(digests)) {
      const actions = sortedCards(b.cards);
      messages.push(withReasonsByAction({
        idempotencyKey: `digest:${b.personId}:${b.date}`,
        kind: 'digest',
        recipient: { type: 'person', personId: b.personId, name: nameOf(b.personId) },
        groupId: b.groupIds[0] ?? null,
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
