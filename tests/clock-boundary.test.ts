/**
 * One clock (issue 11): nothing in src/ reads the time but src/clock.ts. A card that counts
 * overdue days from the machine's clock while the planner counts from the deployment's is how
 * the demo came to say "1 day overdue" and "1980 days overdue" about the same action.
 *
 * This reads every source file and fails on a hidden clock outside src/clock.ts, and on the
 * machine's clock (`realClock`) used outside the few places that must choose or talk about the
 * machine itself. Durations (timeouts, log timings) use `stopwatch`/`deadline`, which are not dates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return p.endsWith(join('db', 'generated')) ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });

/** Reading the time: `new Date()` with no argument, `Date.now()`, `performance.now()`, and their spellings. */
const HIDDEN_CLOCK = /new\s+Date\s*\(\s*\)|\bDate\s*\.\s*now\b|\bperformance\s*\.\s*(?:now|timeOrigin)\b|\bDate\s*\(\s*\)/g;

/**
 * Where the machine's clock may be named, and why. Anything else takes the deployment's clock
 * (a `Clock` parameter or deps.clock) or the instant it works on.
 */
const REAL_CLOCK_ALLOWED: Record<string, string> = {
  'clock.ts': 'defines it',
  'services/deployment-clock.ts': 'chooses the deployment clock: the stored one runs on the machine clock',
  'cli/commands/demo.ts': 'parses --as-of, the moment a new demo database’s clock starts at',
  'db/migrate.ts': 'records when this machine migrated the database (about the machine, not the plan)',
  'adapters/teams/errors.ts': 'Retry-After as an HTTP date is the server’s real time',
  'adapters/slack/http-guard.ts': 'Slack signs each request with its real time: the five-minute window is checked against the machine’s clock',
  'services/import-plan.ts': 'Action.updatedAt is a version token (as Prisma’s @updatedAt writes it), never shown or compared as a time',
  'services/brag-change.ts': 'Action.updatedAt is a version token (as Prisma’s @updatedAt writes it), never shown or compared as a time',
  'delivery/memory-port.ts': 'a test double’s default stamp when the test gives it no clock',
};

const strip = (code: string) => code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

describe('one clock', () => {
  const sources = files(SRC).map((f) => [relative(SRC, f).split('\\').join('/'), f] as const);

  it('has sources to check, and the scanner sees every spelling of a hidden clock (so the check can fail)', () => {
    expect(sources.length).toBeGreaterThan(100);
    const samples = ['const t = new Date();', 'Date.now()', 'const n = Date . now ( )', 'performance.now()', 'new Date(Date.now() + 5)', 'String(Date())'];
    expect(samples.map((s) => (strip(s).match(HIDDEN_CLOCK) ?? []).length > 0)).toEqual(samples.map(() => true));
    // An instant built from a value is not reading the clock.
    expect(strip('new Date(0); new Date(iso); new Date(Date.UTC(2021, 0, 1)); Date.parse(x)').match(HIDDEN_CLOCK)).toBeNull();
  });

  it.each(sources.filter(([name]) => name !== 'clock.ts'))('%s reads no clock of its own', (_name, file) => {
    expect(strip(readFileSync(file, 'utf8')).match(HIDDEN_CLOCK) ?? []).toEqual([]);
  });

  it('the machine clock is named only where a deployment chooses its clock or talks about the machine', () => {
    const naming = sources.filter(([, file]) => /\brealClock\b/.test(strip(readFileSync(file, 'utf8')))).map(([name]) => name);
    expect(naming.filter((name) => !(name in REAL_CLOCK_ALLOWED))).toEqual([]);
    // The allow-list shrinks with the code: an entry nobody needs any more is an open door.
    expect(Object.keys(REAL_CLOCK_ALLOWED).filter((name) => !naming.includes(name))).toEqual([]);
  });

  it('no clock is optional: the scheduler, the dispatcher and the outbox are handed one', () => {
    const optional = sources
      .filter(([, file]) => /\bclock\?\s*:/.test(strip(readFileSync(file, 'utf8'))))
      .map(([name]) => name)
      // Composition roots pick the deployment's clock when a test does not inject one.
      .filter((name) => !['app/serve.ts', 'cli/context.ts', 'delivery/memory-port.ts'].includes(name));
    expect(optional).toEqual([]);
  });

  it('the database never stamps a time the plan reads: those are written from the clock', () => {
    const schema = readFileSync(join(SRC, '..', 'prisma', 'schema.prisma'), 'utf8');
    const defaults = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].flatMap(([, model, body]) =>
      [...body!.matchAll(/^\s+(\w+)\s+DateTime\??\s+@default\(now\(\)\)/gm)].map((m) => `${model}.${m[1]}`),
    );
    // Each remaining default is either never read, or always given explicitly (the test below names where).
    expect(defaults.sort()).toEqual(['Action.createdAt', 'Group.createdAt', 'OutboxMessage.createdAt', 'Person.createdAt', 'Snooze.createdAt', 'UpdateThread.openedAt', 'Workspace.createdAt']);
    const code = (p: string) => strip(readFileSync(join(SRC, p), 'utf8'));
    expect(code('services/status-updates.ts')).toMatch(/create: \{[^}]*createdAt: now/);
    expect(code('delivery/outbox.ts')).toMatch(/createdAt: options\.now/);
    expect(code('services/import-plan.ts')).toMatch(/INSERT INTO "Action" \([^)]*"createdAt"/);
    expect(code('services/threads.ts')).toMatch(/openedAt: t\.now/);
    expect(code('delivery/dispatcher.ts')).toMatch(/openedAt: sentAt/);
    // Workspace, Group and Person creation times are not read anywhere in src/.
    const readers = sources.filter(([, f]) => /\b(?:workspace|group|person)\b[^;\n]*\.createdAt\b/i.test(code(relative(SRC, f)))).map(([n]) => n);
    expect(readers).toEqual([]);
  });
});
