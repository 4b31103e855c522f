/**
 * The Slack ChatPort with the real WebClient against FakeSlack: DMs, channel posts, threads,
 * and Slack's failures as the core's errors (429 → RateLimitedError with Retry-After,
 * 5xx → TransientChatError, anything else permanent).
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../src/adapters/slack/app.js';
import { createSlackChatPort, type SlackChatPort } from '../../src/adapters/slack/chat-port.js';
import { PermanentSlackError } from '../../src/adapters/slack/errors.js';
import { versionOf } from '../../src/adapters/slack/ids.js';
import { loadConfig } from '../../src/config.js';
import { RateLimitedError, TransientChatError, type ActionCard, type OutboundMessage } from '../../src/core/chat.js';
import { silentLogger } from '../../src/logging.js';
import { getActionCard } from '../../src/services/actions.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { FakeSlack } from './fake-slack.js';

describe('Slack ChatPort', () => {
  let fake: FakeSlack;
  let database: TestDatabase;
  let port: SlackChatPort;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  const text: OutboundMessage = { kind: 'text', text: 'Hello from bragbot' };

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await createTestDatabase('sqlite');
    world = await makeStandardGroup(database.db);
    const config = loadConfig({ SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-port-test', SLACK_SIGNING_SECRET: 'port-test-secret', SLACK_API_URL: fake.apiUrl.replace(/\/$/, '') });
    port = createSlackChatPort({ client: createSlackWebClient(config, silentLogger, 'outbox'), db: database.db, workspaceId: world.workspaceId, logger: silentLogger });
  });
  afterAll(async () => {
    await fake.stop();
    await database.destroy();
  });

  it('opens a DM once per person and posts there, with the bot token', async () => {
    const a = await port.send({ platform: 'slack', conversationId: 'UOWNER' }, text);
    const b = await port.send({ platform: 'slack', conversationId: 'UOWNER' }, text);
    expect(a.conversationId).toBe('DOWNER');
    expect(b.providerMessageId).not.toBe(a.providerMessageId);
    expect(fake.callsOf('conversations.open')).toHaveLength(1);
    const post = fake.callsOf('chat.postMessage')[0]!;
    expect(post.params).toMatchObject({ channel: 'DOWNER', text: 'Hello from bragbot', unfurl_links: 'false' });
    expect(post.auth).toBe('Bearer xoxb-port-test');
  });

  it('posts a thread-open in the channel and returns its ts as the thread; replies go in the thread', async () => {
    const opened = await port.send({ platform: 'slack', conversationId: 'C0GROUP' }, { kind: 'thread-open', groupName: 'Ops', meetingDate: '2026-12-03', askedNames: ['Olu Owner'] });
    expect(opened).toEqual({ providerMessageId: expect.stringMatching(/^\d+\.\d+$/), conversationId: 'C0GROUP' });
    await port.send({ platform: 'slack', conversationId: 'C0GROUP', threadId: opened.providerMessageId }, text);
    expect(fake.callsOf('chat.postMessage').at(-1)!.params.thread_ts).toBe(opened.providerMessageId);
  });

  it('renders a nudge whose buttons carry each action’s version', async () => {
    const action = await makeAction(database.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] });
    const card = (await getActionCard(database.db, world.workspaceId, action.id, '2026-12-01')) as ActionCard;
    await port.send({ platform: 'slack', conversationId: 'UOWNER' }, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu', actions: [card] });
    const blocks = fake.callsOf('chat.postMessage').at(-1)!.params.blocks as KnownBlock[];
    const row = blocks.find((b) => b.block_id === `act:${action.id}:buttons`) as ActionsBlock;
    expect(JSON.parse((row.elements[0] as Button).value!)).toEqual({ a: action.id, v: versionOf(action.updatedAt) });
  });

  it('maps 429 with Retry-After to RateLimitedError, without retrying by itself', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const before = fake.callsOf('chat.postMessage').length;
    const err = await port.send({ platform: 'slack', conversationId: 'C0GROUP' }, text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(7000);
    expect(fake.callsOf('chat.postMessage').length - before).toBe(1);
  });

  it('maps 5xx to TransientChatError, and a refused channel to a permanent error', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    await expect(port.send({ platform: 'slack', conversationId: 'C0GROUP' }, text)).rejects.toBeInstanceOf(TransientChatError);
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    await expect(port.send({ platform: 'slack', conversationId: 'C0GROUP' }, text)).rejects.toBeInstanceOf(TransientChatError);
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const err = await port.send({ platform: 'slack', conversationId: 'C0GONE' }, text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSlackError);
    expect(err).not.toBeInstanceOf(TransientChatError);
    expect((err as PermanentSlackError).slackError).toBe('channel_not_found');
  });

  it('maps a 429 on conversations.open too (a DM to a new person)', async () => {
    fake.failNext('conversations.open', { status: 429, retryAfter: 3 });
    await expect(port.send({ platform: 'slack', conversationId: 'UNEWPERSON' }, text)).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 3000 });
  });

  it('after a crashed dispatcher, finds the message it already sent instead of posting again', async () => {
    const first = await port.send({ platform: 'slack', conversationId: 'C0RECOVER' }, text, { idempotencyKey: 'nudge:p1:2026-12-01', attempt: 1, recovering: false });
    expect(fake.callsOf('chat.postMessage').at(-1)!.params.metadata).toEqual({ event_type: 'bragbot_outbox', event_payload: { key: 'nudge:p1:2026-12-01' } });
    const posts = fake.callsOf('chat.postMessage').length;
    const again = await port.send({ platform: 'slack', conversationId: 'C0RECOVER' }, text, { idempotencyKey: 'nudge:p1:2026-12-01', attempt: 2, recovering: true });
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(fake.callsOf('chat.postMessage').length).toBe(posts);
    // A different key while recovering is a different message: it is sent.
    await port.send({ platform: 'slack', conversationId: 'C0RECOVER' }, text, { idempotencyKey: 'nudge:p2:2026-12-01', attempt: 2, recovering: true });
    expect(fake.callsOf('chat.postMessage').length).toBe(posts + 1);
  });

  it('a rate-limited or failed recovery lookup throws instead of posting again', async () => {
    const context = { idempotencyKey: 'nudge:p3:2026-12-01', attempt: 1, recovering: false };
    await port.send({ platform: 'slack', conversationId: 'C0LOOKUP' }, text, context);
    const posts = fake.callsOf('chat.postMessage').length;
    fake.failNext('conversations.history', { status: 429, retryAfter: 12 });
    await expect(port.send({ platform: 'slack', conversationId: 'C0LOOKUP' }, text, { ...context, attempt: 2, recovering: true })).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 12_000 });
    fake.failNext('conversations.history', { status: 500 });
    await expect(port.send({ platform: 'slack', conversationId: 'C0LOOKUP' }, text, { ...context, attempt: 3, recovering: true })).rejects.toBeInstanceOf(TransientChatError);
    fake.failNext('conversations.history', { error: 'missing_scope' });
    await expect(port.send({ platform: 'slack', conversationId: 'C0LOOKUP' }, text, { ...context, attempt: 4, recovering: true })).rejects.toBeInstanceOf(PermanentSlackError);
    expect(fake.callsOf('chat.postMessage').length).toBe(posts);
  });

  it('maps a network failure (nothing listening) to TransientChatError', async () => {
    const closed = new FakeSlack();
    await closed.start();
    const url = closed.apiUrl;
    await closed.stop();
    const config = loadConfig({ SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-port-test', SLACK_SIGNING_SECRET: 'port-test-secret', SLACK_API_URL: url });
    const offline = createSlackChatPort({ client: createSlackWebClient(config, silentLogger, 'outbox'), db: database.db, workspaceId: world.workspaceId, logger: silentLogger });
    await expect(offline.send({ platform: 'slack', conversationId: 'C0GROUP' }, text)).rejects.toBeInstanceOf(TransientChatError);
  });

  it('refuses addresses on another platform', async () => {
    await expect(port.send({ platform: 'teams', conversationId: 'x' }, text)).rejects.toThrow('cannot send to teams');
  });
});
