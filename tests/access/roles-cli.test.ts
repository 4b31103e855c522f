/** Granting the roles of docs/access.md from the CLI, as a chair's administrator does: a real process and SQLite file. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'bragbot.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bragbot-roles-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'roles.db')}`, LOG_LEVEL: 'warn', SLACK_MODE: 'off', TEAMS_MODE: 'off' };

async function bragbot(...args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env, cwd: dir });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('bragbot groups member --role', () => {
  it('grants and removes the board viewer and auditor roles; refuses a role that does not exist', async () => {
    expect((await bragbot('groups', 'add', 'cpb', '--name', 'Corporate Parenting Board')).code).toBe(0);
    expect((await bragbot('people', 'add', 'Cllr Ada Viewer')).code).toBe(0);
    expect((await bragbot('people', 'add', 'Ian Auditor')).code).toBe(0);
    expect((await bragbot('groups', 'member', 'cpb', 'Cllr Ada Viewer', '--role', 'board-viewer')).stdout).toContain('Cllr Ada Viewer is board-viewer of cpb');
    expect((await bragbot('groups', 'member', 'cpb', 'Ian Auditor', '--role', 'auditor')).code).toBe(0);
    const list = JSON.parse((await bragbot('groups', 'list', '--json')).stdout) as { members: { name: string; role: string }[] }[];
    expect(list[0]!.members).toEqual(expect.arrayContaining([{ name: 'Cllr Ada Viewer', role: 'board-viewer' }, { name: 'Ian Auditor', role: 'auditor' }]));
    expect((await bragbot('groups', 'member', 'cpb', 'Ian Auditor', '--role', 'auditor', '--remove')).stdout).toContain('no longer auditor');
    const bad = await bragbot('groups', 'member', 'cpb', 'Ian Auditor', '--role', 'viewer');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role must be one of chair, manager, member, board-viewer, auditor, admin');
  }, 90_000);
});
