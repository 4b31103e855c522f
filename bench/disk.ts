/**
 * How long this machine's storage takes to make a small write durable: 4 KiB written and
 * fdatasync'd every 5 ms, for `seconds`, in `dir` (default: where the benchmarks' SQLite files
 * go, the temporary directory). A click is written durably before Slack is acknowledged (the
 * inbox, issue 19), so no acknowledgement is faster than this, and a stall here (the storage's,
 * with nothing else running) holds every acknowledgement that arrives meanwhile:
 *   tsx bench/disk.ts [seconds=20] [dir]
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const seconds = Number(process.argv[2] ?? 20);
const base = process.argv[3] ?? tmpdir();
const dir = mkdtempSync(join(base, 'bragbot-disk-'));
const fd = openSync(join(dir, 'probe'), 'w');
const page = Buffer.alloc(4096, 1);
const latencies: number[] = [];
try {
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i += 1) {
    const t0 = performance.now();
    writeSync(fd, page, 0, page.length, (i % 256) * page.length);
    fdatasyncSync(fd);
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
  }
} finally {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
}
latencies.sort((a, b) => a - b);
const q = (f: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * f))] ?? 0) * 100) / 100;
console.log(JSON.stringify({
  scenario: 'disk-fdatasync', dir: base, seconds, writes: latencies.length,
  p50Ms: q(0.5), p99Ms: q(0.99), p999Ms: q(0.999), maxMs: q(1),
  over50Ms: latencies.filter((x) => x > 50).length, over250Ms: latencies.filter((x) => x > 250).length,
  load1: Math.round(loadavg()[0]! * 100) / 100,
}));
