/**
 * Which clock a deployment runs on, stored with its data (DeploymentClock) so every process that
 * opens the database — `serve`, `demo`, each CLI command — tells the same time. A production
 * database has no row and runs on the machine's clock; the demo's database says "1 July 2021,
 * 09:00, when the demo was first started" and runs in real time from there, so a restart carries
 * on where it left off instead of going back in time under the history it has recorded.
 */
import { realClock, runningClock, type Clock } from '../clock.js';
import type { Db } from '../db/client.js';

const ROW = 'deployment';

/** The deployment's clock: the stored one, else the machine's (`real`, injectable for tests). */
export async function deploymentClock(db: Db, real: Clock = realClock): Promise<Clock> {
  const row = await db.deploymentClock.findUnique({ where: { id: ROW } });
  return row ? runningClock(row.startsAt, row.realStartedAt, real) : real;
}

/** When the stored clock started, if the deployment has one (for "planning as of …" messages). */
export async function storedClockStart(db: Db): Promise<{ startsAt: Date; realStartedAt: Date } | null> {
  return db.deploymentClock.findUnique({ where: { id: ROW }, select: { startsAt: true, realStartedAt: true } });
}

/**
 * Starts the deployment's clock at `startsAt` now (real time), unless it already has one: a
 * clock that has stamped history must never be moved back under it. Returns the clock in use.
 */
export async function startDeploymentClock(db: Db, startsAt: Date, real: Clock = realClock): Promise<Clock> {
  await db.deploymentClock.upsert({ where: { id: ROW }, create: { id: ROW, startsAt, realStartedAt: real() }, update: {} });
  return deploymentClock(db, real);
}
