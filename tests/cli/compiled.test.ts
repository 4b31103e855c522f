/**
 * The compiled CLI (issue 16): scripts/build.mjs bundles the sources into one directory of
 * chunks, bin/bragbot.mjs runs it only while it is fresh, and a command loads only what it needs.
 * Built here into a directory of this test's own, so it neither needs nor disturbs dist/.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteDriverName } from '../../src/db/sqlite-driver.js';
import { distIsFresh } from '../../bin/fresh.mjs';
import { buildDist } from '../../scripts/build.mjs';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const OUT = `.dist-test-${process.pid}`;
const RECORDER = join(ROOT, 'tests', 'support', 'record-imports.mjs');
const YORK = join(ROOT, 'demo', 'york-delivery-plan-2021.csv');
const dir = mkdtempSync(join(tmpdir(), 'bragbot-compiled-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}`, LOG_LEVEL: 'warn', SLACK_MODE: 'off', TEAMS_MODE: 'off', BRAGBOT_WORKSPACE: 'compiled' };

beforeAll(async () => {
  await buildDist({ outdir: OUT });
}, 60_000);
afterAll(() => {
  rmSync(join(ROOT, OUT), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('the compiled CLI', () => {
  it('is fresh after a build, and stale once a source it read is newer, gone, or the build record is missing', () => {
    expect(distIsFresh(ROOT, join(ROOT, OUT))).toBe(true);

    const root = mkdtempSync(join(tmpdir(), 'bragbot-fresh-'));
    try {
      mkdirSync(join(root, 'src'));
      mkdirSync(join(root, 'dist'));
      expect(distIsFresh(root)).toBe(false); // never built
      writeFileSync(join(root, 'src', 'a.ts'), 'export {};');
      const builtAt = Date.now() + 1_000;
      writeFileSync(join(root, 'dist', 'build-info.json'), JSON.stringify({ startedAtMs: builtAt, inputs: ['src/a.ts'] }));
      expect(distIsFresh(root)).toBe(true);
      const later = new Date(builtAt + 5_000);
      utimesSync(join(root, 'src', 'a.ts'), later, later); // edited after the build
      expect(distIsFresh(root)).toBe(false);
      rmSync(join(root, 'src', 'a.ts'));
      expect(distIsFresh(root)).toBe(false); // a source the build read is gone
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('runs from the build: `groups list` loads no chat SDK, renderer or PostgreSQL driver, and `actions --json` answers as the sources do', async () => {
    const cli = join(ROOT, OUT, 'cli.js');
    await run(process.execPath, [cli, 'import', YORK, '--group', 'york'], { env, cwd: dir });

    const record = join(dir, 'imports.txt');
    const { stdout } = await run(process.execPath, ['--import', RECORDER, cli, 'groups', 'list'], { env: { ...env, BRAGBOT_RECORD_IMPORTS: record }, cwd: dir });
    expect(stdout).toMatch(/^york: /m);
    const loaded = readFileSync(record, 'utf8').split('\n').filter(Boolean);
    const packages = new Set(loaded.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p): p is string => !!p));
    // The recorder sees what the command really loads (else the checks below could not fail).
    // (On Node 24 Prisma speaks through our own adapter on node:sqlite, and better-sqlite3 must not load.)
    if (sqliteDriverName() === 'better-sqlite3') expect(packages).toContain('@prisma/adapter-better-sqlite3');
    else {
      expect(packages).toContain('@prisma/driver-adapter-utils');
      expect(packages).not.toContain('better-sqlite3');
      expect(packages).not.toContain('@prisma/adapter-better-sqlite3');
    }
    expect(loaded.some((u) => u.includes(`/${OUT}/cli.js`))).toBe(true);
    expect(loaded.filter((u) => u.includes('/src/'))).toEqual([]); // nothing transpiled from the sources
    for (const heavy of ['@slack/bolt', '@slack/web-api', '@microsoft/teams.apps', '@microsoft/teams.api', 'pdfkit', 'docx', 'exceljs', '@napi-rs/canvas', 'chart.js', 'express', 'pg', '@prisma/adapter-pg', 'tsx']) {
      expect(packages, heavy).not.toContain(heavy);
    }

    const compiled = await run(process.execPath, [cli, 'actions', '--group', 'york', '--json', '--as-of', '2021-07-01'], { env, cwd: dir });
    const fromSources = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'index.ts'), 'actions', '--group', 'york', '--json', '--as-of', '2021-07-01'], { env, cwd: ROOT }); // cwd: where --import finds tsx
    const parsed = JSON.parse(compiled.stdout) as { count: number };
    expect(parsed.count).toBe(48); // York's delivery plan
    expect(compiled.stdout).toBe(fromSources.stdout);
  });
});
