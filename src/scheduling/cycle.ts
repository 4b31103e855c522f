/**
 * One nudge cycle: load the snapshot, plan (pure), write the outbox. Sending is the
 * dispatcher's job, apart, so a plan is safe to repeat and cheap to dry-run.
 */
import type { Platform } from '../core/chat.js';
import { createNudgePlanner } from '../core/planner/plan.js';
import type { NudgePlan } from '../core/planner/types.js';
import type { Db } from '../db/client.js';
import { writeOutbox, type WriteReport } from '../delivery/outbox.js';
import { loadPlanContext, loadPlanGroups } from './load-snapshot.js';

export interface CycleOptions {
  workspaceId: string;
  now: Date;
  /** Platforms with a working port: decides where each person's messages go. */
  platforms: readonly Platform[];
  lastRunAt?: Date | null;
  groupSlug?: string | undefined;
  /** Plan as the plan stood at `now` (`nudges plan --as-of`; see LoadOptions.asOf). */
  asOf?: boolean | undefined;
}

export interface CycleReport {
  plan: NudgePlan;
  written: WriteReport;
}

/**
 * Plans without writing: what `bragbot nudges plan` shows. Group by group, as the loader reads
 * them: each group's rows can be collected once it is planned (what stays is the plan itself).
 */
export async function planCycle(db: Db, options: Omit<CycleOptions, 'platforms'>): Promise<NudgePlan> {
  const load = { workspaceId: options.workspaceId, now: options.now, groupSlug: options.groupSlug, lastRunAt: options.lastRunAt ?? null, asOf: options.asOf };
  const planner = createNudgePlanner(await loadPlanContext(db, load), options.now);
  for await (const group of loadPlanGroups(db, load)) planner.addGroup(group);
  return planner.finish();
}

export async function runNudgeCycle(db: Db, options: CycleOptions): Promise<CycleReport> {
  const plan = await planCycle(db, options);
  const written = await writeOutbox(db, plan.messages, { platforms: options.platforms, now: options.now });
  return { plan, written };
}
