/**
 * `npm run bench`: every scenario on SQLite and (when reachable) PostgreSQL, results printed
 * as a table and written to bench/results/latest.json. Not part of `npm test`: these are
 * measurements, not assertions. Select scenarios: `npm run bench -- import planner`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgresAvailable } from '../tests/support/db.js';
import { inChild, type Result } from './support.js';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const providers = (await postgresAvailable()) ? ['sqlite', 'postgresql'] : ['sqlite'];
const results: Result[] = [];

async function scenario(name: string, script: string, argSets: string[][]): Promise<void> {
  if (!want(name)) return;
  for (const args of argSets) {
    process.stderr.write(`bench ${name} ${args.join(' ')} …\n`);
    const r = await inChild(join(here, script), args);
    results.push(r);
    process.stderr.write(`  ${JSON.stringify(r)}\n`);
  }
}

await scenario('import', 'import.ts', providers.flatMap((p) => [['10000', p], ['100000', p]]));

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');
console.table(results);
