/**
 * The demo's mailbox: a nodemailer transport that keeps each mail in memory instead of sending
 * it, so `bragbot demo` shows an email reaching someone with no chat account without any mail
 * server. The mails go through the real EmailPort (the same rendering, the same signed links);
 * the demo's web pages list them at /mailbox (src/web/pages/mailbox.ts). Never used by `serve`.
 */
import nodemailer, { type Transport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Clock } from '../../clock.js';

export interface MailboxMail {
  /** When it was "sent", on the deployment's clock (null before the demo handed the mailbox its clock). */
  at: Date | null;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export class DemoMailbox {
  /** Newest first. Held in memory: the links in them are only good for this run's LINK_SECRET anyway. */
  readonly mails: MailboxMail[] = [];
  readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  private clock: Clock | undefined;

  /** The transport exists before bragbot starts (it is handed to startBragbot); the clock only after. */
  useClock(clock: Clock): void {
    this.clock = clock;
  }

  constructor(private readonly keep = 200) {
    // Answers as an SMTP server that took the mail would, so the email port cannot tell the difference.
    const inMemory: Transport<SMTPTransport.SentMessageInfo> = {
      name: 'bragbot-demo-mailbox',
      version: '1',
      send: (mail, callback) => {
        const d = mail.data;
        this.mails.unshift({ at: this.clock?.() ?? null, to: String(d.to ?? ''), subject: String(d.subject ?? ''), text: String(d.text ?? ''), html: String(d.html ?? '') });
        this.mails.length = Math.min(this.mails.length, this.keep);
        callback(null, { envelope: mail.message.getEnvelope(), messageId: String(d.messageId ?? ''), accepted: [String(d.to ?? '')], rejected: [], pending: [], response: '250 kept in the demo mailbox', envelopeTime: 0, messageTime: 0, messageSize: d.text ? String(d.text).length : 0 });
      },
    };
    this.transport = nodemailer.createTransport(inMemory);
  }
}
