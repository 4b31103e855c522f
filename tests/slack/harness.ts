/**
 * Runs the real Slack adapter (Bolt in HTTP mode on an ephemeral port, the real WebClient)
 * against FakeSlack and a fresh test database, and sends it HMAC-signed requests as Slack does:
 * X-Slack-Signature = v0=hex(HMAC-SHA256(signing secret, `v0:${timestamp}:${raw body}`)).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { DbProvider } from '../../src/db/client.js';
import { silentLogger } from '../../src/logging.js';
import { startSlack, type SlackRuntime } from '../../src/adapters/slack/index.js';
import type { ReportService } from '../../src/adapters/slack/report-service.js';
import type { Inbox } from '../../src/services/inbox/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';
import { FakeSlack, FAKE_TEAM_ID } from './fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';
/** The fixed "now" of the adapter's clock in these tests. */
export const NOW = new Date('2026-12-01T10:00:00Z');

export interface Sent {
  status: number;
  text: string;
  ms: number;
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface PostOptions {
  secret?: string;
  /** Seconds since the epoch; default now (Slack refuses requests older than 5 minutes). */
  timestamp?: number;
  signature?: string;
  headers?: Record<string, string>;
}

export async function signedPost(url: string, body: string, contentType: string, o: PostOptions = {}): Promise<Sent> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': o.signature ?? sign(body, timestamp, o.secret),
      ...o.headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** A recorded payload from tests/fixtures/slack, with "__NAME__" placeholders filled in (any JSON value). */
export function fixture<T = Record<string, unknown>>(name: string, vars: Record<string, unknown> = {}): T {
  let text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'slack', name), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.split(`"__${k}__"`).join(JSON.stringify(v));
  const left = /"__([A-Z_]+)__"/.exec(text);
  if (left) throw new Error(`fixture ${name}: no value for __${left[1]}__`);
  return JSON.parse(text) as T;
}

export interface Harness {
  database: TestDatabase;
  fake: FakeSlack;
  slack: SlackRuntime;
  world: Awaited<ReturnType<typeof makeStandardGroup>>;
  eventsUrl: string;
  interaction(payload: unknown, o?: PostOptions): Promise<Sent>;
  command(fields: Record<string, string>, o?: PostOptions): Promise<Sent>;
  event(envelope: unknown, o?: PostOptions): Promise<Sent>;
  close(): Promise<void>;
}

/** `reports`: a fake, or a factory given the harness's database (the real service). */
export async function startHarness(provider: DbProvider, o: { reports?: ReportService | ((db: TestDatabase['db']) => ReportService); inbox?: (db: TestDatabase['db']) => Inbox } = {}): Promise<Harness> {
  const database = await createTestDatabase(provider);
  const world = await makeStandardGroup(database.db);
  const fake = await new FakeSlack().start();
  const config = loadConfig({
    DATABASE_URL: database.url,
    SLACK_MODE: 'http',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  const slack = await startSlack({ config, db: database.db, workspaceId: world.workspaceId, logger: silentLogger, clock: () => NOW, reports: typeof o.reports === 'function' ? o.reports(database.db) : o.reports, httpPort: 0, ...(o.inbox ? { inbox: o.inbox(database.db) } : {}) });
  const eventsUrl = `${slack.url}/slack/events`;
  return {
    database,
    fake,
    slack,
    world,
    eventsUrl,
    interaction: (payload, po) => signedPost(eventsUrl, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', po),
    command: (fields, po) => signedPost(eventsUrl, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', po),
    event: (envelope, po) => signedPost(eventsUrl, JSON.stringify(envelope), 'application/json', po),
    close: async () => {
      await slack.stop();
      await fake.stop();
      await database.destroy();
    },
  };
}

export { FAKE_TEAM_ID };
