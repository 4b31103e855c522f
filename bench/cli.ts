/**
 * CLI start-to-exit time, measured like hyperfine: each command run `runs` times one after the
 * other (after one unmeasured warm-up run), wall time from spawn to exit, on a SQLite database
 * holding York's demo plan (144 actions).
 *   tsx bench/cli.ts [runs=10] [bin=bin/bragbot.mjs]
 * `bin` may be another checkout's bin/bragbot.mjs (the "before" figures came from main's).
 * Prints {scenario:'cli', runs, load1, commands: {<command>: {medianMs, minMs, maxMs, meanMs, cpuMedianMs}}}.
 * load1 is the machine's 1-minute load average at the start: the machine is shared, so wall
 * times are only comparable at a similar load; cpuMedianMs (user + system time of the process,
 * from /usr/bin/time) moves much less with the load and is the better figure on a busy machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** GNU time: the child's user + system CPU, which a loaded machine inflates far less than wall time. */
const TIME = '/usr/bin/time';
const runs = Number(process.argv[2] ?? 10);
const bin = resolve(process.argv[3] ?? join(import.meta.dirname, '..', 'bin', 'bragbot.mjs'));
const plan = join(import.meta.dirname, '..', 'demo', 'york-delivery-plan-2021.csv');

const dir = mkdtempSync(join(tmpdir(), 'bragbot-bench-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'bench.db')}`, BRAGBOT_WORKSPACE: 'bench', LOG_LEVEL: 'warn' };
const bragbot = (args: string[]) => execFileSync(process.execPath, [bin, ...args], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

const COMMANDS: string[][] = [
  ['--help'],
  ['groups', 'list'],
  ['actions', '--group', 'york', '--json'],
];

try {
  bragbot(['import', plan, '--group', 'york']);
  const load1 = Math.round(loadavg()[0]! * 100) / 100;
  const commands: Record<string, { medianMs: number; minMs: number; maxMs: number; meanMs: number; cpuMedianMs: number }> = {};
  for (const args of COMMANDS) {
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i <= runs; i += 1) {
      const t0 = performance.now();
      const r = spawnSync(TIME, ['-f', 'cpu %U %S', process.execPath, bin, ...args], { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`bragbot ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
      const used = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr.toString());
      if (i > 0) {
        // the first run warms the file cache
        times.push(ms);
        if (used) cpu.push((Number(used[1]) + Number(used[2])) * 1000);
      }
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x);
    commands[args.join(' ')] = {
      medianMs: round(times[Math.floor(times.length / 2)]!),
      minMs: round(times[0]!),
      maxMs: round(times[times.length - 1]!),
      meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
      cpuMedianMs: round(cpu[Math.floor(cpu.length / 2)] ?? NaN),
    };
  }
  console.log(JSON.stringify({ scenario: 'cli', provider: 'sqlite', bin, runs, load1, loadAfter: Math.round(loadavg()[0]! * 100) / 100, commands }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
