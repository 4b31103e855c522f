/**
 * The one place bragbot reads the time (tests/clock-boundary.test.ts fails on any other).
 *
 * A deployment has ONE clock, handed to everything that reads the time: chat cards, snooze,
 * reports, "my actions", the CLI, the scheduler, the dispatcher, and every timestamp a change is
 * stamped with. Normally it is the machine's clock; the demo's clock starts on a day in York's
 * plan (1 July 2021) and runs in real time from there, and every process that opens the demo's
 * database shares it (src/services/deployment-clock.ts). Tests inject fixed or stepped clocks.
 *
 * Two things here are not "the time" and must not be used as such:
 *  - `realClock` is the machine's clock: only for choosing a deployment's clock (composition
 *    roots) and for records about the machine itself (when a migration ran).
 *  - `stopwatch` measures how long something took (timeouts, log timings): a duration, never a date.
 */

/** Returns "now". Every time-dependent function takes one (or the instant it works on). */
export type Clock = () => Date;

/** The machine's clock. Use the deployment's clock instead, unless you are choosing it. */
export const realClock: Clock = () => new Date();

/** A clock that always says `at` (tests, `--as-of` dry runs). */
export function fixedClock(at: Date | string): Clock {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`fixedClock: not an instant: ${String(at)}`);
  return () => new Date(ms);
}

/**
 * A clock that said `startsAt` when the real clock said `realStartedAt`, and runs in real time
 * from there: the demo lives on 1 July 2021 09:00 and a click a minute later is stamped 09:01.
 */
export function runningClock(startsAt: Date, realStartedAt: Date, real: Clock = realClock): Clock {
  const offset = startsAt.getTime() - realStartedAt.getTime();
  return () => new Date(real().getTime() + offset);
}

/** Milliseconds since the stopwatch started: for timeouts and "took 120 ms", never for a date. */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => performance.now() - started;
}

/** A deadline `ms` from now on the stopwatch: true once it has passed. */
export function deadline(ms: number): () => boolean {
  const elapsed = stopwatch();
  return () => elapsed() >= ms;
}

/** A unique-enough number for ids (not a time: ids must not collide, whatever the clock says). */
export function idEntropy(): number {
  return Math.floor(performance.timeOrigin + performance.now());
}
