/**
 * Benchmark helpers. Benchmarks are measurements, never pass/fail tests: each scenario runs
 * in its own child process so peak memory (maxRSS) is that scenario's alone, and prints one
 * JSON line that bench/index.ts collects into bench/results/latest.json and a table.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
export async function inChild(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Result> {
  const { stdout } = await run(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
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

export { seeded } from '../src/delivery/memory-port.js';

export { freePort } from '../tests/faults/serve-process.js';

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux; clock ticks of
 * 10 ms, so only differences over many clicks mean anything).
 */
export function processCpuMs(pid: number): number {
  // Fields after the command's ")" (which may itself hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident and peak resident memory of a process, from /proc (Linux). */
export function processMemoryMb(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

export { startServe, type ServeProcess } from '../tests/faults/serve-process.js';
