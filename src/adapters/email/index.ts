/**
 * Email as a delivery port (issue 14 pt 2): nodemailer over SMTP_URL, from SMTP_FROM. For each
 * action a message lists (a nudge, a "not mine" to the chair, an escalation, a manager's digest)
 * the mail carries a signed link to the action's page, and a nudge for an update round links to
 * the meeting's section page; the links are minted as the mail is sent, for that person, recorded
 * with the outbox key and route 'email' (so a change made through one is audited as such). An
 * escalation or digest links only the actions its recipient may see (access.ts decides), and says
 * which of them they may also update: a manager's link opens the action to read.
 *
 * SMTP's answers in the outbox's terms: 550/551/553 (no such mailbox) mean the person cannot be
 * reached by email, so the dispatcher tries their next route; other 5xx are permanent; 4xx and
 * connection failures are transient and retried. SMTP cannot be asked whether an earlier attempt
 * arrived, so a recovering send may repeat a mail; every attempt at one outbox row carries the
 * same Message-ID, so mail systems that deduplicate will show it once.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Clock } from '../../clock.js';
import { RouteUnavailableError, TransientChatError, type ChatAddress, type ChatPort, type OutboundMessage, type SendContext, type SendResult } from '../../core/chat.js';
import { BragbotError } from '../../core/errors.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../logging.js';
import { actionsAllowed } from '../../services/access.js';
import { issueLink, linkUrl, type LinkSigner } from '../../services/links.js';
import { renderEmail } from './render.js';

export interface EmailPortOptions {
  db: Db;
  workspaceId: string;
  clock: Clock;
  /** SMTP_URL, or a nodemailer transport (tests may pass one). */
  smtp: string | Transporter;
  from: string;
  signer: LinkSigner;
  publicBaseUrl: string;
  logger?: Logger | undefined;
}

interface SmtpErrorLike {
  responseCode?: unknown;
  code?: unknown;
  message?: unknown;
}

export function toChatError(e: unknown): Error {
  const err = (e ?? {}) as SmtpErrorLike;
  const status = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  if (status !== undefined) {
    if ([550, 551, 553].includes(status)) return new RouteUnavailableError(`the mail server refused the address: SMTP ${status}`);
    if (status >= 500) return new Error(`the mail server refused the message: SMTP ${status}`);
    return new TransientChatError(`the mail server said try later: SMTP ${status}`);
  }
  // No SMTP answer: connection refused, reset, DNS, TLS, timeout.
  if (typeof err.code === 'string') return new TransientChatError(`could not reach the mail server: ${err.code}`);
  return e instanceof Error ? e : new Error(String(e));
}

export class EmailPort implements ChatPort {
  readonly platform = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly o: EmailPortOptions) {
    this.transport = typeof o.smtp === 'string' ? nodemailer.createTransport(o.smtp) : o.smtp;
  }

  async send(to: ChatAddress, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    if (to.platform !== 'email') throw new Error(`the email port cannot send to ${to.platform}`);
    const links = await this.linksFor(to.personId, message, context?.idempotencyKey);
    const mail = renderEmail(message, { ...links, linkDays: this.o.signer.ttlDays });
    const key = context?.idempotencyKey ?? `${this.o.clock().getTime()}`;
    const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@bragbot>`;
    try {
      const info = await this.transport.sendMail({ from: this.o.from, to: to.conversationId, subject: mail.subject, text: mail.text, html: mail.html, messageId });
      return { providerMessageId: String(info.messageId ?? messageId), conversationId: to.conversationId };
    } catch (e) {
      throw toChatError(e);
    }
  }

  /**
   * A link per action in the message, and the round's page for an update-round nudge. A nudge or
   * a "not mine" asks its recipient to act on each action; an escalation or a digest goes to a
   * chair or a manager, so only the actions they may see get a link, and those they may not
   * update are marked read-only (the page then shows the action, not a form).
   */
  private async linksFor(personId: string | undefined, m: OutboundMessage, outboxKey: string | undefined) {
    const actions = new Map<string, string>();
    const readOnly = new Set<string>();
    let round: string | undefined;
    if (!personId) return { actions, readOnly, round };
    const now = this.o.clock();
    const mint = async (scope: Parameters<typeof issueLink>[2]['scope']) =>
      linkUrl(this.o.publicBaseUrl, (await issueLink(this.o.db, this.o.signer, { workspaceId: this.o.workspaceId, personId, scope, now, outboxKey, route: 'email', inMessage: true })).token);
    let asked = m.kind === 'nudge' ? m.actions : m.kind === 'not-mine' ? [m.action] : [];
    if (m.kind === 'escalation' || m.kind === 'digest') {
      const ids = m.actions.map((a) => a.actionId);
      const [seen, updatable] = await Promise.all([
        actionsAllowed(this.o.db, this.o.workspaceId, personId, ids, 'action.read'),
        actionsAllowed(this.o.db, this.o.workspaceId, personId, ids, 'action.update'),
      ]);
      asked = m.actions.filter((a) => seen.has(a.actionId));
      for (const a of asked) if (!updatable.has(a.actionId)) readOnly.add(a.actionId);
    }
    for (const a of asked) actions.set(a.actionId, await mint({ purpose: 'action', actionId: a.actionId }));
    if (m.kind === 'nudge' && m.meeting && m.reasons.includes('update-round')) {
      // By the group's id (two groups may share a name); by name only for a message planned before the id was carried.
      const where = m.meeting.groupId ? { id: m.meeting.groupId } : { name: m.meeting.groupName };
      const group = await this.o.db.group.findFirst({ where: { workspaceId: this.o.workspaceId, ...where }, select: { id: true } });
      if (group) {
        const meeting = await this.o.db.meeting.upsert({ where: { groupId_date: { groupId: group.id, date: m.meeting.date } }, create: { groupId: group.id, date: m.meeting.date }, update: {}, select: { id: true } });
        round = await mint({ purpose: 'round', meetingId: meeting.id, groupId: group.id });
      }
    }
    return { actions, readOnly, round };
  }

  /** Checks the SMTP server answers (serve's readiness). */
  async verify(): Promise<void> {
    await this.transport.verify().catch((e: unknown) => {
      throw new BragbotError('CONFIG_INVALID', `SMTP_URL: the mail server did not answer (${toChatError(e).message})`);
    });
  }

  close(): void {
    this.transport.close();
  }
}
