/**
 * Benchmark helpers. Benchmarks are measurements, never pass/fail tests: each scenario runs
 * in its own child process so peak memory (maxRSS) is that scenario's alone, and prints one
 * JSON line that bench/index.ts collects into bench/results/latest.json and a table.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabaseUrl } from '../tests/support/db.js';
import type { DbProvider } from '../src/db/client.js';

const run = promisify(execFile);

export interface Result {
  scenario: string;
  provider?: DbProvider | 'none';
  size?: number;
  [metric: string]: unknown;
}

/** Runs `tsx <script> <args>` and parses the last JSON line it prints. */
export async function inChild(script: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
  });
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${script} printed no result:\n${stdout}`);
  return JSON.parse(line) as Result;
}

export { createTestDatabaseUrl };

export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
/** process.resourceUsage().maxRSS is in KiB. */
export const peakRssMb = (): number => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

/** mulberry32: a seeded generator, so every run of a benchmark builds the same data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident memory of a process, from /proc (Linux). */
export function processMemoryMb(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

export interface ServeProcess {
  child: ChildProcess;
  /** From spawn to the Slack receiver's health check answering 200. */
  startupMs: number;
  slackUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts `bragbot serve` (bin/bragbot.mjs, as a user would) with SLACK_MODE=http on a free port
 * and waits until GET /slack/healthz answers. stderr is kept for the error message if it dies.
 */
export async function startServe(env: Record<string, string>, timeoutMs = 60_000): Promise<ServeProcess> {
  // BENCH_SERVE_PROFILE=<dir>: a CPU profile of the served process, written when it stops.
  const profile = process.env.BENCH_SERVE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVE_PROFILE}`] : [];
  const port = await freePort();
  const root = join(import.meta.dirname, '..');
  const t0 = performance.now();
  const child = spawn(process.execPath, [...profile, join(root, 'bin', 'bragbot.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', SLACK_MODE: 'http', SLACK_PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const slackUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bragbot serve exited ${child.exitCode}: ${stderr}`);
    if (performance.now() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`bragbot serve did not answer on ${slackUrl}/slack/healthz within ${timeoutMs} ms: ${stderr}`);
    }
    const ok = await fetch(`${slackUrl}/slack/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const startupMs = Math.round(performance.now() - t0);
  return {
    child,
    startupMs,
    slackUrl,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
