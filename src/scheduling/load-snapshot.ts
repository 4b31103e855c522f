/**
 * Reads what the planner needs from the database: once per plan the people and the history of
 * what was already said (from the outbox's payloads) — loadPlanContext; then one group at a
 * time its settings, meetings, chairs, managers, channels, open actions, their latest notes,
 * Red turns and "not mine"s — loadPlanGroups, which the cycle feeds to the planner group by
 * group, so no more than one group's rows are held at once (issue 16). loadPlanSnapshot reads
 * everything at once, for tests and tools that want the whole input.
 * Read-only: the dry run uses it as it is.
 */
import type { Brag } from '../core/brag.js';
import type { DueKind } from '../core/due-date.js';
import { EVENT_LOOKBACK_DAYS } from '../core/planner/plan.js';
import type { ActionInfo, GroupInfo, Mention, NotMineEvent, PlanContext, PlanSnapshot } from '../core/planner/types.js';
import { parseGroupSettings } from '../core/settings.js';
import type { Db } from '../db/client.js';
import { decodePayload } from '../delivery/outbox.js';
import { existingAt, rowsAsOf } from '../services/plan-as-of.js';
import { PLANNER_HISTORY_DAYS } from '../core/retention.js';

const DAY_MS = 86_400_000;
/** History older than this cannot change a decision (the longest window is a stale period of up to a year). */
const HISTORY_DAYS = PLANNER_HISTORY_DAYS;

export interface LoadOptions {
  workspaceId: string;
  now: Date;
  /** Only this group (slug). */
  groupSlug?: string | undefined;
  lastRunAt?: Date | null;
  /**
   * Plan as the plan stood at `now` (`nudges plan --as-of`), rebuilt from the history
   * (src/services/plan-as-of.ts): actions archived since still count, ones imported since do not,
   * BRAG, due dates and progress are as they were then, and later snoozes and messages are unknown.
   * The scheduler plans for the present and leaves it off.
   */
  asOf?: boolean | undefined;
}

export async function loadPlanContext(db: Db, options: LoadOptions): Promise<PlanContext> {
  const { workspaceId, now } = options;
  const people = await db.person.findMany({ where: { workspaceId }, select: { id: true, name: true, managerId: true } });
  const outbox = await db.outboxMessage.findMany({
    // This workspace's people only (the outbox has no workspace column; its people do).
    where: { personId: { in: people.map((p) => p.id) }, createdAt: { gte: new Date(now.getTime() - HISTORY_DAYS * DAY_MS), ...(options.asOf ? { lte: now } : {}) } },
    select: { payloadJson: true },
  });
  const history: Mention[] = [];
  for (const row of outbox) history.push(...(decodePayload(row.payloadJson)?.mentions ?? []));
  return { people, history, lastRunAt: options.lastRunAt ?? null };
}

/** The workspace's groups (or the one named), in slug order, each read when the previous one is done with. */
export async function* loadPlanGroups(db: Db, options: LoadOptions): AsyncGenerator<GroupInfo> {
  const { workspaceId, now } = options;
  const lastRunAt = options.lastRunAt ?? null;
  const eventsSince = new Date(Math.min(lastRunAt?.getTime() ?? Infinity, now.getTime() - EVENT_LOOKBACK_DAYS * DAY_MS));
  const slugs = await db.group.findMany({
    where: { workspaceId, ...(options.groupSlug ? { slug: options.groupSlug } : {}) },
    orderBy: { slug: 'asc' },
    select: { id: true },
  });
  const liveActions = options.asOf ? existingAt(now) : { archivedAt: null };
  for (const { id } of slugs) {
    const g = await db.group.findUnique({
      where: { id },
      include: {
        members: { select: { personId: true, role: true } },
        channels: { select: { platform: true } },
        meetings: { select: { date: true, time: true, title: true, cancelled: true } },
        actions: {
          where: liveActions,
          orderBy: { position: 'asc' },
          include: { owners: { select: { personId: true } }, snoozes: { select: { personId: true, until: true, createdAt: true } } },
        },
      },
    });
    if (!g) continue; // deleted since the list was read
    const updates = await db.statusUpdate.findMany({
      // By relation, not by a list of ids: a group of 100,000 actions would be 100,000 parameters.
      where: { action: { groupId: g.id, ...liveActions }, at: { lte: now }, OR: [{ note: { not: null } }, { toBrag: 'red' }, { kind: 'not-mine' }] },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      select: { id: true, actionId: true, personId: true, actorName: true, at: true, kind: true, fromBrag: true, toBrag: true, note: true },
    });

    const latestNote = new Map<string, string>();
    const turnedRed = new Map<string, { statusUpdateId: string; at: Date }>();
    const notMine = new Map<string, NotMineEvent[]>();
    for (const u of updates) {
      if (u.note) latestNote.set(u.actionId, u.note);
      if (u.toBrag === 'red' && u.fromBrag !== 'red') turnedRed.set(u.actionId, { statusUpdateId: u.id, at: u.at });
      if (u.kind === 'not-mine' && u.at >= eventsSince) {
        notMine.set(u.actionId, [...(notMine.get(u.actionId) ?? []), { statusUpdateId: u.id, actionId: u.actionId, personId: u.personId, actorName: u.actorName, at: u.at, note: u.note }]);
      }
    }

    const rows = options.asOf ? (await rowsAsOf(db, g.actions, now)).map((a) => ({ ...a, snoozes: a.snoozes.filter((z) => z.createdAt <= now) })) : g.actions;
    const { settings, problems } = parseGroupSettings(g.settingsJson);
    const actions: ActionInfo[] = rows.map((a) => ({
      id: a.id,
      ref: a.ref,
      activity: a.activity,
      progress: a.progress,
      leadAgency: a.leadAgency,
      leadOfficer: a.leadOfficer,
      dueKind: a.dueKind as DueKind,
      dueDate: a.dueDate,
      dueRaw: a.dueRaw,
      brag: a.brag as Brag,
      ownerIds: a.owners.map((o) => o.personId),
      lastUpdatedAt: a.lastUpdatedAt,
      createdAt: a.createdAt,
      latestNote: latestNote.get(a.id) ?? null,
      snoozes: a.snoozes,
      turnedRed: turnedRed.get(a.id) ?? null,
    }));
    yield {
      id: g.id,
      slug: g.slug,
      name: g.name,
      cadence: g.cadence,
      cadenceAnchor: g.cadenceAnchor,
      settings,
      ...(problems.length ? { settingsProblems: problems } : {}),
      meetings: g.meetings,
      chairIds: g.members.filter((m) => m.role === 'chair').map((m) => m.personId),
      managerIds: g.members.filter((m) => m.role === 'manager').map((m) => m.personId),
      channelPlatforms: g.channels.map((c) => c.platform).filter((p): p is 'slack' | 'teams' => p === 'slack' || p === 'teams'),
      actions,
      notMine: actions.flatMap((a) => notMine.get(a.id) ?? []),
    };
  }
}

/** Everything at once (tests, tools): the same input the cycle streams. */
export async function loadPlanSnapshot(db: Db, options: LoadOptions): Promise<PlanSnapshot> {
  const context = await loadPlanContext(db, options);
  const groups: GroupInfo[] = [];
  for await (const g of loadPlanGroups(db, options)) groups.push(g);
  return { ...context, groups };
}
