/**
 * The demo's mailbox page (GET /mailbox, mounted only by `bragbot demo`): every mail the demo's
 * email port "sent", newest first, each with its signed links as links, so a person running the
 * demo can open the form an owner with no chat account is sent. It lists every demo person's
 * mail, which is why only the demo mounts it (and the demo listens on 127.0.0.1).
 */
import type { DemoMailbox } from '../../adapters/email/mailbox.js';
import { ukDate } from '../../core/text.js';
import { londonDate } from '../../core/calendar.js';
import { html, type Html } from '../html.js';
import { sendPage, type WebRoutes } from '../index.js';

export const MAILBOX_PATH = '/mailbox';

/** A mail's plain text with each web address made a link (everything else escaped as text). */
function withLinks(text: string): Html {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<a href="${p}">${p}</a>` : html`${p}`))}`;
}

const timeOf = (at: Date) => at.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

export function mailboxRoutes(mailbox: DemoMailbox): WebRoutes {
  return (router) => {
    router.get(MAILBOX_PATH, (_req, res) => {
      const mails = mailbox.mails;
      const list = mails.map((m, i) => html`<section class="part" aria-labelledby="mail-${i}">
<h2 id="mail-${i}">${m.subject}</h2>
<p class="hint">To ${m.to}${m.at ? `, ${ukDate(londonDate(m.at))} at ${timeOf(m.at)} (the demo’s clock)` : ''}</p>
<p class="mail">${withLinks(m.text)}</p>
</section>`);
      sendPage(res, {
        title: 'Demo mailbox',
        main: html`<p>The mail bragbot has sent in this demo, newest first, to everyone it cannot reach in chat: Priya Shah of the NHS trust, who has no chat account, and anyone else while no chat is connected. Each action has a link to its page, where its owner records a status, progress or a note.</p>
${mails.length ? list : html`<p>No mail yet. Nudges are planned every minute: reload this page in a moment.</p>`}`,
      });
    });
  };
}
