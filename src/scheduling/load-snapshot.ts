/**
 * Reads what the planner needs from the database into a PlanSnapshot: groups with their
 * settings, meetings, chairs, managers, channels and open actions; people; recent Red turns and
 * "not mine"s; and the history of what was already said (from the outbox's payloads).
 * Read-only: the dry run uses it as it is.
 */
import type { Brag } from '../core/brag.js';
import type { DueKind } from '../core/due-date.js';
import { EVENT_LOOKBACK_DAYS } from '../core/planner/plan.js';
import type { ActionInfo, GroupInfo, Mention, NotMineEvent, PlanSnapshot } from '../core/planner/types.js';
import { parseGroupSettings } from '../core/settings.js';
import type { Db } from '../db/client.js';
import { decodePayload } from '../delivery/outbox.js';
import { PLANNER_HISTORY_DAYS } from '../core/retention.js';
import { existingAt, rowsAsOf } from '../services/plan-as-of.js';

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

export async function loadPlanSnapshot(db: Db, options: LoadOptions): Promise<PlanSnapshot> {
  const { workspaceId, now } = options;
  const lastRunAt = options.lastRunAt ?? null;
  const eventsSince = new Date(Math.min(lastRunAt?.getTime() ?? Infinity, now.getTime() - EVENT_LOOKBACK_DAYS * DAY_MS));

  const groups = await db.group.findMany({
    where: { workspaceId, ...(options.groupSlug ? { slug: options.groupSlug } : {}) },
    orderBy: { slug: 'asc' },
    include: {
      members: { select: { personId: true, role: true } },
      channels: { select: { platform: true } },
      meetings: { select: { date: true, time: true, title: true, cancelled: true } },
      actions: {
        where: options.asOf ? existingAt(now) : { archivedAt: null },
        orderBy: { position: 'asc' },
        include: { owners: { select: { personId: true } }, snoozes: { select: { personId: true, until: true, createdAt: true } } },
      },
    },
  });
  const actionIds = groups.flatMap((g) => g.actions.map((a) => a.id));

  const people = await db.person.findMany({ where: { workspaceId }, select: { id: true, name: true, managerId: true } });
  const [updates, outbox] = await Promise.all([
    db.statusUpdate.findMany({
      where: { actionId: { in: actionIds }, at: { lte: now }, OR: [{ note: { not: null } }, { toBrag: 'red' }, { kind: 'not-mine' }] },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      select: { id: true, actionId: true, personId: true, actorName: true, at: true, kind: true, fromBrag: true, toBrag: true, note: true },
    }),
    db.outboxMessage.findMany({
      // This workspace's people only (the outbox has no workspace column; its people do).
      where: { personId: { in: people.map((p) => p.id) }, createdAt: { gte: new Date(now.getTime() - HISTORY_DAYS * DAY_MS), ...(options.asOf ? { lte: now } : {}) } },
      select: { payloadJson: true },
    }),
  ]);

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

  const history: Mention[] = [];
  for (const row of outbox) history.push(...(decodePayload(row.payloadJson)?.mentions ?? []));

  if (options.asOf) {
    const rebuilt = new Map<string, (typeof groups)[number]['actions']>();
    for (const g of groups) {
      const rows = await rowsAsOf(db, g.actions, now);
      rebuilt.set(g.id, rows.map((a) => ({ ...a, snoozes: a.snoozes.filter((z) => z.createdAt <= now) })));
    }
    for (const g of groups) g.actions = rebuilt.get(g.id) ?? [];
  }

  const infos: GroupInfo[] = groups.map((g) => {
    const { settings, problems } = parseGroupSettings(g.settingsJson);
    const actions: ActionInfo[] = g.actions.map((a) => ({
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
    return {
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
  });

  return { groups: infos, people, history, lastRunAt };
}
