/** Granting the roles of docs/access.md from the CLI, as a chair's administrator does: a real process and SQLite file. */
import { describe, expect, it } from 'vitest';
import { bragbotCli } from '../support/cli.js';

const { bragbot } = bragbotCli({ prefix: 'bragbot-roles-', dbFile: 'roles.db' });

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
