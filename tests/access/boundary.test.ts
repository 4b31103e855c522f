/**
 * The inbound seam knows no channel: the access module and the interactions import no chat SDK
 * and no adapter (Slack, Teams and the web call them, never the other way round), and read no
 * hidden clock (`now` is in every input).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const files = (p: string): string[] => (statSync(p).isDirectory() ? readdirSync(p).flatMap((f) => files(join(p, f))) : p.endsWith('.ts') ? [p] : []);
const importsOf = (source: string): string[] =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
const FORBIDDEN = [/^@slack\//, /^@microsoft\//, /^botbuilder/, /\/adapters\//];
const SEAM = [join(SRC, 'services', 'access.ts'), join(SRC, 'core', 'access.ts'), ...files(join(SRC, 'services', 'interactions'))];

describe('the inbound seam boundary', () => {
  it('has the files to check', () => expect(SEAM.length).toBeGreaterThan(8));

  it.each(SEAM.map((f) => [relative(SRC, f), f]))('%s imports no chat SDK or adapter', (_n, f) => {
    expect(importsOf(readFileSync(f, 'utf8')).filter((s) => FORBIDDEN.some((re) => re.test(s)))).toEqual([]);
  });

  it.each(SEAM.map((f) => [relative(SRC, f), f]))('%s reads no hidden clock', (_n, f) => {
    const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code.match(/new Date\(\s*\)|Date\.now\(\)/g) ?? []).toEqual([]);
  });

  it('SNOOZE_DAYS is defined once in src/', () => {
    const hits = files(SRC).filter((f) => !f.includes(`${join('db', 'generated')}`)).filter((f) => /\bSNOOZE_DAYS\s*=/.test(readFileSync(f, 'utf8')));
    expect(hits.map((f) => relative(SRC, f))).toEqual([join('services', 'interactions', 'snooze.ts')]);
  });
});
