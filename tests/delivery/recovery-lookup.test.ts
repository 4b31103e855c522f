/**
 * Issue 10 pt 9: a dispatcher posts a message and is killed before it records "sent"; the next
 * claimer sends it as recovering, and the Slack port looks for it (conversations.history, by the
 * outbox key in the message metadata). With three replicas the lookup itself was rate-limited,
 * read as "not sent", and the message was posted again (2 duplicates in 215). Here the real
 * dispatcher and the real Slack ChatPort talk to FakeSlack, which answers the lookup with 429
 * (Retry-After), 5xx or a refusal: the message is never posted twice, and the row ends with the
 * ts of the one message Slack has.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../src/adapters/slack/app.js';
import { createSlackChatPort, type SlackChatPort } from '../../src/adapters/slack/chat-port.js';
import { loadConfig } from '../../src/config.js';
import { RateLimitedError, TransientChatError } from '../../src/core/chat.js';
import { Dispatcher, RECOVERED_PREFIX } from '../../src/delivery/dispatcher.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/logging.js';
import { FakeSlack, type Fault } from '../slack/fake-slack.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';
import { plannedNudge } from './support.js';

describe.each(await providers())('recovering a Slack send when the lookup fails (%s)', (provider) => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let port: SlackChatPort;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  let now = new Date('2026-12-01T10:00:00Z').getTime();
  const clock = () => new Date(now);
  let n = 0;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    world = await makeStandardGroup(t.db);
    fake = await new FakeSlack().start();
    const config = loadConfig({ SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-recovery', SLACK_SIGNING_SECRET: 'recovery-signing-secret', SLACK_API_URL: fake.apiUrl });
    port = createSlackChatPort({ client: createSlackWebClient(config, silentLogger, 'outbox'), db: t.db, workspaceId: world.workspaceId, logger: silentLogger });
  });
  afterAll(async () => {
    await fake?.stop();
    await t?.destroy();
  });
  beforeEach(() => {
    n += 1;
  });

  /** A message a dispatcher posted to Slack and then died before recording: its lease has run out. */
  async function postedThenKilled(): Promise<{ key: string; ts: string }> {
    const key = `recovery:${n}`;
    await writeOutbox(t.db, [plannedNudge(key, world.manager, { notBefore: new Date(now - 60_000) })], { platforms: ['slack'], now: clock() });
    const sent = await port.send({ platform: 'slack', conversationId: 'UMANAGER' }, { kind: 'text', text: 'nudge' }, { idempotencyKey: key, attempt: 1, recovering: false });
    await t.db.outboxMessage.update({ where: { idempotencyKey: key }, data: { status: 'sending', claimedBy: 'killed#1', claimedUntil: new Date(now - 1_000), attempts: 1 } });
    return { key, ts: sent.providerMessageId };
  }

  const postsOf = (key: string) => fake.callsOf('chat.postMessage').filter((c) => (c.params.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key === key);
  const row = (key: string) => t.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });

  it('a rate-limited lookup waits out Retry-After, asks again, and finds the message', async () => {
    const { key, ts } = await postedThenKilled();
    const dispatcher = new Dispatcher({ db: t.db, provider, ports: [port], instanceId: `heir${n}`, clock });
    fake.failNext('conversations.history', { status: 429, retryAfter: 30 });
    const lookups = fake.callsOf('conversations.history').length;

    expect(await dispatcher.dispatchOnce()).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    expect(fake.callsOf('conversations.history').length - lookups).toBe(1);
    expect(postsOf(key)).toHaveLength(1);
    const waiting = await row(key);
    // Still marked recovering, the attempt given back, due after Retry-After.
    expect([waiting.status, waiting.attempts, waiting.lastError?.startsWith(RECOVERED_PREFIX), waiting.notBefore.getTime()]).toEqual(['pending', 1, true, now + 30_000]);

    now += 10_000;
    expect(await dispatcher.dispatchOnce()).toMatchObject({ claimed: 0 }); // Slack said 30 s
    now += 20_000;
    expect(await dispatcher.dispatchOnce()).toMatchObject({ claimed: 1, sent: 1, recovered: 1 });
    expect(postsOf(key)).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'sent', providerMessageId: ts });
  });

  it.each<[string, Fault]>([
    ['a 503', { status: 503 }],
    ['internal_error', { error: 'internal_error' }],
  ])('a lookup answered with %s is retried with back-off, never read as "not sent"', async (_name, fault) => {
    const { key, ts } = await postedThenKilled();
    const dispatcher = new Dispatcher({ db: t.db, provider, ports: [port], instanceId: `heir${n}`, clock, backoff: { baseMs: 1_000, maxMs: 4_000 } });
    fake.failNext('conversations.history', fault);
    fake.failNext('conversations.history', fault);
    for (let round = 0; round < 10 && (await row(key)).status !== 'sent'; round += 1) {
      await dispatcher.dispatchOnce();
      now += 5_000;
    }
    expect(postsOf(key)).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'sent', providerMessageId: ts });
  });

  it('a thread reply being recovered: a rate-limited or failing conversations.replies throws, and nothing is posted until Slack answers', async () => {
    const key = `recovery:${n}`;
    // A round's thread in the group's channel: the recovery lookup reads the thread's replies.
    const to = { platform: 'slack' as const, conversationId: 'CGROUP', threadId: '1800009000.000001' };
    const context = { idempotencyKey: key, attempt: 2, recovering: true };
    const posts = () => fake.callsOf('chat.postMessage').length;
    const before = posts();
    const replies = fake.callsOf('conversations.replies').length;
    fake.failNext('conversations.replies', { status: 429, retryAfter: 12 });
    const limited = await port.send(to, { kind: 'text', text: 'reply' }, context).then(() => null, (e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(12_000);
    fake.failNext('conversations.replies', { status: 503 });
    await expect(port.send(to, { kind: 'text', text: 'reply' }, context)).rejects.toBeInstanceOf(TransientChatError);
    fake.failNext('conversations.replies', { error: 'internal_error' });
    await expect(port.send(to, { kind: 'text', text: 'reply' }, context)).rejects.toBeInstanceOf(TransientChatError);
    expect(fake.callsOf('conversations.replies').length - replies).toBe(3);
    expect(posts()).toBe(before);
    // Slack answers, and the reply is not there: now, and only now, it is posted.
    await port.send(to, { kind: 'text', text: 'reply' }, context);
    expect(posts()).toBe(before + 1);
    expect(postsOf(key)).toHaveLength(1);
  });

  it('a lookup Slack refuses fails the message with the reason, and posts nothing', async () => {
    const { key } = await postedThenKilled();
    const dispatcher = new Dispatcher({ db: t.db, provider, ports: [port], instanceId: `heir${n}`, clock });
    fake.failNext('conversations.history', { error: 'missing_scope' });
    expect(await dispatcher.dispatchOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(postsOf(key)).toHaveLength(1);
    const failed = await row(key);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toMatch(/could not check whether an earlier attempt was delivered.*conversations\.history: missing_scope/);
  });

  it('after a send that failed with a 5xx, the retry looks before posting (Slack may have posted it)', async () => {
    const key = `recovery:${n}`;
    await writeOutbox(t.db, [plannedNudge(key, world.manager, { notBefore: new Date(now - 60_000) })], { platforms: ['slack'], now: clock() });
    const dispatcher = new Dispatcher({ db: t.db, provider, ports: [port], instanceId: `heir${n}`, clock, backoff: { baseMs: 1_000, maxMs: 1_000 } });
    fake.failNext('chat.postMessage', { status: 502 });
    expect(await dispatcher.dispatchOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect((await row(key)).lastError?.startsWith(RECOVERED_PREFIX)).toBe(true);
    const lookups = fake.callsOf('conversations.history').length;
    now += 1_000;
    expect(await dispatcher.dispatchOnce()).toMatchObject({ sent: 1, recovered: 1 });
    expect(fake.callsOf('conversations.history').length - lookups).toBe(1);
    expect(postsOf(key)).toHaveLength(2); // the 502 and the one that arrived
    expect(await row(key)).toMatchObject({ status: 'sent' });
  });
});
