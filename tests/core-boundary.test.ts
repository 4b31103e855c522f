/**
 * The core knows no chat platform and no database: Slack and Teams are adapters beside it
 * (STYLE.md). This reads every source file under src/core and fails on a forbidden import,
 * and on a hidden clock (`new Date()` / `Date.now()`): time is a parameter in the core.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '..', 'src', 'core');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });

const FORBIDDEN = [/^@slack\//, /^@microsoft\//, /^botbuilder/, /^@prisma\//, /^prisma/, /\/db\//, /\/adapters\//, /^pg$/, /^better-sqlite3$/, /^node:sqlite$/, /^node:http/, /^node:fs/];

export function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('core boundary', () => {
  const sources = files(CORE);

  it('has core sources to check', () => {
    expect(sources.length).toBeGreaterThan(5);
  });

  it('the import scanner sees static, dynamic and re-export imports (so the check can fail)', () => {
    expect(importsOf(`import { App } from '@slack/bolt';\nexport * from "../db/client.js";\nawait import('@microsoft/teams.apps');`)).toEqual(['@slack/bolt', '../db/client.js', '@microsoft/teams.apps']);
  });

  it.each(sources.map((f) => [relative(CORE, f), f]))('%s imports no chat SDK, database or I/O', (_name, file) => {
    const bad = importsOf(readFileSync(file, 'utf8')).filter((spec) => FORBIDDEN.some((re) => re.test(spec)));
    expect(bad).toEqual([]);
  });

  it.each(sources.map((f) => [relative(CORE, f), f]))('%s reads no hidden clock', (_name, file) => {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code.match(/new Date\(\s*\)|Date\.now\(\)/g) ?? []).toEqual([]);
  });
});
