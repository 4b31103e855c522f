/** `bragbot people … --routes`: a person's preferred route and fallbacks, checked before anything is saved. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'bragbot.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bragbot-routes-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}`, LOG_LEVEL: 'warn', SLACK_MODE: 'off', TEAMS_MODE: 'off' };

async function bragbot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env, cwd: dir });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('bragbot people --routes', () => {
  it('sets email first with Teams as the fallback, refuses an unknown route with exit 2 and keeps what was set, and clears with default', async () => {
    expect((await bragbot('people', 'add', 'Hana Health', '--email', 'hana@nhs.example', '--routes', 'email,teams-chat')).code).toBe(0);
    const routesOf = async () => (JSON.parse((await bragbot('people', 'list', '--json')).stdout) as { name: string; routes: string[] | null }[]).find((p) => p.name === 'Hana Health')!.routes;
    expect(await routesOf()).toEqual(['email', 'teams-chat']);
    const bad = await bragbot('people', 'set', 'Hana Health', '--routes', 'email,fax', '--team', 'CAMHS');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a route: fax. Give routes in order, preferred first, from: teams-chat, slack-dm, email');
    expect(await routesOf()).toEqual(['email', 'teams-chat']);
    expect((await bragbot('people', 'set', 'Hana Health', '--routes', 'default')).stdout).toContain('routes: default');
    expect(await routesOf()).toBeNull();
  }, 60_000);
});
