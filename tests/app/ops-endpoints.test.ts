/**
 * /healthz, /readyz and /metrics against a running `bragbot serve` (bin/bragbot.mjs, as a
 * council runs it), with Slack in HTTP mode against FakeSlack and Teams in its local-demo mode
 * against a fake Bot Connector, on SQLite and PostgreSQL (issue 17 pts 3 and 4). Then SIGTERM
 * while a Slack click and a Teams activity are still being handled: not ready at once, alive
 * throughout, both finish, and the process exits 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { plannedNudge } from '../delivery/support.js';
import { freePort, startServe, type ServeProcess } from '../faults/serve-process.js';
import { FakeSlack, FAKE_TEAM_ID } from '../slack/fake-slack.js';
import { signedPost } from '../slack/harness.js';
import { createTestDatabaseUrl, providers } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { fixture } from '../teams/support/harness.js';

const SECRET = 'ops-endpoints-signing-secret';

/** Prometheus text → { 'name{label="v",…}': value } with labels sorted, replica dropped unless asked for. */
export function parseMetrics(text: string, o: { replica?: boolean } = {}): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].filter((l) => o.replica || l[1] !== 'replica').map((l) => `${l[1]}="${l[2]}"`).sort();
    out.set(labels.length ? `${m[1]}{${labels.join(',')}}` : m[1]!, Number(m[3]));
  }
  return out;
}

/** A Bot Connector that answers every reply after `delayMs`, and records them. */
async function slowConnector(delayMs: number): Promise<{ url: string; server: Server; replies: string[] }> {
  const replies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      replies.push(body);
      setTimeout(() => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${replies.length}` }));
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, replies };
}

describe.each(await providers())('a running bragbot serve on %s', (provider) => {
  let database: Database;
  let drop: () => Promise<void>;
  let fake: FakeSlack;
  let connector: Awaited<ReturnType<typeof slowConnector>>;
  let serve: ServeProcess;
  let teamsUrl: string;
  let actionId: string;
  const due = ['ops:1', 'ops:2', 'ops:3', 'ops:4'];
  const seeded = [...due, 'ops:later', 'ops:console'];
  const replica = `ops-a-${provider}`;

  beforeAll(async () => {
    const created = await createTestDatabaseUrl(provider);
    drop = created.drop;
    database = await openDatabase(created.url);
    const db = database.db;
    const world = await makeStandardGroup(db);
    // Not overdue and not due soon: the start-up plan leaves it alone, the click changes it.
    actionId = (await makeAction(db, world.group.id, { brag: 'amber', ownerIds: [world.owner.id], dueDate: '2099-12-31' })).id;
    const past = new Date(Date.now() - 10 * 60_000);
    await writeOutbox(db, [plannedNudge('ops:1', world.owner, { notBefore: past }), plannedNudge('ops:2', world.manager, { notBefore: past }), plannedNudge('ops:3', world.chair, { notBefore: past }), plannedNudge('ops:4', world.stranger, { notBefore: past }), plannedNudge('ops:later', world.owner, { notBefore: new Date(Date.now() + 86_400_000) })], { platforms: ['slack'], now: new Date() });
    // A due message on a platform this serve does not send on: it waits, and the gauge says for how long.
    await writeOutbox(db, [plannedNudge('ops:console', world.owner, { notBefore: past })], { platforms: ['console'], now: new Date() });
    fake = await new FakeSlack().start();
    // Slack's permanent answer to the first message sent: one message failed for good.
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    connector = await slowConnector(1_500);
    const teamsPort = await freePort();
    teamsUrl = `http://127.0.0.1:${teamsPort}`;
    serve = await startServe({
      DATABASE_URL: database.url, INSTANCE_ID: replica, BRAGBOT_WORKSPACE: 'test-council', SLACK_BOT_TOKEN: 'xoxb-ops', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
      DISPATCH_INTERVAL_MS: '100', SCHEDULER_CRON: '0 0 1 1 *',
      TEAMS_MODE: 'on', TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: 'true', TEAMS_PORT: String(teamsPort),
    });
  }, 90_000);
  afterAll(async () => {
    await serve?.kill();
    await database?.close();
    connector?.server.closeAllConnections();
    connector?.server.close();
    await fake?.stop();
    await drop?.();
  });

  const get = async (path: string) => {
    const res = await fetch(`${serve.opsUrl}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const metrics = async () => parseMetrics((await get('/metrics')).text);

  it('/healthz: alive; /readyz: database, migrations, Slack and Teams checked', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, text: '{"ok":true}\n' });
    // Slack answers first (startServe waits for it); ready only once Teams listens too.
    await expect.poll(async () => (await get('/readyz')).status, { timeout: 20_000, interval: 100 }).toBe(200);
    const ready = await get('/readyz');
    expect(JSON.parse(ready.text)).toEqual({
      ready: true,
      draining: false,
      checks: { database: { ok: true, detail: provider }, migrations: { ok: true }, slack: { ok: true, detail: 'http' }, teams: { ok: true } },
    });
    expect((await get('/nowhere')).status).toBe(404);
  });

  it('/readyz: 503 naming a migration the database has not applied', async () => {
    const db = database.db;
    const [row] = await db.$queryRawUnsafe<{ name: string; checksum: string }[]>('SELECT name, checksum FROM "_bragbot_migrations" ORDER BY name DESC LIMIT 1');
    await db.$executeRawUnsafe(`DELETE FROM "_bragbot_migrations" WHERE name = '${row!.name}'`);
    try {
      const ready = await get('/readyz');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({ ready: false, checks: { database: { ok: true }, migrations: { ok: false, detail: `not applied: ${row!.name}` } } });
      expect((await metrics()).get('bragbot_ready')).toBe(0);
    } finally {
      await db.$executeRawUnsafe(`INSERT INTO "_bragbot_migrations" (name, checksum, applied_at) VALUES ('${row!.name}', '${row!.checksum}', ${provider === 'sqlite' ? `'${new Date().toISOString()}'` : 'now()'})`);
    }
    expect((await get('/readyz')).status).toBe(200);
    expect((await metrics()).get('bragbot_ready')).toBe(1);
  });

  it('/metrics: what was planned, sent, failed and by which route, the outbox, ticks and acknowledgements', async () => {
    const db = database.db;
    const settled = () => db.outboxMessage.count({ where: { idempotencyKey: { in: due }, status: { in: ['sent', 'failed'] } } });
    const dueInHand = () => db.outboxMessage.count({ where: { platform: 'slack', status: { in: ['pending', 'sending'] }, notBefore: { lte: new Date() } } });
    await expect.poll(async () => (await settled()) === due.length && (await dueInHand()) === 0, { timeout: 20_000 }).toBe(true);
    const res = await get('/metrics');
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parseMetrics(res.text, { replica: true }).get(`bragbot_scheduler_ticks_total{replica="${replica}",result="planned",trigger="startup"}`)).toBe(1);
    let m = parseMetrics(res.text);
    const rows = await db.outboxMessage.findMany();
    const sentBySlack = rows.filter((r) => r.status === 'sent' && r.platform === 'slack').length;
    expect(sentBySlack).toBeGreaterThanOrEqual(due.length - 1);
    expect(m.get('bragbot_messages_sent_total{kind="overdue",platform="slack",recovering="false"}')).toBe(sentBySlack);
    // channel_not_found is Slack's final word: failed at the first attempt, counted by route and kind.
    const failedBySlack = rows.filter((r) => r.status === 'failed' && r.platform === 'slack');
    expect(failedBySlack).toHaveLength(1);
    expect(m.get(`bragbot_messages_failed_total{kind="${failedBySlack[0]!.kind}",platform="slack"}`)).toBe(1);
    expect(m.get('bragbot_outbox_messages{platform="slack",status="failed"}')).toBe(1);
    // Planned by this replica's start-up tick: whatever it wrote, nothing of the seeded rows.
    const plannedByServe = rows.filter((r) => !seeded.includes(r.idempotencyKey)).length;
    const plannedTotal = [...m].filter(([k]) => k.startsWith('bragbot_messages_planned_total')).reduce((a, [, v]) => a + v, 0);
    expect(plannedTotal).toBe(plannedByServe);
    expect(m.get('bragbot_scheduler_ticks_total{result="planned",trigger="startup"}')).toBe(1);
    expect(m.get('bragbot_scheduler_last_planned_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 120);
    // The outbox: one Slack message waiting for its quiet hours, one due on a route nobody serves here.
    expect(m.get('bragbot_outbox_messages{platform="slack",status="pending"}')).toBe(1);
    expect(m.get('bragbot_outbox_messages{platform="console",status="pending"}')).toBe(1);
    expect(m.get('bragbot_outbox_oldest_due_seconds{platform="console"}')).toBeGreaterThanOrEqual(590);
    expect(m.get('bragbot_outbox_oldest_due_seconds{platform="slack"}')).toBeUndefined();
    expect(m.has('bragbot_process_resident_memory_bytes')).toBe(true);

    // A click: acknowledged, timed, recorded.
    const ackedBefore = m.get('bragbot_ack_seconds_count{kind="block_actions",platform="slack"}') ?? 0;
    const click = clickPayload(actionId, 'green', fake.responseUrl('metrics'), '1800000300.000001');
    expect((await signedPost(`${serve.slackUrl}/slack/events`, click, 'application/x-www-form-urlencoded', { secret: SECRET })).status).toBe(200);
    await expect.poll(() => db.statusUpdate.count({ where: { actionId } }), { timeout: 10_000 }).toBe(1);
    m = await metrics();
    expect(m.get('bragbot_ack_seconds_count{kind="block_actions",platform="slack"}')).toBe(ackedBefore + 1);
    expect(m.get('bragbot_ack_seconds_bucket{kind="block_actions",le="3",platform="slack"}')).toBe(ackedBefore + 1);
    // Recorded, then the message updated in Slack: after that nothing is left in hand.
    await expect.poll(async () => (await metrics()).get('bragbot_post_ack_in_flight{platform="slack"}'), { timeout: 10_000 }).toBe(0);
    expect((await metrics()).get('bragbot_inbox_depth')).toBe(0);
  });

  it.runIf(provider === 'postgresql')('/metrics: a second replica finds the tick claimed and says so; each series names its replica', async () => {
    // Replica A claimed the start-up tick when it started. On a slow machine that may be longer ago
    // than the 30 s gap, so the tick is stamped now, as a replica starting beside A would find it.
    await database.db.schedulerState.updateMany({ data: { lastRunAt: new Date() } });
    const other = `ops-b-${provider}`;
    const b = await startServe({ DATABASE_URL: database.url, INSTANCE_ID: other, BRAGBOT_WORKSPACE: 'test-council', SLACK_BOT_TOKEN: 'xoxb-ops', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SCHEDULER_CRON: '0 0 1 1 *' });
    try {
      const fromB = async () => parseMetrics(await (await fetch(`${b.opsUrl}/metrics`)).text(), { replica: true });
      await expect.poll(async () => (await fromB()).get(`bragbot_scheduler_ticks_total{replica="${other}",result="skipped",trigger="startup"}`), { timeout: 10_000 }).toBe(1);
      const mb = await fromB();
      expect(mb.get(`bragbot_scheduler_ticks_total{replica="${other}",result="planned",trigger="startup"}`)).toBeUndefined();
      expect(mb.get(`bragbot_scheduler_last_planned_timestamp_seconds{replica="${other}"}`)).toBe(0);
      const ma = parseMetrics((await get('/metrics')).text, { replica: true });
      expect(ma.get(`bragbot_scheduler_ticks_total{replica="${replica}",result="planned",trigger="startup"}`)).toBe(1);
      expect(ma.get(`bragbot_scheduler_ticks_total{replica="${replica}",result="skipped",trigger="startup"}`)).toBeUndefined();
    } finally {
      await b.stop();
    }
  }, 90_000);

  it('SIGTERM: not ready at once, alive throughout, finishes the Slack click and the Teams activity in hand, exits 0', async () => {
    const db = database.db;
    fake.delay('chat.update', 1_500);
    const before = await db.statusUpdate.count({ where: { actionId } });
    expect((await signedPost(`${serve.slackUrl}/slack/events`, clickPayload(actionId, 'red', fake.responseUrl('drain'), '1800000300.000002'), 'application/x-www-form-urlencoded', { secret: SECRET })).status).toBe(200);
    const teamsAnswer = fetch(`${teamsUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixture('playground-message-personal', { SERVICE_URL: connector.url })) }).then(
      (r) => r.status,
      (e: unknown) => `failed: ${String(e)}`,
    );
    // Both are in hand: the click's message update waits on Slack, the activity's reply on the connector.
    await fake.waitFor(() => fake.callsOf('chat.update').length > 0, 10_000);
    await expect.poll(() => connector.replies.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const m = await metrics();
    expect(m.get('bragbot_post_ack_in_flight{platform="slack"}')).toBe(1);
    expect(m.get('bragbot_post_ack_in_flight{platform="teams"}')).toBe(1);
    // The click is in the inbox's hands (written, acknowledged, not finished): the post-ack queue.
    expect(m.get('bragbot_inbox_depth')).toBe(1);

    const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
    serve.child.kill('SIGTERM');
    await expect.poll(async () => (await get('/readyz').catch(() => ({ status: 0, text: '' }))).status, { timeout: 5_000, interval: 50 }).toBe(503);
    const draining = JSON.parse((await get('/readyz')).text) as { draining: boolean; checks: Record<string, { ok: boolean }> };
    expect(draining.draining).toBe(true);
    expect(draining.checks.slack?.ok).toBe(false);
    expect((await get('/healthz')).status).toBe(200);

    expect(await teamsAnswer).toBe(200);
    expect(await exited).toBe(0);
    expect(await db.statusUpdate.count({ where: { actionId } })).toBe(before + 1);
    fake.delay('chat.update', 0);
  }, 60_000);
});

function clickPayload(actionId: string, brag: string, responseUrl: string, actionTs: string): string {
  const payload = {
    type: 'block_actions', user: { id: 'UOWNER', team_id: FAKE_TEAM_ID }, team: { id: FAKE_TEAM_ID }, trigger_id: `t-${actionTs}`,
    container: { type: 'message', message_ts: '1800000000.000001', channel_id: 'DOWNER', is_ephemeral: false }, channel: { id: 'DOWNER' },
    message: { type: 'message', ts: '1800000000.000001', text: 'nudge', blocks: [{ type: 'section', block_id: `act:${actionId}:card`, text: { type: 'mrkdwn', text: 'card' } }] },
    response_url: responseUrl,
    actions: [{ action_id: `bragbot.brag.${brag}`, block_id: `act:${actionId}:buttons`, value: JSON.stringify({ a: actionId }), type: 'button', action_ts: actionTs }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
