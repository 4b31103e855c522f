/**
 * The bot process SIGKILLed mid-dispatch and restarted, on embedded SQLite (the single-process
 * set-up; tests/scheduling/replicas.test.ts covers three PostgreSQL replicas). The real
 * `bragbot serve` sends the outbox through the real Slack port to FakeSlack behind the proxy,
 * which lets the 5th chat.postMessage reach Slack and never answers it: the bot is killed in the
 * worst window (delivered, not recorded as sent), after a person's click was acknowledged.
 * The restarted bot waits out the dead process's lease (60 s), finds the hung message already
 * in Slack by its metadata key, and sends the rest. Slow: `npm run test:faults`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { realClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/client.js';
import { RECOVERED_PREFIX } from '../../src/delivery/dispatcher.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { plannedNudge } from '../delivery/support.js';
import { FakeSlack, FAKE_TEAM_ID } from '../slack/fake-slack.js';
import { signedPost } from '../slack/harness.js';
import { createTestDatabaseUrl } from '../support/db.js';
import { makeAction, makePerson, makeStandardGroup } from '../support/factories.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { SlackProxy } from './slack-proxy.js';

const SECRET = 'faults-signing-secret-0123';
const running: ServeProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.kill();
});

describe('bragbot serve killed with SIGKILL mid-dispatch, then restarted (SQLite)', () => {
  it('loses no planned message, sends none twice, and keeps the acknowledged click', async () => {
    const { url, drop } = await createTestDatabaseUrl('sqlite');
    const fake = await new FakeSlack().start();
    const proxy = await new SlackProxy(fake.base, null).start();
    proxy.latencyMs = 20;
    const database = await openDatabase(url);
    const db = database.db;
    try {
      const world = await makeStandardGroup(db);
      const people = [world.owner, world.manager, world.chair];
      for (let i = 0; i < 7; i += 1) people.push(await makePerson(db, world.workspaceId, { name: `Officer ${i}`, slackUserId: `UOFF${i}` }));
      const planned = Array.from({ length: 30 }, (_, i) => plannedNudge(`kill:${i}`, people[i % people.length]!, { notBefore: new Date(Date.now() - 60_000) }));
      await writeOutbox(db, planned, { platforms: ['slack'], now: realClock() });
      // Due far ahead, and no cron tick during the test: the bot's own plan adds nothing to the 30
      // (the factory's 2021 due date made the start-up tick nudge its owner in working hours, and a
      // quarter-hour tick after the click could plan the Red's escalation).
      const action = await makeAction(db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id], dueDate: '2099-12-31' });

      let hung = false;
      proxy.hangAfter('chat.postMessage', 5, () => (hung = true));
      const env = {
        DATABASE_URL: url, BRAGBOT_WORKSPACE: 'test-council', SLACK_BOT_TOKEN: 'xoxb-faults', SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: proxy.apiUrl, DISPATCH_INTERVAL_MS: '100', SCHEDULER_CRON: '0 0 1 1 *',
      };
      const first = await startServe(env);
      running.push(first);
      await expect.poll(() => hung, { timeout: 30_000 }).toBe(true);

      // A click, acknowledged and recorded, just before the kill.
      const click = {
        type: 'block_actions', user: { id: 'UOWNER', team_id: FAKE_TEAM_ID }, team: { id: FAKE_TEAM_ID }, trigger_id: 'tk',
        container: { type: 'message', message_ts: '1800000000.000001', channel_id: 'DOWNER', is_ephemeral: false }, channel: { id: 'DOWNER' },
        message: { type: 'message', ts: '1800000000.000001', text: 'nudge', blocks: [{ type: 'section', block_id: `act:${action.id}:card`, text: { type: 'mrkdwn', text: 'card' } }] },
        response_url: fake.responseUrl('kill'),
        actions: [{ action_id: 'bragbot.brag.red', block_id: `act:${action.id}:buttons`, value: JSON.stringify({ a: action.id }), type: 'button', action_ts: '1800000200.000001' }],
      };
      const body = `payload=${encodeURIComponent(JSON.stringify(click))}`;
      expect((await signedPost(`${first.slackUrl}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: SECRET })).status).toBe(200);
      await expect.poll(() => db.statusUpdate.count({ where: { actionId: action.id } }), { timeout: 10_000 }).toBe(1);
      await first.kill();
      const hungKeys = (await db.outboxMessage.findMany({ where: { status: 'sending' }, select: { idempotencyKey: true } })).map((r) => r.idempotencyKey);
      expect(hungKeys.length).toBeGreaterThan(0);

      const second = await startServe(env);
      running.push(second);
      // The same click again (a person double-clicking after the restart): recorded once.
      expect((await signedPost(`${second.slackUrl}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: SECRET })).status).toBe(200);
      await expect
        .poll(async () => (await db.outboxMessage.count({ where: { status: 'sent' } })) === planned.length, { timeout: 120_000, interval: 500 })
        .toBe(true);
      await second.stop();

      const byKey = new Map<string, number>();
      for (const c of fake.callsOf('chat.postMessage')) {
        const key = (c.params.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '(none)';
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
      }
      expect([...byKey.keys()].sort()).toEqual(planned.map((p) => p.idempotencyKey).sort());
      expect([...byKey.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      // The message delivered just before the kill was taken over as a possible repeat and found in Slack.
      const rows = await db.outboxMessage.findMany({ where: { idempotencyKey: { in: hungKeys } } });
      expect(rows.some((r) => r.lastError?.startsWith(RECOVERED_PREFIX))).toBe(true);
      expect(fake.callsOf('conversations.history').length).toBeGreaterThan(0);
      // The click survived the kill, once.
      const updates = await db.statusUpdate.findMany({ where: { actionId: action.id } });
      expect(updates.map((u) => u.toBrag)).toEqual(['red']);
      expect((await db.action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('red');
    } finally {
      await database.close();
      await proxy.stop();
      await fake.stop();
      await drop();
    }
  }, 180_000);
});
