/**
 * `bragbot demo` shows an email reaching an owner with no chat account and the form it links to
 * (issue 14): the demo is started as a user starts it (bin/bragbot.mjs demo, here without the
 * Playground), its printed output says where the mailbox is, the mailbox page lists the nudge
 * mailed to Priya Shah (email only), and its link opens her action's form, where a status is
 * recorded through the web, route email. In Chromium (when present) the mailbox page has no
 * WCAG 2.2 AA violation and does not scroll sideways at 320 px.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { DEMO_EMAIL_OWNER } from '../../src/services/demo.js';
import { browserAvailable, expectNoAxeViolations, launchChromium, scrollWidth } from '../support/browser.js';
import { Client, freePort } from './support.js';

const ROOT = join(import.meta.dirname, '..', '..');
const withBrowser = browserAvailable('the demo mailbox page’s axe-core check');

describe('the demo’s mailbox: an email-only owner’s nudge and the form it links to', () => {
  let child: ChildProcess;
  let dir: string;
  let stdout = '';
  let stderr = '';
  let mailboxUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bragbot-demo-'));
    const webPort = await freePort();
    child = spawn(process.execPath, [join(ROOT, 'bin', 'bragbot.mjs'), 'demo', '--no-playground', '--web-port', String(webPort)], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${join(dir, 'demo.db')}`, OPS_PORT: String(await freePort()), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const started = Date.now();
    for (;;) {
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/mailbox) and follow a link/.exec(stdout);
      if (m) {
        mailboxUrl = m[1]!;
        break;
      }
      if (child.exitCode !== null) throw new Error(`bragbot demo exited ${child.exitCode}: ${stderr}`);
      if (Date.now() - started > 90_000) throw new Error(`bragbot demo printed no mailbox address in 90 s:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(mailboxUrl).toBe(`http://127.0.0.1:${webPort}/mailbox`);
  }, 120_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The mailbox page, once it lists a mail to `to` (the demo plans its nudges on its first cycle). */
  async function mailboxWith(c: Client, to: string) {
    const started = Date.now();
    for (;;) {
      const page = await c.open(mailboxUrl);
      expect(page.status).toBe(200);
      const mail = [...page.dom.window.document.querySelectorAll('main section')].find((s) => s.textContent?.includes(`To ${to}`));
      if (mail) return mail;
      if (Date.now() - started > 90_000) throw new Error(`no mail to ${to} in the demo mailbox after 90 s: ${page.text.slice(0, 500)}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('says where to look, lists the nudge mailed to the owner with no chat account, and its link opens the form that records through the web', async () => {
    expect(stdout).toContain(`Email: ${DEMO_EMAIL_OWNER.name} (the NHS trust's nurse) has no chat account, so bragbot emails her nudges.`);
    // The demo's clock said as every other surface says a moment: London day and time, not a UTC instant.
    expect(stdout).toMatch(/its clock started at Thu 1 Jul 2021 at 09:00 UK time and now says Thu 1 Jul 2021 at 09:0\d UK time/);
    const c = new Client();
    const mail = await mailboxWith(c, DEMO_EMAIL_OWNER.email);
    expect(mail.querySelector('h2')!.textContent).toMatch(/^Action plan: \d+ actions? needs? your update$/);
    expect(mail.textContent).toContain('Hello Priya Shah');
    expect(mail.textContent).toContain('working day overdue');
    const link = mail.querySelector('a')!.getAttribute('href')!;
    expect(link).toMatch(new RegExp(`^${mailboxUrl.replace('/mailbox', '')}/l/[A-Za-z0-9_-]{24}\\.[A-Za-z0-9_-]{43}$`));

    const page = await c.open(link);
    expect(page.status).toBe(200);
    expect(page.dom.window.document.querySelector('h1')!.textContent).toMatch(/^Action \d+: update$/);
    expect(page.text).toContain('LeadPriya Shah');
    const done = await c.submit(c.form(page, 'progress', { status: 'amber', note: 'Two health assessments late: the nurse was off sick.' }));
    expect(done.status).toBe(200);
    // Only what changed: the form's pre-filled texts come back as they were.
    expect(done.text).toMatch(/^Recorded Recorded status Amber \(at risk\), a note by Priya Shah at \d\d:\d\d\./);
    expect((await c.open(link)).status).toBe(409);

    // What the demo's database now holds: one change, by her, through the web, carried by email.
    const db = await openDatabase(`file:${join(dir, 'demo.db')}`);
    try {
      const updates = await db.db.statusUpdate.findMany({ where: { person: { email: DEMO_EMAIL_OWNER.email } } });
      expect(updates.map((u) => [u.toBrag, u.channel, u.route])).toEqual([['amber', 'web', 'email']]);
    } finally {
      await db.close();
    }
  }, 120_000);

  it.skipIf(!withBrowser)('the mailbox page has no WCAG 2.2 AA violation and reflows at 320 px', async () => {
    await mailboxWith(new Client(), DEMO_EMAIL_OWNER.email);
    const browser = await launchChromium();
    try {
      for (const width of [1280, 320]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        await page.goto(mailboxUrl);
        await expectNoAxeViolations(page, `the demo mailbox at ${width} px`);
        if (width === 320) expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});
