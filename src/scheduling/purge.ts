/**
 * The daily retention purge `serve` schedules beside the nudge planner (node-cron, PURGE_CRON,
 * Europe/London). Every replica runs the same cron; a day's run is claimed in SchedulerState with
 * the same compare-and-set as the planner's ticks (claimPlanRun), so one replica purges per day.
 * What is deleted is decided by src/core/retention.ts and done by src/services/retention.ts.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { LONDON } from '../core/calendar.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logging.js';
import { purge, type PurgeResult } from '../services/retention.js';
import { claimPlanRun } from './scheduler.js';

export const purgeJob = (workspaceId: string): string => `retention:purge:${workspaceId}`;
/** Two runs closer than this are the same day's (replicas firing the same minute, a restart). */
const MIN_GAP_MS = 12 * 3_600_000;

export interface PurgeDeps {
  db: Db;
  config: Pick<Config, 'PURGE_CRON' | 'OUTBOX_RETENTION_DAYS' | 'INBOUND_KEYS_RETENTION_DAYS'>;
  workspaceId: string;
  clock: Clock;
  logger: Logger;
}

/** Purges if no replica has today: the result, or null when another one claimed it. */
export async function runDailyPurge(deps: PurgeDeps): Promise<PurgeResult | null> {
  const now = deps.clock();
  const { claimed } = await claimPlanRun(deps.db, purgeJob(deps.workspaceId), now, MIN_GAP_MS);
  if (!claimed) return null;
  return purge(deps.db, { workspaceId: deps.workspaceId, now, policy: { outboxDays: deps.config.OUTBOX_RETENTION_DAYS, inboundKeyDays: deps.config.INBOUND_KEYS_RETENTION_DAYS } });
}

export function startPurgeSchedule(deps: PurgeDeps): { stop(): Promise<void> } {
  const logger = deps.logger.child({ job: purgeJob(deps.workspaceId) });
  let running: Promise<unknown> = Promise.resolve();
  const task: ScheduledTask = cron.schedule(
    deps.config.PURGE_CRON,
    () => {
      running = runDailyPurge(deps).then(
        (r) => {
          if (r) logger.info({ runId: r.runId, deleted: r.deleted.filter((d) => d.count > 0).map((d) => ({ category: d.category, group: d.groupSlug, count: d.count })), held: r.plan.held.length }, 'retention purge done');
        },
        (err: unknown) => logger.error({ err }, 'retention purge failed: tomorrow’s run tries again'),
      );
      return running;
    },
    { timezone: LONDON, name: purgeJob(deps.workspaceId), noOverlap: true },
  );
  return {
    stop: async () => {
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
