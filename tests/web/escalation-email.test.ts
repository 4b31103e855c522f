/**
 * Escalations and digests by email carry a link per action, as nudges do (issue 14 pt 2), under
 * the same signed-link rules: one person, one action, minted as the mail is sent, route 'email'.
 * They go to chairs and managers, so the link follows what the recipient may do (access.ts):
 * a chair's opens the form; a manager's opens the action to read, with who can update it; an
 * action the recipient may not see gets no link at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailPort } from '../../src/adapters/email/index.js';
import type { ActionCard } from '../../src/core/chat.js';
import { getActionCard } from '../../src/services/actions.js';
import { providers } from '../support/db.js';
import { makeAction, makeGroup } from '../support/factories.js';
import { Client, decodedMail, linksIn, SECRET, startSmtpServer, startWebHarness, type WebHarness } from './support.js';

const NOW = new Date('2026-12-01T10:00:00Z');

for (const provider of await providers()) {
  describe(`escalation and digest emails link each action (${provider})`, () => {
    let h: WebHarness;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let port: EmailPort;
    let cards: ActionCard[];
    let hidden: ActionCard;

    beforeAll(async () => {
      h = await startWebHarness(provider, { now: NOW });
      smtp = await startSmtpServer();
      port = new EmailPort({ db: h.database.db, workspaceId: h.world.workspaceId, clock: () => NOW, smtp: smtp.url, from: 'bragbot <bragbot@council.example>', signer: { secret: SECRET, ttlDays: 14 }, publicBaseUrl: h.web.url });
      const red = await makeAction(h.database.db, h.world.group.id, { ref: '4.1', activity: 'Placement sufficiency strategy agreed', brag: 'red', dueDate: '2026-11-02', ownerIds: [h.world.owner.id] });
      const amber = await makeAction(h.database.db, h.world.group.id, { ref: '4.2', activity: 'Recruitment campaign for foster carers', brag: 'amber', dueDate: '2026-11-16', ownerIds: [h.world.owner.id] });
      // An action of a group neither the chair nor the manager belongs to.
      const other = await makeGroup(h.database.db, h.world.workspaceId, { name: 'Youth Justice Board', slug: 'yjb' });
      const elsewhere = await makeAction(h.database.db, other.id, { ref: '9.9', activity: 'Out-of-court disposals reviewed', brag: 'red', dueDate: '2026-11-02', ownerIds: [h.world.stranger.id] });
      const card = async (id: string) => (await getActionCard(h.database.db, h.world.workspaceId, id, '2026-12-01'))!;
      cards = [await card(red.id), await card(amber.id)];
      hidden = await card(elsewhere.id);
    });
    afterAll(async () => {
      port?.close();
      await smtp?.stop();
      await h?.stop();
    });

    const send = async (personId: string, email: string, message: Parameters<EmailPort['send']>[1], key: string) => {
      const before = smtp.mails.length;
      await port.send({ platform: 'email', conversationId: email, personId }, message, { idempotencyKey: key, attempt: 1, recovering: false });
      expect(smtp.mails).toHaveLength(before + 1);
      return smtp.mails.at(-1)!;
    };

    it('a chair’s escalation links each action to its form', async () => {
      const mail = await send(h.world.chair.id, 'asha@example.gov.uk', { kind: 'escalation', recipientName: 'Asha Chair', reason: 'red', ownerName: 'Olu Owner', actions: cards }, 'esc:chair');
      const body = decodedMail(mail.raw);
      const links = linksIn(mail);
      expect(links).toHaveLength(2);
      expect(body).toContain('Update action 4.1: Blue, Green, Amber or Red');
      expect(body).toContain(`update it: ${links[0]}`);
      const stored = await h.database.db.signedLink.findMany({ where: { personId: h.world.chair.id } });
      expect(stored.map((l) => [l.purpose, l.actionId, l.route, l.outboxKey]).sort()).toEqual(cards.map((c) => ['action', c.actionId, 'email', 'esc:chair']).sort());
      const page = await new Client().open(links[0]!);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Placement sufficiency strategy agreed');
      expect(page.dom.window.document.querySelectorAll('form')).toHaveLength(4);
    });

    it('a manager’s digest links the actions they may see, to read: the page shows the action and who updates it, with no form', async () => {
      const mail = await send(h.world.manager.id, 'maya@example.gov.uk', { kind: 'digest', recipientName: 'Maya Manager', periodLabel: 'week to 1 December 2026', actions: [...cards, hidden] }, 'digest:maya');
      const body = decodedMail(mail.raw);
      const links = linksIn(mail);
      expect(links).toHaveLength(2); // none for the Youth Justice Board's action, which Maya may not see
      expect(body).toContain('Out-of-court disposals reviewed');
      expect(body).toContain('See action 4.2: its status, progress and evidence (its owners update it)');
      expect(body).toContain(`see it: ${links[1]}`);
      expect(body).not.toContain('Update action');
      const page = await new Client().open(links[1]!);
      expect(page.status).toBe(200);
      expect(page.dom.window.document.querySelector('h1')!.textContent).toBe('Action 4.2');
      expect(page.text).toContain('Recruitment campaign for foster carers');
      expect(page.text).toContain('Only the action’s owners, the group’s chair or an admin can update it.');
      expect(page.dom.window.document.querySelectorAll('form')).toHaveLength(0);
    });

    it('the same message sent again (a retry, a send repeated after a crash) carries the same links and stores no more; another message, its own', async () => {
      const message = { kind: 'escalation', recipientName: 'Asha Chair', reason: 'red', ownerName: 'Olu Owner', actions: cards } as const;
      const first = linksIn(await send(h.world.chair.id, 'asha@example.gov.uk', message, 'esc:retry'));
      const rows = await h.database.db.signedLink.count();
      const again = linksIn(await send(h.world.chair.id, 'asha@example.gov.uk', message, 'esc:retry'));
      expect(again).toEqual(first);
      expect(await h.database.db.signedLink.count()).toBe(rows);
      const other = linksIn(await send(h.world.chair.id, 'asha@example.gov.uk', message, 'esc:next-week'));
      expect(other).toHaveLength(2);
      for (const url of other) expect(first).not.toContain(url);
      expect(await h.database.db.signedLink.count()).toBe(rows + 2);
      // Still a working, signed link to the right action.
      const page = await new Client().open(again[0]!);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Placement sufficiency strategy agreed');
    });

    it('an update-round nudge links the round of the group that asked, even when another group has the same name', async () => {
      const twin = await makeGroup(h.database.db, h.world.workspaceId, { name: h.world.group.name, slug: 'twin-of-the-group' });
      const round = async (groupId: string | undefined, key: string) => {
        const meeting = { ...(groupId ? { groupId } : {}), groupName: h.world.group.name, date: '2026-12-09' };
        await send(h.world.owner.id, 'olu@example.gov.uk', { kind: 'nudge', reasons: ['update-round'], recipientName: 'Olu Owner', actions: [cards[0]!], meeting }, key);
        const link = await h.database.db.signedLink.findFirstOrThrow({ where: { outboxKey: key, purpose: 'round' } });
        const meetingRow = await h.database.db.meeting.findUniqueOrThrow({ where: { id: link.meetingId! } });
        return [link.groupId, meetingRow.groupId];
      };
      expect(await round(h.world.group.id, 'nudge:round:ours')).toEqual([h.world.group.id, h.world.group.id]);
      expect(await round(twin.id, 'nudge:round:twin')).toEqual([twin.id, twin.id]);
      // A message planned before the group's id was carried: found by its name, as it always was.
      expect((await round(undefined, 'nudge:round:legacy'))[0]).toBeDefined();
    });

    it('someone who may not see the action gets the refusal, not the action', async () => {
      const url = await h.link(h.world.manager.id, { purpose: 'action', actionId: hidden.actionId });
      const page = await new Client().open(url);
      expect(page.status).toBe(403);
      expect(page.text).not.toContain('Out-of-court disposals reviewed');
    });
  });
}
