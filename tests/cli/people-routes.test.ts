/** `bragbot people … --routes`: a person's preferred route and fallbacks, checked before anything is saved. */
import { describe, expect, it } from 'vitest';
import { bragbotCli } from '../support/cli.js';

const { bragbot } = bragbotCli({ prefix: 'bragbot-routes-' });

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
