/**
 * The HTTP transport in front of Bolt: every POST to /slack/events is measured, authenticated
 * and shape-checked here before Bolt's HTTPReceiver sees it. Transport concerns only (size,
 * signature, timestamps, what a Slack request body looks like); listeners decide the rest.
 *
 * Why not Bolt alone (4.7, found by the hostile-input tests and issue 10 pt 5):
 * - it buffers the whole body before checking the signature (a 60 MB unsigned body: +124 MB);
 * - its timestamp check refuses only stale requests, not ones from more than 5 minutes ahead;
 * - a signed JSON `null` or `payload=null` makes it throw outside any handler: no answer at all;
 * - parseable nonsense (an array, a string, `{}`, a form without `payload`) is never acknowledged
 *   and gets a 404 after its 3-second timer, logged as an error.
 * Here such requests get 413 / 401 / 415 / 400 at once, with a log line. What passes is handed to
 * Bolt already read (Bolt reuses `req.rawBody`, its BufferedIncomingMessage seam), so nothing is
 * read twice; Bolt still verifies the signature itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { ErrorCode, HTTPReceiver, verifySlackRequest, type App, type HTTPReceiverOptions, type Receiver } from '@slack/bolt';
import { realClock, stopwatch, type Clock } from '../../clock.js';
import type { Logger } from '../../logging.js';
import { closeAfterAnswer, readBodyWithin } from '../common/http-body.js';

/**
 * Largest request body accepted on /slack/events. Slack's own payloads are small: a message
 * event is capped at 40,000 characters of text (with its blocks and, for an edit, the previous
 * message, a few hundred KB at most in multi-byte text); interactions and view submissions are
 * a few KB to tens of KB. Bolt 5 picked 4 MB for every app; bragbot needs far less.
 */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024;
/** Slack's rule for X-Slack-Request-Timestamp: within five minutes of now, either way. */
export const SLACK_MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/** Interaction payload types bragbot takes (Block Kit only: no legacy attachments or dialogs). */
const INTERACTION_TYPES = new Set(['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion']);

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

export type Refusal = { status: 400 | 401 | 413 | 415; reason: string };
/** What the guard decided: refuse, answer itself (ssl_check, app_rate_limited), or let Bolt have it. */
export type Verdict = Refusal | { status: 200; answer: 'ssl-check' | 'rate-limited-notice' } | { status: 'pass' };

const header = (req: Pick<IncomingMessage, 'headers'>, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** Signature and timestamp (Slack's v0 scheme), both ways around `nowMs`. */
export function checkSignature(raw: string, req: Pick<IncomingMessage, 'headers'>, signingSecret: string, nowMs: number): Refusal | null {
  const signature = header(req, 'x-slack-signature');
  const stamp = header(req, 'x-slack-request-timestamp');
  if (!signature || !stamp || !/^\d{1,12}$/.test(stamp)) return { status: 401, reason: 'missing or malformed X-Slack-Signature / X-Slack-Request-Timestamp' };
  const skew = Number(stamp) - Math.floor(nowMs / 1000);
  if (skew < -SLACK_MAX_CLOCK_SKEW_SECONDS) return { status: 401, reason: `request timestamp ${-skew} s old (more than 5 minutes): stale or replayed` };
  if (skew > SLACK_MAX_CLOCK_SKEW_SECONDS) return { status: 401, reason: `request timestamp ${skew} s in the future (more than 5 minutes)` };
  try {
    verifySlackRequest({ signingSecret, body: raw, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(stamp) }, nowMilliseconds: nowMs });
  } catch {
    return { status: 401, reason: 'signature mismatch' };
  }
  return null;
}

/** What a signed body must look like for Bolt to route it (the content type as Bolt reads it). */
export function checkShape(raw: string, contentType: string | undefined): Verdict {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQuery(raw);
    if (form.payload !== undefined) {
      if (typeof form.payload !== 'string') return { status: 400, reason: 'more than one payload field' };
      let payload: unknown;
      try {
        payload = JSON.parse(form.payload);
      } catch {
        return { status: 400, reason: 'payload is not JSON' };
      }
      return checkInteraction(payload);
    }
    if (typeof form.command === 'string' && form.command.startsWith('/') && isText(form.user_id)) return { status: 'pass' };
    return { status: 400, reason: 'a form without a payload must be a slash command (command, user_id)' };
  }
  if (!/^application\/json\s*(;.*)?$/i.test(contentType ?? '')) return { status: 415, reason: 'Content-Type must be application/json or application/x-www-form-urlencoded' };
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { status: 400, reason: 'body is not JSON' };
  }
  if (!isObject(body)) return { status: 400, reason: 'body is not a JSON object' };
  if (body.type === 'url_verification') return isText(body.challenge) ? { status: 'pass' } : { status: 400, reason: 'url_verification without a challenge' };
  if (body.type === 'app_rate_limited') return { status: 200, answer: 'rate-limited-notice' };
  if (body.type !== 'event_callback') return { status: 400, reason: `not a Slack event (type ${JSON.stringify(body.type ?? null).slice(0, 40)})` };
  if (!isObject(body.event) || !isText(body.event.type)) return { status: 400, reason: 'event_callback without an event' };
  return { status: 'pass' };
}

function checkInteraction(payload: unknown): Verdict {
  if (!isObject(payload) || !isText(payload.type)) return { status: 400, reason: 'payload is not an interaction (no type)' };
  if (!INTERACTION_TYPES.has(payload.type)) return { status: 400, reason: `interaction type ${payload.type.slice(0, 40)} is not one bragbot takes` };
  if (!isObject(payload.user) || !isText(payload.user.id)) return { status: 400, reason: 'interaction without a user' };
  switch (payload.type) {
    case 'block_actions': {
      const actions = payload.actions;
      if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => isObject(a) && isText(a.action_id))) return { status: 400, reason: 'block_actions without actions' };
      break;
    }
    case 'view_submission':
    case 'view_closed':
      if (!isObject(payload.view) || !isText(payload.view.id) || typeof payload.view.callback_id !== 'string') return { status: 400, reason: `${payload.type} without a view` };
      break;
    case 'block_suggestion':
      if (!isText(payload.action_id)) return { status: 400, reason: 'block_suggestion without an action_id' };
      break;
    default:
      if (typeof payload.callback_id !== 'string') return { status: 400, reason: `${payload.type} without a callback_id` };
  }
  return { status: 'pass' };
}

/** The whole decision for one POST body (after it was read within the limit). */
export function judge(raw: Buffer, req: Pick<IncomingMessage, 'headers'>, o: { signingSecret: string; nowMs: number }): Verdict {
  const text = raw.toString('utf8');
  const contentType = header(req, 'content-type');
  // Slack's SSL check is sent unsigned; it gets an empty 200 and nothing else (Bolt does the same).
  if (contentType === 'application/x-www-form-urlencoded' && parseQuery(text).ssl_check === '1') return { status: 200, answer: 'ssl-check' };
  return checkSignature(text, req, o.signingSecret, o.nowMs) ?? checkShape(text, contentType);
}

export interface GuardedReceiverOptions extends HTTPReceiverOptions {
  /** The bragbot logger (Bolt's own logger is in HTTPReceiverOptions.logger). */
  log: Logger;
  maxBodyBytes?: number;
  /**
   * Slack stamps requests with its own real time, so they are checked against the machine's
   * clock, never the deployment's (the demo's runs in 2021; a test's may be frozen).
   */
  wallClock?: Clock | undefined;
}

/**
 * A Receiver (init/start/stop) that owns the HTTP server and runs the guard on the events
 * endpoint, then hands the request to Bolt's HTTPReceiver (custom routes, url_verification,
 * acknowledgements, processBeforeResponse all stay Bolt's).
 */
export class GuardedHTTPReceiver implements Receiver {
  private readonly inner: HTTPReceiver;
  private readonly endpoints: string[];
  private readonly log: Logger;
  private readonly maxBodyBytes: number;
  private readonly wallClock: Clock;
  private readonly signingSecret: string;
  private server: Server | undefined;

  constructor(o: GuardedReceiverOptions) {
    const { log, maxBodyBytes, wallClock, ...bolt } = o;
    this.inner = new HTTPReceiver(bolt);
    this.endpoints = Array.isArray(o.endpoints) ? o.endpoints : [o.endpoints ?? '/slack/events'];
    this.log = log;
    this.maxBodyBytes = maxBodyBytes ?? SLACK_MAX_BODY_BYTES;
    this.wallClock = wallClock ?? realClock;
    this.signingSecret = o.signingSecret;
  }

  init(app: App): void {
    this.inner.init(app);
  }

  start(port: number): Promise<Server> {
    if (this.server) return Promise.reject(new Error('the Slack HTTP receiver is already started'));
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        this.log.error({ err: e }, 'slack-http: request failed before reaching Bolt');
        if (!res.headersSent) answer(res, 500, { error: 'internal error' });
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST' && this.endpoints.includes(path)) {
      const elapsed = stopwatch();
      const read = await readBodyWithin(req, this.maxBodyBytes);
      if ('tooLarge' in read) return this.refuse(req, res, { status: 413, reason: `body larger than ${this.maxBodyBytes} bytes (${read.bytes} ${req.headers['content-length'] ? 'declared' : 'read so far'})` }, elapsed);
      const verdict = judge(read.body, req, { signingSecret: this.signingSecret, nowMs: this.wallClock().getTime() });
      if (verdict.status === 'pass') {
        // Bolt's bufferIncomingMessage takes an already-read body from req.rawBody.
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = read.body;
        return this.toBolt(req, res);
      }
      if (verdict.status === 200) {
        if (verdict.answer === 'rate-limited-notice') this.log.warn({ slack: { kind: 'app_rate_limited' } }, 'slack: Slack says it is rate-limiting events to this app');
        answer(res, 200);
        return;
      }
      return this.refuse(req, res, verdict, elapsed);
    }
    this.toBolt(req, res);
  }

  private toBolt(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.inner.requestListener(req, res);
    } catch (e) {
      // HTTPReceiver throws for a path it does not serve (HTTPReceiverDeferredRequestError).
      if ((e as { code?: string }).code === ErrorCode.HTTPReceiverDeferredRequestError) {
        answer(res, 404);
        return;
      }
      throw e;
    }
  }

  private refuse(req: IncomingMessage, res: ServerResponse, r: Refusal, elapsed: () => number): void {
    this.log.warn({ status: r.status, reason: r.reason, ms: Math.round(elapsed()), refused: true }, 'slack-http: request refused before Bolt');
    if (r.status === 413) closeAfterAnswer(req, res);
    answer(res, r.status, { error: r.reason });
  }
}

function answer(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
