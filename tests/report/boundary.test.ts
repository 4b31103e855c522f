/**
 * Renderers and report assembly know no chat platform and no database: the Slack and Teams
 * adapters call them and wrap what they return (STYLE.md habit 1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', 'src');
const files = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, dir, f));
// The same scanner as tests/core-boundary.test.ts (importing it would run its suite here too).
const importsOf = (source: string): string[] =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
const FORBIDDEN = [/^@slack\//, /^@microsoft\//, /^botbuilder/, /^@prisma\//, /^prisma/, /\/db\//, /\/adapters\//, /\/services\//, /^pg$/, /^better-sqlite3$/, /^node:sqlite$/];

describe('report boundary', () => {
  it.each([...files('render'), ...files('core/report')].map((f) => [relative(ROOT, f), f]))('%s imports no chat SDK, database or service', (_name, file) => {
    const bad = importsOf(readFileSync(file, 'utf8')).filter((spec) => FORBIDDEN.some((re) => re.test(spec)));
    expect(bad).toEqual([]);
  });
});
