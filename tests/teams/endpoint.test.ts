/**
 * The Teams endpoint and ChatPort with the real SDK: production JWT validation refuses
 * unauthenticated requests; the explicit demo mode accepts them (loopback only, loudly); the
 * ChatPort posts cards to a conversation reference's service URL (a local fake Bot Connector)
 * and turns 429 / 5xx / 4xx into the core's errors.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeams, type TeamsRuntime } from '../../src/adapters/teams/index.js';
import { PermanentTeamsError } from '../../src/adapters/teams/errors.js';
import { resolveAuth } from '../../src/adapters/teams/auth.js';
import { loadConfig } from '../../src/config.js';
import { RateLimitedError, TransientChatError, type OutboundMessage } from '../../src/core/chat.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';
import { cardProblems } from './support/adaptive-cards.js';
import { sampleCard } from './support/cards.js';
import { captureLogger } from './support/harness.js';

const NOW = new Date('2021-07-20T10:00:00Z');
let t: TestDatabase;
let workspaceId: string;

beforeAll(async () => {
  t = await createTestDatabase('sqlite');
  workspaceId = await makeWorkspace(t.db);
});
afterAll(async () => t.destroy());

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.text() };
}

const message = {
  type: 'message',
  id: 'm1',
  text: 'help',
  serviceUrl: 'http://127.0.0.1:9/',
  channelId: 'msteams',
  from: { id: 'user-1', aadObjectId: 'aad-1' },
  recipient: { id: '28:bot', name: 'bragbot' },
  conversation: { id: 'a:conv', conversationType: 'personal', tenantId: 't1' },
};

describe('production: the SDK validates the Bot Framework JWT', () => {
  let teams: TeamsRuntime;
  beforeAll(async () => {
    const config = loadConfig({ TEAMS_MODE: 'on', TEAMS_CLIENT_ID: '5f0c8d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f', TEAMS_CLIENT_SECRET: 'not-a-real-secret', TEAMS_TENANT_ID: 't1' });
    teams = await startTeams({ config, db: t.db, workspaceId, logger: captureLogger().logger, clock: () => NOW, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => teams.stop());

  it('runs in production mode', async () => {
    expect(teams.auth).toBe('production');
    expect(await (await fetch(`${teams.url}/healthz`)).json()).toEqual({ ok: true, auth: 'production' });
  });

  it('refuses an activity without a token', async () => {
    const res = await post(teams.messagingEndpoint, message);
    expect(res.status).toBe(401);
    expect(await t.db.conversationRef.count()).toBe(0);
  });

  it('refuses an activity with a token it cannot validate', async () => {
    const fake = `${Buffer.from('{"alg":"RS256","typ":"JWT","kid":"x"}').toString('base64url')}.${Buffer.from('{"aud":"5f0c8d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f","iss":"https://api.botframework.com"}').toString('base64url')}.c2ln`;
    const res = await post(teams.messagingEndpoint, message, { authorization: `Bearer ${fake}` });
    expect(res.status).toBe(401);
    expect(await t.db.conversationRef.count()).toBe(0);
  });
});

describe('configuration', () => {
  it('without an app id, only the explicit dangerous flag runs, and it says so loudly', () => {
    const { logger, lines } = captureLogger();
    expect(() => resolveAuth({ TEAMS_CLIENT_ID: undefined, TEAMS_CLIENT_SECRET: undefined, TEAMS_TENANT_ID: undefined, TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: false }, logger)).toThrow(/TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET/);
    expect(() => loadConfig({ TEAMS_MODE: 'on' })).toThrow(/TEAMS_CLIENT_ID/);
    const auth = resolveAuth({ TEAMS_CLIENT_ID: undefined, TEAMS_CLIENT_SECRET: undefined, TEAMS_TENANT_ID: undefined, TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: true }, logger);
    expect(auth).toMatchObject({ mode: 'local-demo', skipAuth: true });
    expect(lines.some((l) => l.level === 40 && l.msg.includes('WITHOUT authentication'))).toBe(true);
  });
});

describe('local demo mode and the ChatPort', () => {
  let teams: TeamsRuntime;
  let connector: Server;
  let connectorUrl: string;
  const received: { method: string; url: string; auth?: string; body: Record<string, unknown> }[] = [];
  let respond: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: unknown } = () => ({ status: 201, body: { id: 'act-1' } });

  beforeAll(async () => {
    connector = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
        const r = respond(req);
        res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
        res.end(r.body === undefined ? '' : JSON.stringify(r.body));
      });
    });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
    connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
    const config = loadConfig({ TEAMS_MODE: 'on', TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: 'true' });
    teams = await startTeams({ config, db: t.db, workspaceId, logger: captureLogger().logger, clock: () => NOW, port: 0, host: '0.0.0.0' });
  });
  afterAll(async () => {
    await teams.stop();
    connector.closeAllConnections();
    await new Promise((r) => connector.close(r));
  });

  it('listens on loopback only, whatever host was asked for', () => {
    expect(teams.auth).toBe('local-demo');
    expect(teams.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts an unauthenticated activity, stores its reference and answers through its service URL', async () => {
    respond = () => ({ status: 201, body: { id: 'reply-1' } });
    const res = await post(teams.messagingEndpoint, { ...message, serviceUrl: `${connectorUrl}/` });
    expect(res.status).toBe(200);
    expect(await t.db.conversationRef.count({ where: { conversationId: 'a:conv' } })).toBe(1);
    const reply = received.find((r) => r.url === '/v3/conversations/a:conv/activities');
    // No app id, no token: the SDK sends "Bearer null", never a real credential.
    expect(reply?.auth ?? '').not.toMatch(/^Bearer ey/);
    const attachments = reply?.body.attachments as { contentType: string; content: unknown }[];
    expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(attachments[0]!.content)).toEqual([]);
  });

  const nudge: OutboundMessage = { kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo', actions: [sampleCard()] };
  const to = () => ({ platform: 'teams' as const, conversationId: 'a:jo', referenceJson: JSON.stringify({ serviceUrl: connectorUrl, bot: { id: '28:bot', name: 'bragbot' } }) });

  it('sends a nudge card proactively to the stored reference', async () => {
    received.length = 0;
    respond = () => ({ status: 201, body: { id: '1716213454321' } });
    const res = await teams.port.send(to(), nudge);
    expect(res).toEqual({ providerMessageId: '1716213454321', conversationId: 'a:jo' });
    expect(received[0]!.url).toBe('/v3/conversations/a:jo/activities');
    expect(received[0]!.body).toMatchObject({ type: 'message', from: { id: '28:bot' }, conversation: { id: 'a:jo' }, summary: '1 action needs your update (1 overdue)' });
  });

  it('opens an update round in a channel and replies in a thread by conversation id', async () => {
    received.length = 0;
    respond = () => ({ status: 201, body: { id: 'root-1' } });
    const channel = { platform: 'teams' as const, conversationId: '19:abc@thread.tacv2', referenceJson: JSON.stringify({ teamId: '19:team@thread.tacv2', serviceUrl: connectorUrl }) };
    const open = await teams.port.send(channel, { kind: 'thread-open', groupName: 'Strategic Partnership', meetingDate: '2021-01-13', askedNames: ['Jo'] });
    expect(open).toEqual({ providerMessageId: 'root-1', conversationId: '19:abc@thread.tacv2' });
    await teams.port.send({ ...channel, threadId: 'root-1' }, { kind: 'text', text: 'Reminder: replies by Friday' });
    expect(received.map((r) => r.url)).toEqual(['/v3/conversations/19:abc@thread.tacv2/activities', '/v3/conversations/19:abc@thread.tacv2;messageid=root-1/activities']);
  });

  it('429 → RateLimitedError with Retry-After; 5xx → TransientChatError; 403 → permanent', async () => {
    respond = () => ({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'Throttled' } } });
    const limited = await teams.port.send(to(), nudge).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(7000);
    respond = () => ({ status: 503 });
    expect(await teams.port.send(to(), nudge).catch((e: unknown) => e)).toBeInstanceOf(TransientChatError);
    respond = () => ({ status: 403, body: { error: { code: 'BotNotInConversationRoster' } } });
    const refused = await teams.port.send(to(), nudge).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentTeamsError);
    expect((refused as PermanentTeamsError).status).toBe(403);
  });

  it('an unreachable connector is transient', async () => {
    const gone = { platform: 'teams' as const, conversationId: 'a:jo', referenceJson: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9' }) };
    expect(await teams.port.send(gone, nudge).catch((e: unknown) => e)).toBeInstanceOf(TransientChatError);
  });
});
