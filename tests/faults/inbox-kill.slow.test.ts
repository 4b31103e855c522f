/**
 * Issue 19 pt 1: `bragbot serve` SIGKILLed in the middle of a burst of clicks. Slack never resends
 * an interaction it was told we received, so every click that got its acknowledgement must end
 * recorded once and its person told, by the restarted process if the first did not get there.
 * (Before the inbox, a kill while clicks were queued after their ack lost 32 of 154 at ~40/s.)
 *
 * The real binary (bin/bragbot.mjs) against FakeSlack behind the proxy, which makes every Slack
 * call take 250 ms, so acknowledged clicks are still being worked when the kill comes. A short
 * inbox lease (3 s) lets the restarted process take over soon. Slow: `npm run test:faults`.
 */
import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { FakeSlack, FAKE_TEAM_ID } from '../slack/fake-slack.js';
import { createTestDatabaseUrl, providers } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { SlackProxy } from './slack-proxy.js';

const SECRET = 'faults-signing-secret-0123';
const CLICKS = 160;
const RATE = 60; // clicks a second
const KILL_AFTER_ACKS = 70;

const running: ServeProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.kill();
});

function signed(body: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  };
}

describe.each(await providers())('bragbot serve SIGKILLed mid-burst of clicks (%s)', (provider) => {
  it('every acknowledged click ends recorded once and its person told', async () => {
    const { url, drop } = await createTestDatabaseUrl(provider);
    const fake = await new FakeSlack().start();
    const proxy = await new SlackProxy(fake.base, null).start();
    const database = await openDatabase(url);
    const db = database.db;
    try {
      const world = await makeStandardGroup(db);
      const clicks: { actionId: string; ts: string; key: string; body: string }[] = [];
      for (let i = 0; i < CLICKS; i += 1) {
        const action = await makeAction(db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] });
        const posted = await fetch(`${fake.apiUrl}chat.postMessage`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'DOWNER', text: 'nudge', blocks: [{ type: 'section', block_id: `act:${action.id}:card`, text: { type: 'mrkdwn', text: 'card' } }] }),
        });
        const ts = ((await posted.json()) as { ts: string }).ts;
        const actionTs = `1800003000.${String(i).padStart(6, '0')}`;
        const payload = {
          type: 'block_actions', user: { id: 'UOWNER', team_id: FAKE_TEAM_ID }, team: { id: FAKE_TEAM_ID }, trigger_id: `t-${i}`,
          container: { type: 'message', message_ts: ts, channel_id: 'DOWNER', is_ephemeral: false }, channel: { id: 'DOWNER' },
          message: { type: 'message', ts, text: 'nudge', blocks: [{ type: 'section', block_id: `act:${action.id}:card`, text: { type: 'mrkdwn', text: 'card' } }] },
          response_url: fake.responseUrl(`kill-${i}`),
          actions: [{ action_id: 'bragbot.brag.green', block_id: `act:${action.id}:buttons`, value: JSON.stringify({ a: action.id }), type: 'button', action_ts: actionTs }],
        };
        clicks.push({ actionId: action.id, ts, key: `slack:brag:${action.id}:green:ts${actionTs}:UOWNER`, body: `payload=${encodeURIComponent(JSON.stringify(payload))}` });
      }
      const env = {
        DATABASE_URL: url, BRAGBOT_WORKSPACE: 'test-council', SLACK_BOT_TOKEN: 'xoxb-faults', SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: proxy.apiUrl, SCHEDULER_ENABLED: 'false', INBOX_LEASE_MS: '3000',
      };
      const first = await startServe(env);
      running.push(first);
      proxy.latencyMs = 250;

      // The burst: a click every 1/RATE s, each on its own action and message; SIGKILL once
      // KILL_AFTER_ACKS have been acknowledged (the rest of the burst meets a dead server).
      const acked = new Set<number>();
      let killed: Promise<void> | null = null;
      const sends: Promise<void>[] = [];
      for (let i = 0; i < CLICKS && !killed; i += 1) {
        const c = clicks[i]!;
        sends.push(
          fetch(`${first.slackUrl}/slack/events`, { method: 'POST', headers: signed(c.body), body: c.body })
            .then(async (res) => {
              await res.text();
              if (res.status === 200 && !killed) acked.add(i);
              if (acked.size >= KILL_AFTER_ACKS && !killed) killed = first.kill();
            })
            .catch(() => undefined),
        );
        await new Promise((r) => setTimeout(r, 1000 / RATE));
      }
      await Promise.all(sends);
      await killed;
      expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      // The kill came with acknowledged clicks still in hand: not yet worked, or not yet told.
      const unfinished = await db.inboundInteraction.count({ where: { doneAt: null } });
      expect(unfinished).toBeGreaterThan(0);

      proxy.latencyMs = 20;
      const second = await startServe(env);
      running.push(second);
      await expect.poll(() => db.inboundInteraction.count({ where: { doneAt: null } }), { timeout: 60_000, interval: 500 }).toBe(0);
      await second.stop();

      const updatedTs = new Set(fake.callsOf('chat.update').filter((c) => JSON.stringify(c.params.blocks ?? '').includes('ecorded')).map((c) => String(c.params.ts)));
      const lost: number[] = [];
      for (const i of acked) {
        const c = clicks[i]!;
        const recorded = await db.statusUpdate.count({ where: { idempotencyKey: c.key } });
        // Told: its nudge updated in place (or, failing that, a private note through its response_url).
        const told = updatedTs.has(c.ts) || fake.responses.some((r) => r.id === `kill-${i}`);
        expect([i, recorded]).toEqual([i, 1]);
        if (!told) lost.push(i);
        expect((await db.action.findUniqueOrThrow({ where: { id: c.actionId } })).brag).toBe('green');
      }
      expect(lost).toEqual([]);
      // Nothing was recorded twice, acknowledged or not (a click written but killed before its ack is finished too).
      const keys = await db.statusUpdate.groupBy({ by: ['actionId'], _count: { _all: true } });
      expect(keys.filter((k) => k._count._all > 1)).toEqual([]);
      const rows = await db.inboundInteraction.findMany({ select: { outcome: true, claimedBy: true } });
      expect(rows.every((r) => r.outcome === 'recorded' || r.outcome === 'duplicate')).toBe(true);
      process.stderr.write(`[inbox-kill ${provider}] ${acked.size} acknowledged before the kill, ${unfinished} unfinished at the kill, ${rows.length} in the inbox; all recorded once and told\n`);
    } finally {
      await database.close();
      await proxy.stop();
      await fake.stop();
      await drop();
    }
  }, 240_000);
});
