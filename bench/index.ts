/**
 * `npm run bench`: every scenario on SQLite and (when reachable) PostgreSQL, results printed
 * as a table and written to bench/results/latest.json. Not part of `npm test`: these are
 * measurements, not assertions. Select scenarios: `npm run bench -- import planner` (the other
 * scenarios' results in latest.json are kept, each row stamped with when it was measured).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgresAvailable } from '../tests/support/db.js';
import { inChild, type Result } from './support.js';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const providers = (await postgresAvailable()) ? ['sqlite', 'postgresql'] : ['sqlite'];
const results: Result[] = [];

async function scenario(name: string, script: string, argSets: string[][], nodeArgs: string[] = []): Promise<void> {
  if (!want(name)) return;
  for (const args of argSets) {
    process.stderr.write(`bench ${name} ${args.join(' ')} …\n`);
    try {
      const r = { bench: name, at: new Date().toISOString(), ...(await inChild(join(here, script), args, {}, nodeArgs)) };
      results.push(r);
      process.stderr.write(`  ${JSON.stringify(r)}\n`);
    } catch (e) {
      // One scenario failing (e.g. out of memory at 1M) must not lose the others' numbers.
      results.push({ bench: name, at: new Date().toISOString(), scenario: name, args: args.join(' '), error: (e as Error).message.split('\n')[0] });
      process.stderr.write(`  failed: ${(e as Error).message.split('\n')[0]}\n`);
    }
  }
}

// Order: the pure planner first, then the database scenarios on each provider.
// 1,000,000 actions fit Node's default heap (about 4.3 GB here) since the planner fixes; before
// them they needed --max-old-space-size=8192 or more (docs/benchmarks.md).
await scenario('planner', 'planner.ts', [['10000'], ['100000'], ['1000000']]);
await scenario('import', 'import.ts', providers.flatMap((p) => [['10000', p], ['100000', p]]));
await scenario('reimport', 'import.ts', providers.map((p) => ['10000', p, 'reimport']));
await scenario('report', 'report.ts', providers.map((p) => [p]));
await scenario('serve', 'serve.ts', providers.map((p) => [p]));
await scenario('delivery', 'delivery.ts', providers.map((p) => [p]));
// What one BRAG click costs in CPU and statements, through the real Slack listener (issue 16: ≤ 2.5 ms, ≤ 4).
await scenario('click-cpu', 'click-cpu.ts', providers.map((p) => [p, '2000']));
// The storage's own durable-write latency: no acknowledgement (written durably first) is faster.
await scenario('disk', 'disk.ts', [['20']]);
// Slack's interactions at the rate (200/s for 60 s) as independent clicks and as
// autocannon's per-second bursts, and the shedding at 1,000/s.
await scenario('ack', 'ack.ts', providers.flatMap((p) => [[p, '200', '60'], [p, '200', '60', 'burst'], [p, '1000', '20']]));

// Keep the scenarios not run this time; results of older files without `bench` are named by scenario.
const file = join(here, 'results', 'latest.json');
const benchOf = (r: Result): string => (typeof r.bench === 'string' ? r.bench : ({ 'import-xlsx': 'import', 'reimport-xlsx': 'reimport', 'slack-ack': 'ack' } as Record<string, string>)[r.scenario] ?? r.scenario);
const previous = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { results?: Result[] }).results ?? []) : [];
const ran = new Set(results.map(benchOf));
const merged = [...previous.filter((r) => !ran.has(benchOf(r))), ...results];
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, results: merged }, null, 2) + '\n');
console.table(results);
