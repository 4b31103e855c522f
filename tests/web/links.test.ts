/**
 * Signed links and what the web does with a bad one (issue 14 pt 5): tampered, unknown,
 * expired, reused for a write, another organisation's, a forged form (no CSRF), too many
 * requests: each gets a page that says so in words, and nothing is written. Tokens never reach
 * the logs, and the URL holds nothing but the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLink, issueLink, linkUrl, openLink, releaseLink, verifySignature } from '../../src/services/links.js';
import { problemSentence } from '../../src/web/problems.js';
import { providers } from '../support/db.js';
import { makeAction, makePerson, makeWorkspace } from '../support/factories.js';
import { Client, SECRET, startWebHarness, type WebHarness } from './support.js';

const NOW = new Date('2026-12-01T10:00:00Z');

for (const provider of await providers()) {
  describe(`signed links and the web pages (${provider})`, () => {
    let h: WebHarness;
    beforeAll(async () => {
      h = await startWebHarness(provider, { now: NOW, ratePerMinute: 12 });
    });
    afterAll(async () => h?.stop());

    const ownedAction = () => makeAction(h.database.db, h.world.group.id, { brag: 'green', dueDate: '2026-11-20', ownerIds: [h.world.owner.id] });
    const updates = (actionId: string) => h.database.db.statusUpdate.count({ where: { actionId } });

    it('the home page says how to get in: a link — and sign-in only where it is configured', async () => {
      const home = await new Client().open(`${h.web.url}/`);
      expect(home.status).toBe(200);
      expect(home.text).toContain('Open the link in the message bragbot sent you');
      expect(home.html).not.toContain('/auth/login');
      const withSignIn = await startWebHarness(provider, { now: NOW, signedInPerson: () => null });
      try {
        const offered = await new Client().open(`${withSignIn.web.url}/`);
        expect(offered.dom.window.document.querySelector('a[href="/auth/login"]')?.textContent).toBe('Sign in with your work account');
      } finally {
        await withSignIn.stop();
      }
    });

    it('a token is signed, stored only as its hash, and checked before any read', async () => {
      const a = await ownedAction();
      const { token } = await issueLink(h.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: h.world.workspaceId, personId: h.world.owner.id, scope: { purpose: 'action', actionId: a.id }, now: NOW });
      expect(verifySignature(SECRET, token)).toBe(true);
      expect(verifySignature('another-secret-0123456789abcdef-xyz', token)).toBe(false);
      const stored = await h.database.db.signedLink.findMany();
      expect(JSON.stringify(stored)).not.toContain(token);
      expect(JSON.stringify(stored)).not.toContain(token.split('.')[0]);
      expect((await openLink(h.database.db, SECRET, token, NOW)).ok).toBe(true);
      expect(await openLink(h.database.db, SECRET, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, NOW)).toEqual({ ok: false, problem: 'tampered' });
      const later = new Date(NOW.getTime() + 15 * 86_400_000);
      expect(await openLink(h.database.db, SECRET, token, later)).toMatchObject({ ok: false, problem: 'expired' });
    });

    it('one write uses a link up; the same write again is let through (to be answered "already recorded"); a write that records nothing gives it back', async () => {
      const a = await ownedAction();
      const { id } = await issueLink(h.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: h.world.workspaceId, personId: h.world.owner.id, scope: { purpose: 'action', actionId: a.id }, now: NOW });
      const [x, y] = await Promise.all([claimLink(h.database.db, id, 'k1', NOW), claimLink(h.database.db, id, 'k2', NOW)]);
      expect([x, y].sort()).toEqual(['claimed', 'used']);
      const winner = x === 'claimed' ? 'k1' : 'k2';
      expect(await claimLink(h.database.db, id, winner, NOW)).toBe('same-write');
      await releaseLink(h.database.db, id, winner);
      expect(await claimLink(h.database.db, id, 'k3', NOW)).toBe('claimed');
    });

    it('a tampered, unknown or expired link gets a page that says so, and writes nothing', async () => {
      const a = await ownedAction();
      const url = await h.link(h.world.owner.id, { purpose: 'action', actionId: a.id });
      const c = new Client();
      const tampered = await c.open(url.replace(/.$/, (ch) => (ch === 'x' ? 'y' : 'x')));
      expect(tampered.status).toBe(400);
      expect(tampered.text).toContain(problemSentence('tampered'));
      const made = await c.open(`${h.web.url}/l/AAAAAAAAAAAAAAAAAAAAAAAA.${'A'.repeat(43)}`);
      expect(made.status).toBe(400);
      const page = await c.open(url);
      expect(page.status).toBe(200);
      // Tampering with the form's target (another token) is a tampered link, not a write.
      const s = c.form(page, 'brag', {}, ['brag', 'red']);
      const forged = await c.submit({ ...s, url: s.url.replace(/.$/, (ch) => (ch === 'x' ? 'y' : 'x')) });
      expect(forged.status).toBe(400);
      h.setNow(new Date(NOW.getTime() + 15 * 86_400_000));
      try {
        const expired = await c.submit(s);
        expect(expired.status).toBe(410);
        expect(expired.text).toContain(problemSentence('expired'));
      } finally {
        h.setNow(NOW);
      }
      expect(await updates(a.id)).toBe(0);
    });

    it('a form without its CSRF cookie or token is refused and writes nothing', async () => {
      const a = await ownedAction();
      const url = await h.link(h.world.owner.id, { purpose: 'action', actionId: a.id });
      const c = new Client();
      const page = await c.open(url);
      const s = c.form(page, 'brag', {}, ['brag', 'red']);
      const noToken = await c.submit({ ...s, fields: s.fields.filter(([k]) => k !== 'csrf') });
      expect(noToken.status).toBe(403);
      expect(noToken.text).toContain(problemSentence('csrf'));
      const other = new Client(); // another browser: the form without the cookie it was made for
      const noCookie = await other.submit(s);
      expect(noCookie.status).toBe(403);
      expect(await updates(a.id)).toBe(0);
      const ok = await c.submit(s);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('Recorded Red (off track) (was Green) by Olu Owner at 10:00.');
      expect(await updates(a.id)).toBe(1);
    });

    it('after a write through an emailed link, "make another change" is a new link that writes', async () => {
      const a = await ownedAction();
      // Minted as the email port mints it: into the outbox message, the same on every send of it.
      const { token } = await issueLink(h.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: h.world.workspaceId, personId: h.world.owner.id, scope: { purpose: 'action', actionId: a.id }, now: NOW, outboxKey: 'nudge:olu:2026-12-01', route: 'email', inMessage: true });
      const url = linkUrl(h.web.url, token);
      const c = new Client();
      const done = await c.submit(c.form(await c.open(url), 'brag', {}, ['brag', 'amber']));
      expect(done.text).toContain('Recorded Amber');
      const next = [...done.dom.window.document.querySelectorAll('a')].find((el) => el.textContent === 'Make another change to this action')?.href;
      expect(next).toBeDefined();
      expect(next).not.toBe(url);
      const second = await c.submit(c.form(await c.open(next!), 'brag', {}, ['brag', 'red']));
      expect(second.status).toBe(200);
      expect(second.text).toContain('Recorded Red');
      expect(await updates(a.id)).toBe(2);
    });

    it('a link used for a write cannot write again; the same submission replayed says "already recorded"', async () => {
      const a = await ownedAction();
      const url = await h.link(h.world.owner.id, { purpose: 'action', actionId: a.id });
      const c = new Client();
      const page = await c.open(url);
      const first = c.form(page, 'brag', {}, ['brag', 'amber']);
      expect((await c.submit(first)).text).toContain('Recorded Amber');
      expect((await c.submit(first)).text).toContain('Already recorded: Amber (at risk) by Olu Owner at 10:00.');
      // Another button of the same form is the same submission: still one write.
      expect((await c.submit(c.form(page, 'brag', {}, ['brag', 'red']))).text).toContain('Already recorded: Amber');
      const again = await c.submit(c.form(page, 'progress', { status: 'red' }));
      expect(again.status).toBe(409);
      expect(again.text).toContain(problemSentence('used'));
      const snooze = await c.submit(c.form(page, 'snooze'));
      expect(snooze.status).toBe(409);
      expect((await c.open(url)).status).toBe(409);
      expect(await updates(a.id)).toBe(1);
      expect(await h.database.db.snooze.count({ where: { actionId: a.id } })).toBe(0);
      expect((await h.database.db.action.findUniqueOrThrow({ where: { id: a.id } })).brag).toBe('amber');
    });

    it('another organisation’s link is refused', async () => {
      const elsewhere = await makeWorkspace(h.database.db, 'elsewhere');
      const them = await makePerson(h.database.db, elsewhere, { name: 'Other Person' });
      const { token } = await issueLink(h.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: elsewhere, personId: them.id, scope: { purpose: 'action', actionId: 'x' }, now: NOW });
      const page = await new Client().open(`${h.web.url}/l/${token}`);
      expect(page.status).toBe(403);
      expect(page.text).toContain(problemSentence('foreign'));
    });

    it('a link is rate limited per link: 429 with Retry-After, other links unaffected', async () => {
      const a = await ownedAction();
      const url = await h.link(h.world.owner.id, { purpose: 'action', actionId: a.id });
      const other = await h.link(h.world.owner.id, { purpose: 'action', actionId: a.id });
      const c = new Client();
      const statuses: number[] = [];
      for (let i = 0; i < 13; i += 1) statuses.push((await c.open(url)).status);
      expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true);
      const limited = await c.open(url);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.text).toContain(problemSentence('rate-limited'));
      expect((await c.open(other)).status).toBe(200);
      h.setNow(new Date(NOW.getTime() + 61_000));
      try {
        expect((await c.open(url)).status).toBe(200);
      } finally {
        h.setNow(NOW);
      }
    });

    it('pages are not cached, leak no Referer, run no script; the logs never hold a token; URLs hold nothing but it', async () => {
      const a = await ownedAction();
      const url = await h.link(h.world.owner.id, { purpose: 'action', actionId: a.id });
      const c = new Client();
      const page = await c.open(url);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.html).not.toMatch(/<script/i);
      await c.submit(c.form(page, 'progress', { status: 'amber', note: 'Waiting on the CAMHS figures' }));
      const token = new URL(url).pathname.split('/').at(-1)!;
      const all = h.logs.join('');
      expect(all).toContain('web request');
      expect(all).not.toContain(token);
      expect(all).not.toContain(token.split('.')[0]);
      expect(all).not.toContain(token.split('.')[1]);
      expect(all).not.toContain('Waiting on the CAMHS figures');
      // The link: base URL, /l/, the token. No name, email, ref, group or action id.
      expect(new URL(url).pathname).toMatch(/^\/l\/[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}$/);
      for (const form of page.dom.window.document.querySelectorAll('form')) expect(form.getAttribute('action')).toBe(new URL(url).pathname);
      expect(url).not.toContain(a.id);
    });
  });
}
