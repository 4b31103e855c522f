/**
 * The scheduler `serve` starts: node-cron (Europe/London) runs plan -> outbox on SCHEDULER_CRON,
 * and a dispatcher loop sends what is due every DISPATCH_INTERVAL_MS.
 *
 * Replicas: every replica runs the same cron. A tick is claimed in SchedulerState with a
 * compare-and-set on lastRunAt, so one replica plans per tick; even if two did, the outbox keys
 * would insert nothing twice. Dispatch claims are leases in the database (see dispatcher.ts).
 *
 * Downtime: on start it plans once straight away. Planning is judged from the state and the
 * history of what was said, not from which ticks ran, so that ONE plan catches up everything
 * missed (one message per person, marked 'catch-up' after a working day or more), never one
 * per missed tick. A tick that is claimed and then fails (crash, database down) is simply
 * covered by the next one.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { LONDON } from '../core/calendar.js';
import type { ChatPort } from '../core/chat.js';
import type { Db, DbProvider } from '../db/client.js';
import { Dispatcher, type DispatcherOptions } from '../delivery/dispatcher.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Logger } from '../logging.js';
import { runNudgeCycle, type CycleReport } from './cycle.js';

export const planJob = (workspaceId: string): string => `nudges:plan:${workspaceId}`;

export interface SchedulerDeps {
  db: Db;
  provider: DbProvider;
  config: Pick<Config, 'SCHEDULER_CRON' | 'DISPATCH_INTERVAL_MS' | 'INSTANCE_ID'>;
  logger: Logger;
  /** One port per platform the bot is connected to (Slack, Teams, or the console). */
  ports: ChatPort[];
  workspaceId: string;
  /** The deployment's clock: what the planner plans for, ticks are claimed at and leases run on. */
  clock: Clock;
  /** Dispatcher lease (default 60 s). */
  leaseMs?: number;
  /** Ticks closer together than this (replicas firing the same minute) plan once. Default 30 s. */
  minGapMs?: number;
  /** Run the dispatcher loop too (default true). */
  dispatch?: boolean;
  onCycle?: (report: CycleReport, trigger: 'startup' | 'tick' | 'manual') => void;
  /** Each tick this process tried to plan: planned by this replica, skipped (another claimed it), or failed. Metrics. */
  onTick?: (result: 'planned' | 'skipped' | 'failed', trigger: 'startup' | 'tick' | 'manual') => void;
  /** Passed to the dispatcher: what became of each delivery attempt. */
  onDelivery?: DispatcherOptions['onDelivery'];
}

export interface SchedulerHandle {
  /** The start-up (catch-up) plan: resolves when it has been written (or skipped). */
  ready: Promise<CycleReport | null>;
  /** Plans now (if no replica planned within minGapMs). */
  runNow(): Promise<CycleReport | null>;
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

/**
 * Claims a planning run: true for exactly one of the replicas that try within minGapMs.
 * Returns the previous lastRunAt, which the planner uses for catch-up.
 */
export async function claimPlanRun(db: Db, job: string, now: Date, minGapMs: number): Promise<{ claimed: boolean; previous: Date | null }> {
  const prev = await db.schedulerState.findUnique({ where: { job } });
  if (!prev) {
    try {
      await db.schedulerState.create({ data: { job, lastRunAt: now } });
      return { claimed: true, previous: null };
    } catch (e) {
      if (isUniqueViolation(e)) return { claimed: false, previous: null };
      throw e;
    }
  }
  if (now.getTime() - prev.lastRunAt.getTime() < minGapMs) return { claimed: false, previous: prev.lastRunAt };
  const swapped = await db.schedulerState.updateMany({ where: { job, lastRunAt: prev.lastRunAt }, data: { lastRunAt: now } });
  return { claimed: swapped.count === 1, previous: prev.lastRunAt };
}

export function startScheduler(deps: SchedulerDeps): SchedulerHandle {
  const clock = deps.clock;
  const minGapMs = deps.minGapMs ?? 30_000;
  const job = planJob(deps.workspaceId);
  const logger = deps.logger.child({ job });
  const dispatcher = new Dispatcher({
    db: deps.db,
    provider: deps.provider,
    ports: deps.ports,
    instanceId: deps.config.INSTANCE_ID,
    logger,
    clock,
    onDelivery: deps.onDelivery,
    ...(deps.leaseMs !== undefined ? { leaseMs: deps.leaseMs } : {}),
  });

  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (trigger: 'startup' | 'tick' | 'manual'): Promise<CycleReport | null> => {
    // One cycle at a time in this process: a slow plan is never overlapped by the next tick.
    const next = chain.then(async () => {
      if (stopped) return null;
      const now = clock();
      let report: CycleReport;
      try {
        const { claimed, previous } = await claimPlanRun(deps.db, job, now, minGapMs);
        if (!claimed) {
          deps.onTick?.('skipped', trigger);
          return null;
        }
        report = await runNudgeCycle(deps.db, { workspaceId: deps.workspaceId, now, platforms: dispatcher.platforms, lastRunAt: previous });
      } catch (e) {
        deps.onTick?.('failed', trigger);
        throw e;
      }
      deps.onTick?.('planned', trigger);
      logger.info(
        { trigger, catchUp: report.plan.catchUp, planned: report.plan.messages.length, inserted: report.written.inserted.length, existing: report.written.existing.length, undeliverable: report.written.undeliverable.length },
        'planned nudges',
      );
      deps.onCycle?.(report, trigger);
      return report;
    });
    chain = next.catch(() => undefined);
    return next;
  };
  const runLogged = (trigger: 'startup' | 'tick') =>
    run(trigger).catch((e: unknown) => {
      logger.error({ err: e, trigger }, 'planning nudges failed: the next tick tries again');
      return null;
    });

  const task: ScheduledTask = cron.schedule(deps.config.SCHEDULER_CRON, () => runLogged('tick'), { timezone: LONDON, name: job, noOverlap: true });
  const ready = runLogged('startup');
  if (deps.dispatch !== false) dispatcher.start(deps.config.DISPATCH_INTERVAL_MS);

  return {
    ready,
    runNow: () => run('manual'),
    dispatcher,
    stop: async () => {
      stopped = true;
      await task.stop();
      await task.destroy();
      await chain;
      await dispatcher.stop();
    },
  };
}
