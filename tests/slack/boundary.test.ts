/** Slack stays in its adapter: nothing else in src/ imports a Slack SDK. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('the Slack boundary', () => {
  it('no file outside src/adapters/slack imports @slack/*', () => {
    const offenders = files(SRC)
      .filter((f) => !relative(SRC, f).startsWith(join('adapters', 'slack')))
      .filter((f) => /from\s+['"]@slack\/|import\(\s*['"]@slack\/|require\(\s*['"]@slack\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('the check sees the adapter’s own imports (so it cannot pass by reading nothing)', () => {
    const adapter = files(join(SRC, 'adapters', 'slack'));
    expect(adapter.some((f) => readFileSync(f, 'utf8').includes("from '@slack/bolt'"))).toBe(true);
  });
});
