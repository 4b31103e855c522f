/**
 * The plan as it stood at an instant, for every reader that shows it "as of" a moment: the
 * board paper (reports.ts), `actions --as-of`, `export --as-of` and `nudges plan --as-of`
 * (scheduling/load-snapshot.ts). It reads the append-only history (StatusUpdate rows, the
 * group's ImportRuns) and leaves the rules to the pure core (src/core/history.ts): a plan's first
 * import is its baseline, later changes apply from their own time, actions imported after the
 * instant do not exist yet, actions archived after it still do.
 */
import type { Brag } from '../core/brag.js';
import type { DueKind } from '../core/due-date.js';
import { existedAt, isBaseline, lastReportedAt, latestNoteAt, stateAt, type HistoryEntry } from '../core/history.js';
import type { Db, Tx } from '../db/client.js';

/** The Action columns the history can rebuild, and what decides whether the action existed. */
export interface PlanRow {
  id: string;
  groupId: string;
  createdAt: Date;
  archivedAt: Date | null;
  brag: string;
  dueRaw: string;
  dueDate: string | null;
  dueKind: string;
  progress: string;
  lastUpdatedAt: Date | null;
}

export type HistoryRow = HistoryEntry & { id: string; actionId: string; kind: string; personId: string | null; actorName: string };

export type RowAsOf<T extends PlanRow> = T & { brag: Brag; dueKind: DueKind; latestNote: string | null };

/** Where the rows that may have existed at `at` are: live now, or archived after it. */
export const existingAt = (at: Date) => ({ OR: [{ archivedAt: null }, { archivedAt: { gt: at } }] });

/** Each group's first import (its baseline); a group never imported has none. */
export async function firstImports(db: Db | Tx, groupIds: readonly string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  if (groupIds.length === 0) return out;
  const runs = await db.importRun.groupBy({ by: ['groupId'], where: { groupId: { in: [...groupIds] } }, _min: { at: true } });
  for (const r of runs) if (r._min.at) out.set(r.groupId, r._min.at);
  return out;
}

/** Every StatusUpdate of these groups' actions, per action, oldest first. */
export async function historyOf(db: Db | Tx, groupIds: readonly string[]): Promise<Map<string, HistoryRow[]>> {
  const out = new Map<string, HistoryRow[]>();
  if (groupIds.length === 0) return out;
  const rows = await db.statusUpdate.findMany({
    where: { action: { groupId: { in: [...groupIds] } } },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
    select: {
      id: true, actionId: true, kind: true, personId: true, actorName: true, at: true, fromBrag: true, toBrag: true, fromProgress: true, toProgress: true,
      note: true, fromDueRaw: true, revisedDueRaw: true, revisedDueDate: true,
    },
  });
  for (const r of rows) {
    const list = out.get(r.actionId);
    if (list) list.push(r);
    else out.set(r.actionId, [r]);
  }
  return out;
}

/**
 * The rows as they stood at `at`: those that did not exist then are dropped, the rest carry the
 * BRAG, due date, progress, last report and latest note of that instant. Load the rows with
 * `existingAt(at)` so that actions archived after the instant are among them.
 */
export async function rowsAsOf<T extends PlanRow>(db: Db | Tx, rows: readonly T[], at: Date): Promise<RowAsOf<T>[]> {
  const groupIds = [...new Set(rows.map((r) => r.groupId))];
  const [baselines, history] = await Promise.all([firstImports(db, groupIds), historyOf(db, groupIds)]);
  return reconstruct(rows, history, baselines, at);
}

/** The pure half of rowsAsOf, for callers that already hold the history. */
export function reconstruct<T extends PlanRow>(rows: readonly T[], history: Map<string, readonly HistoryEntry[]>, baselines: Map<string, Date>, at: Date): RowAsOf<T>[] {
  const out: RowAsOf<T>[] = [];
  for (const row of rows) {
    const h = history.get(row.id) ?? [];
    const first = h[0]?.at;
    const life = {
      baseline: isBaseline(row.createdAt, baselines.get(row.groupId) ?? null),
      firstSeenAt: first && first < row.createdAt ? first : row.createdAt,
      archivedAt: row.archivedAt,
    };
    if (!existedAt(life, at)) continue;
    const state = stateAt({ brag: row.brag as Brag, dueRaw: row.dueRaw, dueDate: row.dueDate, dueKind: row.dueKind as DueKind, progress: row.progress }, h, at);
    const reported = lastReportedAt(h, at);
    out.push({
      ...row,
      ...state,
      // A row that existed at `at` was not archived then, whatever happened to it since.
      archivedAt: null,
      lastUpdatedAt: reported ?? (row.lastUpdatedAt && row.lastUpdatedAt <= at ? row.lastUpdatedAt : null),
      latestNote: latestNoteAt(h, at),
    });
  }
  return out;
}
