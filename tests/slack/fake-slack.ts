/**
 * A local fake of the Slack Web API (and of response_urls and file upload URLs), for the real
 * WebClient and the real Bolt app to talk to through SLACK_API_URL. It implements only the
 * methods bragbot calls, records every call, and can be told to fail the next call to a method
 * (429 with Retry-After, a 5xx, or a Slack error) to test the adapter's error mapping.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  auth: string | undefined;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: unknown;
  blocks?: unknown;
  thread_ts?: unknown;
  metadata?: unknown;
}

export type Fault = { status: 429; retryAfter: number } | { status: number } | { error: string };

export const FAKE_TEAM_ID = 'T0TEST';
export const FAKE_BOT_USER_ID = 'UBOT';
export const FAKE_BOT_ID = 'BBOT';

/** Form values the WebClient sends as JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'metadata', 'view', 'attachments', 'files']);

export class FakeSlack {
  readonly calls: FakeCall[] = [];
  /** Bodies POSTed to response_urls, by the id in the URL. */
  readonly responses: { id: string; body: Record<string, unknown>; at: number }[] = [];
  readonly uploads: { id: string; bytes: number; contentType: string | undefined }[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** email → Slack user (users.lookupByEmail). */
  readonly directory = new Map<string, { id: string; deleted?: boolean }>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly delays = new Map<string, number>();
  private server: Server | undefined;
  private seq = 0;
  base = '';

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/hooks/${id}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Answers every call to `method` after `ms` (0 to stop): work that is still running after its ack. */
  delay(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  failNext(method: string, fault: Fault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `probe` returns something truthy (the adapter works after acking). */
  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() - start > timeoutMs) throw new Error(`fake Slack: condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private nextTs(): string {
    this.seq += 1;
    return `1800000000.${String(this.seq).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.base);

    if (url.pathname.startsWith('/hooks/')) {
      this.responses.push({ id: url.pathname.slice('/hooks/'.length), body: JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>, at: performance.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (url.pathname.startsWith('/upload/')) {
      this.uploads.push({ id: url.pathname.slice('/upload/'.length), bytes: raw.length, contentType: req.headers['content-type'] });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${raw.length}`);
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404);
      res.end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const params = parseParams(raw.toString('utf8'), req.headers['content-type']);
    this.calls.push({ method, params, auth: req.headers.authorization });
    const delay = this.delays.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));

    const fault = this.faults.get(method)?.shift();
    if (fault) {
      if ('error' in fault) return json(res, 200, { ok: false, error: fault.error });
      if (fault.status === 429 && 'retryAfter' in fault) {
        res.writeHead(429, { 'retry-after': String(fault.retryAfter), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      res.writeHead(fault.status, { 'content-type': 'text/plain' });
      res.end('upstream trouble');
      return;
    }
    json(res, 200, this.answer(method, params));
  }

  private answer(method: string, p: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://test-council.slack.com/', team: 'Test Council', user: 'bragbot', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID };
      case 'conversations.open': {
        const users = String(p.users ?? '');
        return { ok: true, channel: { id: `D${users.replace(/^U/, '')}` } };
      }
      case 'chat.postMessage': {
        const channel = String(p.channel);
        const ts = this.nextTs();
        const m: StoredMessage = { channel, ts, text: p.text, blocks: p.blocks, thread_ts: p.thread_ts, metadata: p.metadata };
        this.messages.set(`${channel}:${ts}`, m);
        return { ok: true, channel, ts, message: { type: 'message', user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, ...m } };
      }
      case 'chat.update': {
        const key = `${String(p.channel)}:${String(p.ts)}`;
        const m = this.messages.get(key);
        if (!m) return { ok: false, error: 'message_not_found' };
        this.messages.set(key, { ...m, text: p.text, blocks: p.blocks });
        return { ok: true, channel: p.channel, ts: p.ts };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(p.channel);
        const all = [...this.messages.values()].filter((m) => m.channel === channel);
        const wanted = p.latest !== undefined && p.inclusive ? all.filter((m) => m.ts === String(p.latest)) : all;
        return { ok: true, messages: wanted.map((m) => ({ type: 'message', user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, ...m })).reverse(), has_more: false };
      }
      case 'views.open':
        return { ok: true, view: { id: `V${this.nextTs().replace('.', '')}`, ...(p.view as object) } };
      case 'reactions.add':
        return { ok: true };
      case 'users.lookupByEmail': {
        const u = this.directory.get(String(p.email).toLowerCase());
        return u ? { ok: true, user: { id: u.id, deleted: u.deleted ?? false, is_bot: false } } : { ok: false, error: 'users_not_found' };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${this.nextTs().replace('.', '')}`;
        return { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (p.files as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title })) };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function parseParams(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(body || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
  return out;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
