/**
 * `bragbot groups link <slug> --person <ref>` (issue 15 pt 3): the command prints a signed link to
 * the group's plan page, and that link opens York's plan on the web pages over the same
 * database; no link is made for someone the page would refuse, nor without the web's settings.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { startWeb } from '../../src/web/index.js';
import { bragbotCli, ROOT } from '../support/cli.js';
import { Client, SECRET } from './support.js';

const YORK = join(ROOT, 'demo', 'york-delivery-plan-2021.csv');
const BASE = 'https://bragbot.york.example';
const cli = bragbotCli({ prefix: 'bragbot-plan-link-', env: { BRAGBOT_WORKSPACE: 'york', PUBLIC_BASE_URL: BASE, LINK_SECRET: SECRET } });
const { dir, databaseUrl: DB_URL } = cli;
const bragbot = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => cli.bragbotWith(extraEnv, ...args);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bragbot groups link', () => {
  it('prints a link that opens York’s plan for a member; refuses a non-member and a deployment without the web settings, with exit 2 and no link', async () => {
    expect((await bragbot(['import', YORK, '--group', 'york'])).code).toBe(0);
    expect((await bragbot(['people', 'add', 'Rita Member', '--email', 'rita@york.example'])).code).toBe(0);
    expect((await bragbot(['people', 'add', 'Sam Stranger', '--email', 'sam@york.example'])).code).toBe(0);
    expect((await bragbot(['groups', 'member', 'york', 'Rita Member', '--role', 'member'])).code).toBe(0);

    const out = await bragbot(['groups', 'link', 'york', '--person', 'rita@york.example']);
    expect(out.stderr.replace(/^bragbot: dist\/.*\n/m, '')).toBe('');
    expect(out.code).toBe(0);
    const [url, about] = out.stdout.trim().split('\n');
    expect(url).toMatch(new RegExp(`^${BASE}/l/[A-Za-z0-9_-]{24}\\.[A-Za-z0-9_-]{43}$`));
    // When it stops working, in the words and the time zone every other surface uses (not an ISO instant in UTC).
    expect(about).toMatch(/^for Rita Member: york's plan and its papers, read-only; works until (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4} at \d{2}:\d{2} UK time \(LINK_TTL_DAYS=14 days\)/);
    const json = JSON.parse((await bragbot(['groups', 'link', 'york', '--person', 'Rita Member', '--json'])).stdout) as { url: string; person: string; group: string };
    expect(json).toMatchObject({ group: 'york', person: 'Rita Member' });
    expect(json.url).not.toBe(url);

    // The printed link opens the plan on the web pages over the same database (the path is all that matters).
    const database = await openDatabase(DB_URL);
    const ws = await database.db.workspace.findFirstOrThrow({ where: { slug: 'york' } });
    const web = await startWeb({ db: database.db, workspaceId: ws.id, clock: () => new Date(), logger: pino({ level: 'silent' }), signer: { secret: SECRET, ttlDays: 14 }, ratePerMinute: 30, publicBaseUrl: BASE }, '127.0.0.1', 0);
    try {
      const page = await new Client().open(url!.replace(BASE, web.url));
      expect(page.status).toBe(200);
      expect(page.dom.window.document.querySelectorAll('li.plan-action')).toHaveLength(48);
    } finally {
      await web.stop();
      await database.close();
    }

    const refused = await bragbot(['groups', 'link', 'york', '--person', 'Sam Stranger']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('no link made: Sam Stranger cannot open york\'s plan page. Only members of the group and its board can see its highlight reports.');

    const unset = await bragbot(['groups', 'link', 'york', '--person', 'Rita Member'], { LINK_SECRET: undefined });
    expect(unset.code).toBe(2);
    expect(unset.stdout).toBe('');
    expect(unset.stderr).toContain('a link needs the web pages: set PUBLIC_BASE_URL');
  }, 120_000);
});
