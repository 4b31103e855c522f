/**
 * Delivery benchmark: the real planner writes the outbox for a council (owners with overdue
 * actions, line managers, chairs, group channels with a meeting next week), and the real
 * Dispatcher sends it through the real Slack ChatPort and WebClient to a fake Slack Web API
 * behind tests/faults/slack-proxy.ts, which enforces Slack's published limits with 429 +
 * Retry-After (Tier 3 conversations.open, chat.postMessage ~1/s per channel, …).
 *   tsx bench/delivery.ts <sqlite|postgresql> [owners=60] [groups=4]
 * Reports messages delivered per minute, and that as a share of what the limits allow for this
 * workload: the least time any sender could take (the bound of the tightest bucket), divided by
 * the time taken. Duplicates and losses are counted from what the fake received.
 */
import { createSlackWebClient } from '../src/adapters/slack/app.js';
import { realClock } from '../src/clock.js';
import { createSlackChatPort } from '../src/adapters/slack/chat-port.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DbProvider } from '../src/db/client.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { silentLogger } from '../src/logging.js';
import { runNudgeCycle } from '../src/scheduling/cycle.js';
import { addMeeting, addMember, setGroupChannel } from '../src/services/groups.js';
import { recordUpdate } from '../src/services/status-updates.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../tests/support/factories.js';
import { SLACK_PUBLISHED_LIMITS, SlackProxy, type Limit } from '../tests/faults/slack-proxy.js';
import { FakeSlack } from '../tests/slack/fake-slack.js';
import { createTestDatabaseUrl, peakRssMb } from './support.js';

const provider = (process.argv[2] ?? 'sqlite') as DbProvider;
const ownerCount = Number(process.argv[3] ?? 60);
const groupCount = Number(process.argv[4] ?? 4);
// Monday 5 July 2021, 10:00 London: digest day; meetings on Friday 9 July (update rounds open).
// Every third owner's action turned Red last week, so managers and chairs get an escalation as
// well as their digest: two messages to one DM channel, which chat.postMessage's per-channel limit meets.
const NOW = new Date('2021-07-05T09:00:00Z');

const { url, drop } = await createTestDatabaseUrl(provider);
const database = await openDatabase(url);
const db = database.db;
const fake = await new FakeSlack().start();
const proxy = await new SlackProxy(fake.base).start();
try {
  const workspaceId = await makeWorkspace(db);
  const managers = [];
  for (let m = 0; m < Math.ceil(ownerCount / 10); m += 1) managers.push(await makePerson(db, workspaceId, { name: `Manager ${m}`, slackUserId: `UMGR${m}` }));
  const groups = [];
  for (let g = 0; g < groupCount; g += 1) {
    const group = await makeGroup(db, workspaceId, { slug: `group-${g}`, name: `Group ${g}` });
    const chair = await makePerson(db, workspaceId, { name: `Chair ${g}`, slackUserId: `UCHAIR${g}` });
    await addMember(db, group.id, chair.id, 'chair');
    await setGroupChannel(db, group.id, { platform: 'slack', conversationId: `CGROUP${g}` });
    await addMeeting(db, group.id, '2021-07-09');
    groups.push(group);
  }
  for (let i = 0; i < ownerCount; i += 1) {
    const owner = await makePerson(db, workspaceId, { name: `Owner ${i}`, slackUserId: `UOWN${i}`, manager: `Manager ${Math.floor(i / 10)}` });
    const group = groups[i % groups.length]!;
    const late = await makeAction(db, group.id, { dueDate: '2021-06-18', brag: 'amber', ownerIds: [owner.id], lastUpdatedAt: new Date('2021-05-01T10:00:00Z') });
    if (i % 3 === 0) {
      await recordUpdate(db, { workspaceId, actionId: late.id, personId: owner.id, channel: 'slack', brag: 'red', note: 'Blocked on funding.', idempotencyKey: `bench-red-${i}`, now: new Date('2021-07-01T14:00:00Z') });
    }
    await makeAction(db, group.id, { dueDate: '2021-07-05', brag: 'green', ownerIds: [owner.id], lastUpdatedAt: new Date('2021-05-01T10:00:00Z') });
  }
  const cycle = await runNudgeCycle(db, { workspaceId, now: NOW, platforms: ['slack'] });
  const planned = cycle.written.inserted;
  const rows = await db.outboxMessage.findMany({ where: { status: 'pending' }, select: { idempotencyKey: true, personId: true, groupId: true } });

  // What the limits allow: every DM needs conversations.open once per person, every message a
  // chat.postMessage in its channel. The least time is the tightest bucket's.
  const dmPeople = new Set(rows.filter((r) => r.personId).map((r) => r.personId));
  const perChannel = new Map<string, number>();
  for (const r of rows) perChannel.set(r.personId ?? `g:${r.groupId}`, (perChannel.get(r.personId ?? `g:${r.groupId}`) ?? 0) + 1);
  const bound = (n: number, l: Limit) => (Math.max(0, n - (l.burst ?? Math.max(1, Math.floor(l.perMinute / 6)))) / l.perMinute) * 60_000;
  const L = SLACK_PUBLISHED_LIMITS;
  const idealMs = Math.max(
    bound(dmPeople.size, L.perMethod['conversations.open']!),
    bound(rows.length, L.perMethod['chat.postMessage']!),
    bound(Math.max(...perChannel.values()), L.perChannel['chat.postMessage']!),
  );

  const config = loadConfig({ SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_API_URL: proxy.apiUrl });
  const port = createSlackChatPort({ client: createSlackWebClient(config, silentLogger, 'outbox'), db, workspaceId, logger: silentLogger });
  const dispatcher = new Dispatcher({ db, provider, ports: [port], instanceId: 'bench', clock: realClock });
  const t0 = performance.now();
  const report = await dispatcher.drain({ maxWaitMs: 120_000, timeoutMs: 15 * 60_000 });
  const elapsedMs = Math.round(performance.now() - t0);

  const posts = fake.callsOf('chat.postMessage');
  const byKey = new Map<string, number>();
  for (const p of posts) {
    const key = (p.params.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '(none)';
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  const after = await db.outboxMessage.groupBy({ by: ['status'], _count: true });
  console.log(JSON.stringify({
    scenario: 'delivery', provider, size: planned.length, recipients: dmPeople.size, channels: perChannel.size,
    elapsedMs, idealMs: Math.round(idealMs),
    perMinute: Math.round((posts.length / (elapsedMs / 60_000)) * 10) / 10,
    allowedPerMinute: Math.round((rows.length / (idealMs / 60_000)) * 10) / 10,
    shareOfLimit: Math.round((idealMs / elapsedMs) * 1000) / 1000,
    duplicates: [...byKey.values()].filter((n) => n > 1).length,
    lost: planned.filter((k) => !byKey.has(k)).length,
    statuses: Object.fromEntries(after.map((a) => [a.status, a._count])),
    rateLimited: proxy.stats.rateLimited, forwarded: proxy.stats.forwarded, dispatch: report, peakRssMb: peakRssMb(),
  }));
} finally {
  await proxy.stop();
  await fake.stop();
  await database.close();
  await drop();
}
