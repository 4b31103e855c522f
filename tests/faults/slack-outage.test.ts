/**
 * Slack answers 5xx for two minutes while nudges are being dispatched, and people keep clicking.
 * The real dispatcher (default backoff: 30 s doubling, 8 attempts), the real Slack ChatPort and
 * WebClient, and the real Bolt receiver talk to FakeSlack through tests/faults/slack-proxy.ts,
 * which answers 503 to every Web API call during the outage. The dispatcher's clock is a fake that
 * the test moves on in 5-second steps, so "two minutes" takes a second of real time.
 * After: every planned message delivered exactly once, none failed, and every click made during
 * the outage recorded once (acknowledged at once; only the message update waits for Slack).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../src/clock.js';
import { createSlackWebClient } from '../../src/adapters/slack/app.js';
import { createSlackChatPort } from '../../src/adapters/slack/chat-port.js';
import { startSlack, type SlackRuntime } from '../../src/adapters/slack/index.js';
import { loadConfig } from '../../src/config.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/logging.js';
import { plannedNudge } from '../delivery/support.js';
import { FakeSlack, FAKE_TEAM_ID } from '../slack/fake-slack.js';
import { signedPost } from '../slack/harness.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { SlackProxy } from './slack-proxy.js';

const SECRET = 'faults-signing-secret-0123';
const OUTAGE_MS = 120_000;

describe.each(await providers())('Slack answering 5xx for two minutes (%s)', (provider) => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let proxy: SlackProxy;
  let slack: SlackRuntime;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  let now = new Date('2026-12-01T10:00:00Z').getTime();
  const clock = () => new Date(now);

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    world = await makeStandardGroup(t.db);
    fake = await new FakeSlack().start();
    // No rate limits here: this test is about the outage.
    proxy = await new SlackProxy(fake.base, null).start();
    const config = loadConfig({ DATABASE_URL: t.url, SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-faults', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: proxy.apiUrl });
    slack = await startSlack({ config, db: t.db, workspaceId: world.workspaceId, logger: silentLogger, clock, httpPort: 0 });
  });
  afterAll(async () => {
    await slack?.stop();
    await proxy?.stop();
    await fake?.stop();
    await t?.destroy();
  });

  it('delivers every planned message once after the outage and records every click made during it', async () => {
    const people = [world.owner, world.manager, world.chair];
    const planned = Array.from({ length: 30 }, (_, i) => plannedNudge(`outage:${i}`, people[i % 3]!, { notBefore: new Date(now - 60_000) }));
    await writeOutbox(t.db, planned, { platforms: ['slack'], now: realClock() });
    const port = createSlackChatPort({ client: createSlackWebClient(loadConfig({ SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-faults', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: proxy.apiUrl }), silentLogger, 'outbox'), db: t.db, workspaceId: world.workspaceId, logger: silentLogger });
    const dispatcher = new Dispatcher({ db: t.db, provider, ports: [port], instanceId: 'outage', clock, batchSize: 10 });

    // Three messages go out, then Slack falls over.
    await dispatcher.dispatchOnce().then(() => undefined);
    const before = fake.callsOf('chat.postMessage').length;
    expect(before).toBeGreaterThan(0);
    proxy.startOutage(503);
    const outageEnds = now + OUTAGE_MS;

    // Clicks during the outage: acknowledged at once, recorded once, even though chat.update gets 503.
    const action = await makeAction(t.db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] });
    const clicks = ['green', 'red', 'green'].map((brag, i) => ({
      type: 'block_actions', user: { id: 'UOWNER', team_id: FAKE_TEAM_ID }, team: { id: FAKE_TEAM_ID }, trigger_id: `t${i}`,
      container: { type: 'message', message_ts: '1800000000.000001', channel_id: 'DOWNER', is_ephemeral: false }, channel: { id: 'DOWNER' },
      message: { type: 'message', ts: '1800000000.000001', text: 'nudge', blocks: [{ type: 'section', block_id: `act:${action.id}:card`, text: { type: 'mrkdwn', text: 'card' } }] },
      response_url: fake.responseUrl(`outage-${i}`),
      actions: [{ action_id: `bragbot.brag.${brag}`, block_id: `act:${action.id}:buttons`, value: JSON.stringify({ a: action.id }), type: 'button', action_ts: `1800000100.00000${i}` }],
    }));
    for (const payload of clicks) {
      now += 1_000; // each click a second after the last: the history's order is the clicks' order
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const sent = await signedPost(`${slack.url}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: SECRET });
      expect(sent.status).toBe(200);
      expect(sent.ms).toBeLessThan(3000);
      // Slack retries nothing it got a 200 for, but a person may click twice: the same click again.
      await signedPost(`${slack.url}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: SECRET });
    }
    await expect.poll(async () => t.db.statusUpdate.count({ where: { actionId: action.id } }), { timeout: 10_000 }).toBe(3);

    // Two minutes of 503s, dispatching every 5 s of (fake) time; then ten more minutes.
    let duringOutage = 0;
    for (let step = 0; step < (OUTAGE_MS + 10 * 60_000) / 5_000; step += 1) {
      now += 5_000;
      if (now >= outageEnds) proxy.endOutage();
      const r = await dispatcher.dispatchOnce();
      if (now < outageEnds) duringOutage += r.sent;
    }
    expect(duringOutage).toBe(0);
    expect(proxy.stats.outage['chat.postMessage'] ?? 0).toBeGreaterThan(0);

    const rows = await t.db.outboxMessage.findMany();
    expect(rows.filter((r) => r.status !== 'sent').map((r) => [r.idempotencyKey, r.status, r.lastError])).toEqual([]);
    const byKey = new Map<string, number>();
    for (const c of fake.callsOf('chat.postMessage')) {
      const key = (c.params.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '(none)';
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
    }
    expect([...byKey.keys()].sort()).toEqual(planned.map((p) => p.idempotencyKey).sort());
    expect([...byKey.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // The retries really happened: some rows needed several attempts.
    expect(Math.max(...rows.map((r) => r.attempts))).toBeGreaterThan(1);

    // Every click is in the history once, in order, and the action shows the last one.
    const updates = await t.db.statusUpdate.findMany({ where: { actionId: action.id }, orderBy: { at: 'asc' } });
    expect(updates.map((u) => u.toBrag)).toEqual(['green', 'red', 'green']);
    expect((await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('green');
  });
});
