/**
 * Done when (issue 14): a person with only an email address gets the overdue nudge by mail
 * (a real SMTP server, smtp-server, receives it from nodemailer), opens the link, records Amber
 * with a note on the page, and the audit shows it once, channel `web`, route `email`; replaying
 * or reusing the link, or altering it, writes nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/app/serve.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { runNudgeCycle } from '../../src/scheduling/cycle.js';
import { auditRows } from '../../src/services/audit.js';
import { problemSentence } from '../../src/web/problems.js';
import { providers } from '../support/db.js';
import { Client, decodedMail as decoded, startEmailOnlyStack, type EmailOnlyIds, type EmailOnlyStack, type Mail } from './support.js';

const NOW = new Date('2026-12-01T10:00:00Z'); // a Tuesday, 10:00 London: inside working hours

for (const provider of await providers()) {
  describe(`email and the web page, end to end (${provider})`, () => {
    let mails: Mail[] = [];
    let stack: EmailOnlyStack;
    let running: Running;
    let ids: EmailOnlyIds;

    beforeAll(async () => {
      // The plan: an owner bragbot knows only by email (no Slack, no Teams), with an overdue action.
      stack = await startEmailOnlyStack(provider, NOW, 'an-end-to-end-test-secret-of-forty-chars!');
      ({ running, ids } = stack);
      mails = stack.smtp.mails;
    }, 60_000);
    afterAll(async () => stack?.stop());

    it('the overdue nudge arrives by mail; Amber with a note on the linked page is audited once as web, route email; reuse or alteration writes nothing', async () => {
      const { db } = running.database;
      const cycle = await runNudgeCycle(db, { workspaceId: ids.workspaceId, now: NOW, platforms: running.ports.map((p) => p.platform), lastRunAt: null });
      expect(cycle.written.inserted.length).toBe(1);
      const dispatcher = new Dispatcher({ db, provider, ports: running.ports, instanceId: 't', clock: () => NOW });
      expect((await dispatcher.drain({ maxWaitMs: 100 })).sent).toBe(1);
      const row = await db.outboxMessage.findFirstOrThrow({ where: { personId: ids.personId } });
      expect(row).toMatchObject({ status: 'sent', platform: 'email', route: 'email' });

      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.to).toEqual(['hana.health@nhs.example']);
      const body = decoded(mail.raw);
      expect(body).toMatch(/^Subject: Action plan: 1 action needs your update/m);
      expect(body).toContain('Content-Type: text/plain');
      expect(body).toContain('Content-Type: text/html');
      expect(body).toContain('CAMHS waiting times for children in care');
      expect(body).toContain('7 working days overdue');
      const links = [...new Set(body.match(/http:\/\/127\.0\.0\.1:\d+\/l\/[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}/g) ?? [])];
      expect(links).toHaveLength(1); // the same link in the text and the HTML part
      const link = links[0]!;

      const c = new Client();
      const page = await c.open(link);
      expect(page.status).toBe(200);
      expect(page.text).toContain('CAMHS waiting times for children in care');
      const form = c.form(page, 'progress', { status: 'amber', note: 'Referrals up 30%; a second clinician starts in January.' });
      const done = await c.submit(form);
      expect(done.text).toContain('Recorded status Amber (at risk), a note by Hana Health at 10:00.');

      // The exact submission again, the link opened again, a new form from it, the link altered: nothing more.
      expect((await c.submit(form)).text).toContain('Already recorded');
      expect((await c.open(link)).status).toBe(409);
      expect((await c.submit({ ...form, fields: form.fields.map(([k, v]) => [k, k === 'status' ? 'red' : v] as [string, string]) })).text).toContain('Already recorded');
      const altered = await c.open(link.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a')));
      expect(altered.status).toBe(400);
      expect(altered.text).toContain(problemSentence('tampered'));

      const audit = (await auditRows(db, ids.workspaceId, { groupId: ids.groupId })).filter((r) => r.brag);
      expect(audit.map((r) => [r.who, r.channel, r.route, r.fromValue, r.toValue, r.note])).toEqual([
        ['Hana Health', 'web', 'email', 'green', 'amber', 'Referrals up 30%; a second clinician starts in January.'],
      ]);
      expect((await db.action.findUniqueOrThrow({ where: { id: ids.actionId } })).brag).toBe('amber');
    }, 60_000);
  });
}
