/**
 * The web pages as tests drive them without a browser: the real express app on a free port,
 * a database of the standard group, a settable clock, the logs captured as text (to grep for
 * tokens), and a client that keeps cookies and sends a page's forms as a browser would.
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { JSDOM } from 'jsdom';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { startBragbot, type Running } from '../../src/app/serve.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DbProvider } from '../../src/db/client.js';
import { silentLogger } from '../../src/logging.js';
import { issueLink, linkUrl, type LinkScope } from '../../src/services/links.js';
import { startWeb, type WebContext, type WebServer } from '../../src/web/index.js';
import { createTestDatabase, createTestDatabaseUrl, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeStandardGroup, makeWorkspace } from '../support/factories.js';

export const SECRET = 'test-link-secret-0123456789abcdef-0123456789';

export interface WebHarness {
  database: TestDatabase;
  world: Awaited<ReturnType<typeof makeStandardGroup>>;
  web: WebServer;
  /** Everything logged, as JSON lines. */
  logs: string[];
  setNow(at: Date): void;
  now(): Date;
  link(personId: string, scope: LinkScope, extra?: { route?: string; outboxKey?: string; ttlMs?: number }): Promise<string>;
  stop(): Promise<void>;
}

export async function startWebHarness(
  provider: DbProvider,
  opts: { now?: Date; ratePerMinute?: number; withWorld?: boolean; signedInPerson?: WebContext['signedInPerson'] } = {},
): Promise<WebHarness> {
  const database = await createTestDatabase(provider);
  const world = await makeStandardGroup(database.db);
  let now = opts.now ?? new Date('2026-12-01T10:00:00Z');
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
  const signer = { secret: SECRET, ttlDays: 14 };
  let base = 'http://127.0.0.1:1';
  const ctx = { db: database.db, workspaceId: world.workspaceId, clock: () => now, logger, signer, ratePerMinute: opts.ratePerMinute ?? 30, signedInPerson: opts.signedInPerson, get publicBaseUrl() { return base; } };
  const web = await startWeb(ctx, '127.0.0.1', 0);
  base = web.url;
  return {
    database, world, web, logs,
    setNow: (at) => void (now = at),
    now: () => now,
    async link(personId, scope, extra = {}) {
      const { token } = await issueLink(database.db, signer, { workspaceId: world.workspaceId, personId, scope, now, ...extra });
      return linkUrl(web.url, token);
    },
    async stop() {
      await web.stop();
      await database.destroy();
    },
  };
}

export interface Page {
  status: number;
  url: string;
  html: string;
  /** The main content's text, whitespace collapsed. */
  text: string;
  headers: Headers;
  dom: JSDOM;
}

export interface Submission {
  url: string;
  fields: [string, string][];
}

/** A client with a cookie jar: what a browser with no JavaScript does. */
export class Client {
  private readonly cookies = new Map<string, string>();

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      this.cookies.set(k!.trim(), v.join('='));
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  forgetCookies(): void {
    this.cookies.clear();
  }

  private async read(url: string, res: Response): Promise<Page> {
    this.keep(res);
    const html = await res.text();
    const dom = new JSDOM(html, { url });
    const main = dom.window.document.querySelector('main');
    return { status: res.status, url, html, text: (main?.textContent ?? '').replace(/\s+/g, ' ').trim(), headers: res.headers, dom };
  }

  async open(url: string): Promise<Page> {
    const res = await fetch(url, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    return this.read(url, res);
  }

  /** The form on the page whose hidden `verb` is `verb`, filled with `values`, as it would be sent by pressing `button` (name=value). */
  form(page: Page, verb: string, values: Record<string, string> = {}, button?: [string, string]): Submission {
    const doc = page.dom.window.document;
    const form = [...doc.querySelectorAll('form')].find((f) => (f.querySelector('input[name="verb"]') as HTMLInputElement | null)?.value === verb);
    if (!form) throw new Error(`no form with verb ${verb} on ${page.url}: ${page.text.slice(0, 300)}`);
    const fields: [string, string][] = [];
    for (const el of form.querySelectorAll('input, textarea')) {
      const e = el as HTMLInputElement;
      if (e.type === 'radio' && !e.checked) continue;
      if (e.name in values) continue;
      fields.push([e.name, e.tagName === 'TEXTAREA' ? (e as unknown as HTMLTextAreaElement).value : e.value]);
    }
    for (const [k, v] of Object.entries(values)) fields.push([k, v]);
    if (button) fields.push(button);
    return { url: new URL(form.getAttribute('action') ?? '', page.url).toString(), fields };
  }

  async submit(s: Submission): Promise<Page> {
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(s.fields).toString(),
      redirect: 'manual',
    });
    return this.read(s.url, res);
  }
}

export const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

export interface Mail { from: string; to: string[]; raw: string }

/** A mail's raw text with quoted-printable undone (nodemailer folds long lines as `=\r\n`). */
export const decodedMail = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The distinct signed-link URLs in a mail (the text and HTML parts carry the same ones). */
export const linksIn = (mail: Mail): string[] => [...new Set(decodedMail(mail.raw).match(/https?:\/\/[^\s"<>]+\/l\/[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}/g) ?? [])];

/** A real SMTP server (smtp-server) on a free port, keeping every mail it is given. */
export async function startSmtpServer(): Promise<{ url: string; mails: Mail[]; stop(): Promise<void> }> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', () => r()));
  return { url: `smtp://127.0.0.1:${port}`, mails, stop: () => new Promise<void>((r) => smtp.close(() => r())) };
}

/** Who the email-only stack knows: the email-only owner's ids. */
export interface EmailOnlyIds { workspaceId: string; groupId: string; actionId: string; personId: string }

export interface EmailOnlyStack {
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  running: Running;
  ids: EmailOnlyIds;
  stop(): Promise<void>;
}

/**
 * Issue 14's done-when world, shared by its HTTP and browser tests: a real SMTP server, and the
 * real `serve` with the web pages on, over a plan whose owner bragbot knows only by email (no
 * Slack, no Teams: Hana Health of the NHS trust, one overdue action, ref 12).
 */
export async function startEmailOnlyStack(provider: DbProvider, now: Date, linkSecret: string): Promise<EmailOnlyStack> {
  const smtp = await startSmtpServer();
  const db = await createTestDatabaseUrl(provider);
  const seed = await openDatabase(db.url);
  const workspaceId = await makeWorkspace(seed.db, 'default');
  const group = await makeGroup(seed.db, workspaceId);
  const health = await makePerson(seed.db, workspaceId, { name: 'Hana Health', email: 'hana.health@nhs.example', team: 'CAMHS' });
  await seed.db.groupMember.create({ data: { groupId: group.id, personId: health.id, role: 'member' } });
  const action = await makeAction(seed.db, group.id, { ref: '12', activity: 'CAMHS waiting times for children in care', brag: 'green', dueDate: '2026-11-20', ownerIds: [health.id] });
  await seed.close();
  const webPort = await freePort();
  const config = loadConfig({
    DATABASE_URL: db.url, SCHEDULER_ENABLED: 'false', OPS_PORT: '0',
    WEB_MODE: 'on', WEB_HOST: '127.0.0.1', WEB_PORT: String(webPort), PUBLIC_BASE_URL: `http://127.0.0.1:${webPort}`, LINK_SECRET: linkSecret,
    SMTP_URL: smtp.url, SMTP_FROM: 'bragbot <bragbot@council.example>',
  });
  const running = await startBragbot({ config, logger: silentLogger, clock: () => now, scheduling: 'deferred' });
  return {
    smtp, running,
    ids: { workspaceId, groupId: group.id, actionId: action.id, personId: health.id },
    async stop() {
      await running.stop();
      await db.drop();
      await smtp.stop();
    },
  };
}
