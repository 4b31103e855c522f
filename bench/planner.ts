/**
 * Planner benchmark: one pure plan over a generated snapshot.
 *   tsx bench/planner.ts <actions> [people=10000] [groups=500] [streamed|whole]
 * streamed (the default) plans the way `planCycle` does in production: the people and the outbox
 * history are held whole, and the groups arrive one at a time (createNudgePlanner().addGroup) —
 * each generated just before it is planned and dropped after, as loadPlanGroups streams them
 * from the database — so the process holds one group's rows, not the whole plan's. The time is
 * the planner's own (addGroup and finish), not the generation. whole plans one in-memory
 * snapshot with planNudges (the figures before issue 16).
 * The snapshot is built in-process (seeded, so every run plans the same thing): owners spread
 * over the people, line managers, chairs and managers per group, monthly meetings, due dates
 * around "now", a history of earlier nudges, snoozes and Red turns. "now" is a Monday inside
 * working hours, so digests, due-soon, overdue, stale and update rounds all happen.
 * Prints {scenario:'planner', size, people, groups, buildMs, planMs, messages, heapBeforeMb,
 * heapAfterMb, rssBeforeMb, peakRssMb}. 1M actions needs more heap than Node's default:
 * bench/index.ts runs it with --max-old-space-size (see docs/benchmarks.md).
 */
import { loadavg } from 'node:os';
import { createNudgePlanner, planNudges } from '../src/core/planner/plan.js';
import type { ActionInfo, GroupInfo, Mention, PersonInfo, PlanSnapshot } from '../src/core/planner/types.js';
import { DEFAULT_GROUP_SETTINGS } from '../src/core/settings.js';
import type { Brag } from '../src/core/brag.js';
import { mb, peakRssMb, seeded } from './support.js';

const size = Number(process.argv[2] ?? 100_000);
const peopleCount = Number(process.argv[3] ?? 10_000);
const groupCount = Number(process.argv[4] ?? 500);
const mode = process.argv[5] === 'whole' ? 'whole' : 'streamed';

// Monday 5 July 2021, 10:00 London (09:00Z): a working day and the default digest day.
const now = new Date('2021-07-05T09:00:00Z');
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

function peopleOf(): PersonInfo[] {
  const people: PersonInfo[] = [];
  for (let i = 0; i < peopleCount; i += 1) {
    // One in ten people manages the nine after them.
    const managerIndex = i % 10 === 0 ? null : i - (i % 10);
    people.push({ id: `p${i}`, name: `Person ${i}`, managerId: managerIndex === null ? null : `p${managerIndex}` });
  }
  return people;
}

/**
 * The generated plan, a group at a time (its actions, and the earlier nudges about
 * them pushed to `history`). Seeded, so two walks give the same groups and the same history.
 */
function* generate(rnd: () => number, history: Mention[]): Generator<GroupInfo, void, undefined> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const brags: Brag[] = ['green', 'green', 'green', 'amber', 'red', 'blue', 'unrated'];
  const perGroup = Math.ceil(size / groupCount);
  let made = 0;
  for (let g = 0; g < groupCount; g += 1) {
    const actions: ActionInfo[] = [];
    for (let k = 0; k < perGroup && made < size; k += 1, made += 1) {
      const id = `a${made}`;
      const owners = rnd() < 0.1 ? [] : rnd() < 0.8 ? [pick(people).id] : [pick(people).id, pick(people).id];
      const dueOffset = Math.floor(rnd() * 240) - 120; // due from 4 months ago to 4 months ahead
      const dueKind = rnd() < 0.1 ? 'ongoing' : 'date';
      const brag = pick(brags);
      const lastUpdated = rnd() < 0.3 ? null : new Date(now.getTime() - Math.floor(rnd() * 90) * DAY);
      const turnedRed = brag === 'red' && rnd() < 0.3 ? { statusUpdateId: `su${made}`, at: new Date(now.getTime() - Math.floor(rnd() * 20) * DAY) } : null;
      actions.push({
        id,
        ref: String(k + 1),
        activity: `Ensure that young people consistently receive the support set out in action ${made}.`,
        progress: rnd() < 0.5 ? 'Task and Finish Group established; practice standards being developed.' : '',
        leadAgency: "Children's Social Care",
        leadOfficer: '',
        dueKind,
        dueDate: dueKind === 'date' ? iso(now.getTime() + dueOffset * DAY) : null,
        dueRaw: '',
        brag,
        ownerIds: owners,
        lastUpdatedAt: lastUpdated,
        createdAt: new Date('2021-01-04T10:00:00Z'),
        latestNote: rnd() < 0.2 ? 'Waiting on health colleagues for the figures.' : null,
        snoozes: owners.length && rnd() < 0.05 ? [{ personId: owners[0]!, until: new Date(now.getTime() + 3 * DAY), createdAt: new Date(now.getTime() - DAY) }] : [],
        turnedRed,
      });
      // Earlier overdue nudges, as the outbox history would hold them.
      if (dueKind === 'date' && dueOffset < -7) {
        for (const o of owners) {
          for (let r = 1; r <= Math.floor(rnd() * 4); r += 1) {
            history.push({ personId: o, actionId: id, reason: 'overdue', window: iso(now.getTime() - r * 7 * DAY), on: iso(now.getTime() - r * 7 * DAY) });
          }
        }
      }
    }
    const chair = people[(g * 7) % peopleCount]!.id;
    const manager = people[(g * 13 + 1) % peopleCount]!.id;
    yield {
      id: `g${g}`,
      slug: `group-${g}`,
      name: `Partnership Group ${g}`,
      cadence: 'monthly',
      // Meetings on the second Tuesday: with the default 5-day lead, the update round is open on 5 July.
      cadenceAnchor: '2021-01-12',
      settings: DEFAULT_GROUP_SETTINGS,
      meetings: [],
      chairIds: [chair],
      managerIds: [manager],
      channelPlatforms: g % 2 === 0 ? ['slack'] : ['teams'],
      actions,
      notMine: [],
    };
  }
}

const lastRunAt = new Date(now.getTime() - 15 * 60_000);
const people = peopleOf();
const history: Mention[] = [];
const t0 = performance.now();
let snapshot: PlanSnapshot | null = null;
if (mode === 'whole') {
  snapshot = { groups: [...generate(seeded(42), history)], people, history, lastRunAt };
}
// Streamed: the first walk only collects the history (the planner needs all of it before the first
// group, as the loader reads the outbox before streaming groups); its CPU is what generating the
// groups costs, taken off the second walk's, which streams the same groups into the planner.
let generationCpuUs = 0;
if (!snapshot) {
  const c = process.cpuUsage();
  for (const _ of generate(seeded(42), history));
  const used = process.cpuUsage(c);
  generationCpuUs = used.user + used.system;
}
const buildMs = Math.round(performance.now() - t0);
globalThis.gc?.();
const heapBefore = process.memoryUsage();
const rssBeforeMb = peakRssMb();

// Wall and CPU time (user + system, all threads: GC included) of the planner alone: on a shared
// machine CPU moves far less than wall time. In streamed mode the generation of each group is left
// out (it stands in for the database read, timed by the serve/cycle benchmarks): wall time by the
// clock around each planner call, CPU as the whole walk's less the generation's (process.cpuUsage
// per call cost more than a small group's planning).
let planWall = 0;
const timed = <T>(f: () => T): T => {
  const t = performance.now();
  try {
    return f();
  } finally {
    planWall += performance.now() - t;
  }
};
let plan;
const cpu0 = process.cpuUsage();
if (snapshot) {
  const whole = snapshot;
  plan = timed(() => planNudges(whole, now));
} else {
  const planner = timed(() => createNudgePlanner({ people, history, lastRunAt }, now));
  for (const group of generate(seeded(42), [])) timed(() => planner.addGroup(group));
  plan = timed(() => planner.finish());
}
const cpuUsed = process.cpuUsage(cpu0);
const planMs = Math.round(planWall);
const planCpuMs = Math.round((cpuUsed.user + cpuUsed.system - generationCpuUs) / 1000);
const heapAfter = process.memoryUsage();

console.log(
  JSON.stringify({
    scenario: 'planner',
    provider: 'none',
    mode,
    size,
    people: peopleCount,
    groups: groupCount,
    historyMentions: history.length,
    buildMs,
    planMs,
    planCpuMs,
    load1: Math.round(loadavg()[0]! * 100) / 100,
    messages: plan.messages.length,
    mentionsPlanned: plan.messages.reduce((n, m) => n + m.mentions.length, 0),
    heapBeforeMb: mb(heapBefore.heapUsed),
    heapAfterMb: mb(heapAfter.heapUsed),
    rssBeforeMb,
    peakRssMb: peakRssMb(),
    planRssMb: Math.round((peakRssMb() - rssBeforeMb) * 10) / 10,
    maxOldSpaceMb: Number(/--max-old-space-size=(\d+)/.exec(process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS ?? ''))?.[1] ?? 0) || null,
  }),
);
