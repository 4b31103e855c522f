/**
 * Issue 15: trusting a partner organisation from the CLI, as a chair's administrator does (a real
 * process and SQLite file), recorded with who and when; and docs/access.md's partner section
 * names only commands and options the CLI has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/cli/commands/index.js';
import { bragbotCli } from '../support/cli.js';

const { bragbot } = bragbotCli({ prefix: 'bragbot-partners-', dbFile: 'partners.db' });

const TENANT = '3f1c5a7e-8b2d-4e6f-9a0b-1c2d3e4f5a6b';

describe('bragbot groups partner', () => {
  it('trusts and removes a Slack workspace and a Teams tenant, records each change once, and refuses ids that are not', async () => {
    expect((await bragbot('groups', 'add', 'cypic', '--name', 'Children in Care Partnership')).code).toBe(0);
    expect((await bragbot('groups', 'partner', 'cypic')).stdout).toContain('cypic trusts no partner organisation');
    expect((await bragbot('groups', 'partner', 'cypic', '--slack-team', 'T0NYPOLICE', '--name', 'North Yorkshire Police')).stdout).toContain('cypic now trusts Slack workspace T0NYPOLICE');
    expect((await bragbot('groups', 'partner', 'cypic', '--slack-team', 'T0NYPOLICE')).stdout).toContain('already trusts Slack workspace T0NYPOLICE: nothing changed');
    expect((await bragbot('groups', 'partner', 'cypic', '--teams-tenant', TENANT.toUpperCase())).stdout).toContain(`now trusts Teams tenant ${TENANT}`);
    expect((await bragbot('groups', 'partner', 'cypic', '--teams-tenant', TENANT, '--remove')).stdout).toContain(`no longer trusts Teams tenant ${TENANT}`);
    const listed = JSON.parse((await bragbot('groups', 'partner', 'cypic', '--json')).stdout) as { partners: { platform: string; orgId: string; name: string | null }[]; history: { change: string; orgId: string; by: string; at: string }[] };
    expect(listed.partners).toEqual([expect.objectContaining({ platform: 'slack', orgId: 'T0NYPOLICE', name: 'North Yorkshire Police' })]);
    expect(listed.history.map((h) => [h.change, h.orgId])).toEqual([['trusted', 'T0NYPOLICE'], ['trusted', TENANT], ['removed', TENANT]]);
    expect(listed.history.every((h) => h.by.startsWith('cli:') && !Number.isNaN(Date.parse(h.at)))).toBe(true);

    const bad = await bragbot('groups', 'partner', 'cypic', '--teams-tenant', 'not-a-guid');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('an Entra tenant id (a GUID)');
    expect((await bragbot('groups', 'partner', 'cypic', '--slack-team', 'U0PERSON')).stderr).toContain('a Slack team id such as T012ABCDEF');
    expect((await bragbot('groups', 'partner', 'cypic', '--remove')).code).toBe(2);

    expect((await bragbot('people', 'add', 'Sam Dale', '--slack', 'U0DALE', '--slack-team', 'T0NYPOLICE')).code).toBe(0);
    const people = JSON.parse((await bragbot('people', 'list', '--json')).stdout) as { name: string; slackUserId: string; slackTeamId?: string }[];
    expect(people.find((p) => p.name === 'Sam Dale')).toMatchObject({ slackUserId: 'U0DALE', slackTeamId: 'T0NYPOLICE' });
  }, 120_000);
});

describe('docs/access.md: partner organisations', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'access.md'), 'utf8');
  const section = /<!-- partners:start[^>]*-->([\s\S]*?)<!-- partners:end -->/.exec(doc)?.[1] ?? '';

  it('is there, and every bragbot command line in it uses options the CLI has', () => {
    const program = new Command();
    registerCommands(program);
    const lines = section.split('\n').filter((l) => l.startsWith('bragbot '));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const words = line.replace(/#.*$/, '').trim().split(/\s+/).slice(1);
      let cmd: Command | undefined = program;
      for (const w of words.slice(0, 2)) cmd = cmd?.commands.find((c) => c.name() === w) ?? cmd;
      const known = new Set(cmd!.options.map((o) => o.long));
      for (const flag of words.filter((w) => w.startsWith('--'))) expect([line, known.has(flag)]).toEqual([line, true]);
    }
    expect(section).toMatch(/groups partner cypic --slack-team/);
    expect(section).toMatch(/groups partner cypic --teams-tenant/);
    expect(section).toMatch(/--remove/);
  });

  it('says what the access module decides for each kind of caller', () => {
    for (const phrase of ['anyone else from that workspace or tenant', 'never a workspace admin', 'does not (or no longer) trusts it']) expect(section).toContain(phrase);
  });
});
