/**
 * PostgreSQL restarted (the real server: pg_ctlcluster … restart) while `bragbot serve` is
 * dispatching nudges and people are clicking. The bot must ride it out: no planned message lost
 * or sent twice, and every click either recorded once or answered with "try again" (never lost
 * silently). Slow and disruptive: `npm run test:faults` only, and the server is started again at
 * the end whatever happens. Skips where there is no local cluster to restart.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { realClock } from '../../src/clock.js';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { plannedNudge } from '../delivery/support.js';
import { FakeSlack, FAKE_TEAM_ID } from '../slack/fake-slack.js';
import { signedPost } from '../slack/harness.js';
import { createTestDatabaseUrl, PG_ADMIN_URL, postgresAvailable } from '../support/db.js';
import { makeAction, makePerson, makeStandardGroup } from '../support/factories.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { SlackProxy } from './slack-proxy.js';

const SECRET = 'faults-signing-secret-0123';
const CLUSTER = ['15', 'main'];
const canRestart = (await postgresAvailable()) && spawnSync('pg_ctlcluster', ['--help']).status !== null && spawnSync('pg_lsclusters', []).stdout?.toString().includes('15');

async function pgUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function ensurePgRunning(): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    if (await pgUp()) return;
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...CLUSTER, 'start']);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('PostgreSQL did not come back: pg_ctlcluster --skip-systemctl-redirect 15 main start');
}

const running: ServeProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.kill();
  if (canRestart) await ensurePgRunning();
});

describe.skipIf(!canRestart)('PostgreSQL restarted while bragbot serve dispatches', () => {
  it('loses no planned message, sends none twice, and loses no click silently', async () => {
    const { url, drop } = await createTestDatabaseUrl('postgresql');
    const fake = await new FakeSlack().start();
    const proxy = await new SlackProxy(fake.base, null).start();
    proxy.latencyMs = 40; // ~20 messages a second: the restart lands mid-dispatch
    const database = await openDatabase(url);
    const db = database.db;
    let serve: ServeProcess | undefined;
    try {
      const world = await makeStandardGroup(db);
      const people = [world.owner, world.manager, world.chair];
      for (let i = 0; i < 17; i += 1) people.push(await makePerson(db, world.workspaceId, { name: `Officer ${i}`, slackUserId: `UOFF${i}` }));
      const planned = Array.from({ length: 150 }, (_, i) => plannedNudge(`pgr:${i}`, people[i % people.length]!, { notBefore: new Date(Date.now() - 60_000) }));
      await writeOutbox(db, planned, { platforms: ['slack'], now: realClock() });
      const actions = [];
      for (let i = 0; i < 10; i += 1) actions.push(await makeAction(db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id] }));
      await database.close();

      serve = await startServe({
        DATABASE_URL: url, BRAGBOT_WORKSPACE: 'test-council', SLACK_BOT_TOKEN: 'xoxb-faults', SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: proxy.apiUrl, DISPATCH_INTERVAL_MS: '200', LOG_LEVEL: 'error',
      });
      running.push(serve);
      await expect.poll(() => fake.callsOf('chat.postMessage').length, { timeout: 30_000 }).toBeGreaterThan(20);

      // Clicks every 150 ms from before the restart to after it.
      const clicks: { actionId: string; brag: string; status: number; responses: () => number }[] = [];
      let clicking = true;
      const clicker = (async () => {
        for (let i = 0; clicking && i < 200; i += 1) {
          const action = actions[i % actions.length]!;
          const brag = ['green', 'red'][Math.floor(i / actions.length) % 2]!;
          const payload = {
            type: 'block_actions', user: { id: 'UOWNER', team_id: FAKE_TEAM_ID }, team: { id: FAKE_TEAM_ID }, trigger_id: `t${i}`,
            container: { type: 'message', message_ts: '1800000000.000001', channel_id: 'DOWNER', is_ephemeral: false }, channel: { id: 'DOWNER' },
            message: { type: 'message', ts: '1800000000.000001', text: 'nudge', blocks: [] },
            response_url: fake.responseUrl(`pgr-${i}`),
            actions: [{ action_id: `bragbot.brag.${brag}`, block_id: `act:${action.id}:buttons`, value: JSON.stringify({ a: action.id }), type: 'button', action_ts: `1800000300.${String(i).padStart(6, '0')}` }],
          };
          const sent = await signedPost(`${serve!.slackUrl}/slack/events`, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', { secret: SECRET }).catch(() => ({ status: 0 }));
          clicks.push({ actionId: action.id, brag, status: sent.status, responses: () => fake.responses.filter((r) => r.id === `pgr-${i}`).length });
          await new Promise((r) => setTimeout(r, 150));
        }
      })();

      const sentBeforeRestart = fake.callsOf('chat.postMessage').length;
      expect(sentBeforeRestart).toBeLessThan(planned.length); // the restart lands mid-dispatch
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...CLUSTER, 'restart'], { stdio: 'ignore', timeout: 60_000 });
      await ensurePgRunning();
      await new Promise((r) => setTimeout(r, 3000));
      clicking = false;
      await clicker;

      const check = await openDatabase(url);
      try {
        await expect
          .poll(async () => (await check.db.outboxMessage.count({ where: { status: 'sent' } })) === planned.length, { timeout: 150_000, interval: 1000 })
          .toBe(true);
        expect(serve.child.exitCode).toBeNull(); // it rode the restart out
        const byKey = new Map<string, number>();
        for (const c of fake.callsOf('chat.postMessage')) {
          const key = (c.params.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '(none)';
          byKey.set(key, (byKey.get(key) ?? 0) + 1);
        }
        expect([...byKey.keys()].sort()).toEqual(planned.map((p) => p.idempotencyKey).sort());
        expect([...byKey.entries()].filter(([, n]) => n !== 1)).toEqual([]);

        // Every acknowledged click is recorded once, or the person was answered (try again).
        await new Promise((r) => setTimeout(r, 2000));
        const updates = await check.db.statusUpdate.findMany({ where: { actionId: { in: actions.map((a) => a.id) } } });
        const keys = new Set(updates.map((u) => u.idempotencyKey));
        expect(keys.size).toBe(updates.length);
        const silent = clicks.filter((c, i) => c.status === 200 && !updates.some((u) => u.idempotencyKey?.includes(`1800000300.${String(i).padStart(6, '0')}`)) && c.responses() === 0);
        const recorded = clicks.filter((_, i) => updates.some((u) => u.idempotencyKey?.includes(`1800000300.${String(i).padStart(6, '0')}`))).length;
        process.stderr.write(`[pg-restart] ${sentBeforeRestart} of ${planned.length} sent before the restart; ${clicks.length} clicks, ${recorded} recorded, ${clicks.length - recorded} answered instead (unchanged or "try again")\n`);
        expect(silent.length, `${silent.length} of ${clicks.length} clicks were acknowledged but neither recorded nor answered`).toBe(0);
      } finally {
        await check.close();
      }
    } finally {
      await serve?.stop();
      await proxy.stop();
      await fake.stop();
      await ensurePgRunning();
      await drop();
    }
  }, 300_000);
});
