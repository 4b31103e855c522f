/** Builders for planner snapshots: a group with a chair, a manager and owners; tests state only what matters. */
import { DateTime } from 'luxon';
import type { ActionInfo, GroupInfo, Mention, PersonInfo, PlanSnapshot } from '../../src/core/planner/types.js';
import { GroupSettingsSchema, type GroupSettingsInput } from '../../src/core/settings.js';

export const CHAIR = 'p-chair';
export const MANAGER = 'p-manager';
export const OWNER = 'p-owner';
export const OTHER = 'p-other';

export const PEOPLE: PersonInfo[] = [
  { id: CHAIR, name: 'Asha Chair', managerId: null },
  { id: MANAGER, name: 'Maya Manager', managerId: null },
  { id: OWNER, name: 'Olu Owner', managerId: MANAGER },
  { id: OTHER, name: 'Pat Other', managerId: null },
];

let n = 0;
export function action(spec: Partial<ActionInfo> = {}): ActionInfo {
  n += 1;
  return {
    id: spec.id ?? `a${n}`,
    ref: spec.ref ?? String(n),
    activity: spec.activity ?? `Action ${n}`,
    progress: '',
    leadAgency: "Children's Social Care",
    leadOfficer: '',
    dueKind: spec.dueKind ?? (spec.dueDate === null ? 'unknown' : 'date'),
    dueDate: spec.dueDate === undefined ? '2021-06-30' : spec.dueDate,
    dueRaw: spec.dueRaw ?? '',
    brag: spec.brag ?? 'green',
    ownerIds: spec.ownerIds ?? [OWNER],
    // Recently touched unless a test says otherwise, so "stale" only shows where it is meant to.
    lastUpdatedAt: spec.lastUpdatedAt === undefined ? null : spec.lastUpdatedAt,
    createdAt: spec.createdAt ?? new Date('2021-06-20T12:00:00Z'),
    latestNote: spec.latestNote ?? null,
    snoozes: spec.snoozes ?? [],
    turnedRed: spec.turnedRed ?? null,
  };
}

export function group(spec: Partial<Omit<GroupInfo, 'settings'>> & { settings?: GroupSettingsInput } = {}): GroupInfo {
  return {
    id: spec.id ?? 'g1',
    slug: spec.slug ?? 'ops',
    name: spec.name ?? 'Operational Group',
    cadence: spec.cadence ?? 'none',
    cadenceAnchor: spec.cadenceAnchor ?? null,
    settings: GroupSettingsSchema.parse(spec.settings ?? {}),
    meetings: spec.meetings ?? [],
    chairIds: spec.chairIds ?? [CHAIR],
    managerIds: spec.managerIds ?? [],
    channelPlatforms: spec.channelPlatforms ?? [],
    actions: spec.actions ?? [],
    notMine: spec.notMine ?? [],
  };
}

export function snapshot(groups: GroupInfo[], extra: { history?: Mention[]; lastRunAt?: Date | null; people?: PersonInfo[] } = {}): PlanSnapshot {
  return { groups, people: extra.people ?? PEOPLE, history: extra.history ?? [], lastRunAt: extra.lastRunAt ?? null };
}

/** London wall-clock time as an instant: at('2021-07-01 09:00') is 08:00Z (BST). */
export function at(local: string): Date {
  const dt = DateTime.fromISO(local.replace(' ', 'T'), { zone: 'Europe/London' });
  if (!dt.isValid) throw new Error(`bad test time ${local}`);
  return dt.toJSDate();
}
