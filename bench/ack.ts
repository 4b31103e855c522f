/**
 * Slack acknowledgement latency: signed block_actions (a BRAG button on a nudge, each click a
 * new action_ts so each is real work) at a fixed rate into `bragbot serve`'s HTTP receiver,
 * with autocannon on loopback. The server runs as its own process (one core each on this
 * 2-core machine); its post-ack work (recording the status, chat.update) goes to the fake Web API.
 *   tsx bench/ack.ts <sqlite|postgresql> [rate=200] [seconds=60]
 * The scheduler is off in the served process, so the numbers are the receiver's own.
 */
import { createHmac } from 'node:crypto';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { openDatabase, type DbProvider } from '../src/db/client.js';
import { addMember } from '../src/services/groups.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../tests/support/factories.js';
import { FakeSlack, FAKE_TEAM_ID } from '../tests/slack/fake-slack.js';
import { createTestDatabaseUrl, processCpuMs, processMemoryMb, startServe } from './support.js';

const provider = (process.argv[2] ?? 'sqlite') as DbProvider;
const rate = Number(process.argv[3] ?? 200);
const seconds = Number(process.argv[4] ?? 60);
const SECRET = 'bench-signing-secret-0123456789';
const ACTIONS = 200;

const { url, drop } = await createTestDatabaseUrl(provider);
const fake = await new FakeSlack().start();
try {
  const database = await openDatabase(url);
  const db = database.db;
  const workspaceId = await makeWorkspace(db, 'bench');
  const group = await makeGroup(db, workspaceId);
  const owner = await makePerson(db, workspaceId, { name: 'Olu Owner', slackUserId: 'UOWNER' });
  await addMember(db, group.id, owner.id, 'member');
  const actions: string[] = [];
  for (let i = 0; i < ACTIONS; i += 1) actions.push((await makeAction(db, group.id, { ref: String(i + 1), brag: 'amber', ownerIds: [owner.id] })).id);
  await database.close();

  const serve = await startServe({ DATABASE_URL: url, BRAGBOT_WORKSPACE: 'bench', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SCHEDULER_ENABLED: 'false' });
  // One nudge message per action in the fake, so the click's chat.update finds it.
  const messages: { id: string; ts: string }[] = [];
  for (const id of actions) {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'DOWNER', text: 'nudge', blocks: [{ type: 'section', block_id: `act:${id}:card`, text: { type: 'mrkdwn', text: 'card' } }] }) });
    messages.push({ id, ts: ((await res.json()) as { ts: string }).ts });
  }

  let n = 0;
  const brags = ['green', 'amber', 'red'];
  const load = (overallRate: number, duration: number) => autocannon({
    url: `${serve.slackUrl}/slack/events`,
    connections: 20,
    overallRate,
    duration,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          n += 1;
          const m = messages[n % messages.length]!;
          const actionTs = `1800001000.${String(n).padStart(6, '0')}`;
          const payload = {
            type: 'block_actions', user: { id: 'UOWNER', username: 'olu.owner', name: 'olu.owner', team_id: FAKE_TEAM_ID }, api_app_id: 'A0BRAGBOT', token: 'unused',
            container: { type: 'message', message_ts: m.ts, channel_id: 'DOWNER', is_ephemeral: false }, trigger_id: `trigger-${n}`, team: { id: FAKE_TEAM_ID, domain: 'bench' },
            channel: { id: 'DOWNER', name: 'directmessage' },
            message: { type: 'message', text: 'nudge', ts: m.ts, bot_id: 'BBOT', user: 'UBOT', blocks: [{ type: 'section', block_id: `act:${m.id}:card`, text: { type: 'mrkdwn', text: 'card' } }] },
            state: { values: {} }, response_url: fake.responseUrl(`r-${n}`),
            actions: [{ action_id: `bragbot.brag.${brags[n % brags.length]}`, block_id: `act:${m.id}:buttons`, text: { type: 'plain_text', text: 'Green' }, value: JSON.stringify({ a: m.id }), type: 'button', action_ts: actionTs }],
          };
          const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
          const timestamp = Math.floor(Date.now() / 1000);
          const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
          return { ...req, body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature } };
        },
      },
    ],
  });
  // Warm up first (modules load and code is compiled on the first clicks), then let it settle.
  await load(10, 5);
  await new Promise((r) => setTimeout(r, 3000));
  const cpuBefore = processCpuMs(serve.child.pid!);
  const result = await load(rate, seconds);
  // Let the post-ack work finish (or stop moving for 10 s; at most 3 minutes) before counting it:
  // each acknowledged click ends as a status recorded, a message updated ("already …"), or an
  // answer to the person ("try again") — or, if none of those, lost after its ack.
  const check = await openDatabase(url);
  let recorded = 0;
  let settled = 0;
  let lastSeen = -1;
  const drainStart = performance.now();
  const seen = () => fake.callsOf('chat.update').length + fake.responses.length + fake.callsOf('chat.postEphemeral').length;
  for (let i = 0; i < 360; i += 1) {
    recorded = await check.db.statusUpdate.count();
    const now = seen() + recorded;
    if (now === lastSeen) settled += 1;
    else settled = 0;
    lastSeen = now;
    if (fake.callsOf('chat.update').length + fake.responses.length >= result['2xx'] || settled >= 20) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const drainMs = Math.round(performance.now() - drainStart);
  // The server's CPU per acknowledged click, its HTTP receiver, the recording and the redraw's Web API call included.
  const serverCpuMsPerClick = Math.round(((processCpuMs(serve.child.pid!) - cpuBefore) / Math.max(1, result['2xx'])) * 100) / 100;
  await check.close();
  const answeredTryAgain = fake.responses.filter((r) => JSON.stringify(r.body).includes('try again')).length;
  // Which "try again": turned away by the full queue (busy, the shedding the queue is for), the
  // click's row not written before the ack (database), or worked and failed (database, repeatedly).
  const said = (text: string) => fake.responses.filter((r) => JSON.stringify(r.body).includes(text)).length;
  const answeredBusy = said('bragbot is busy right now');
  const answeredNotWritten = said('could not take that click');
  const answeredFailed = said('that did not work');
  const mem = processMemoryMb(serve.child.pid!);
  await serve.stop();
  console.log(JSON.stringify({
    scenario: 'slack-ack', provider, size: result.requests.total, rate, seconds,
    p50Ms: result.latency.p50, p90Ms: result.latency.p90, p99Ms: result.latency.p99, maxMs: result.latency.max, meanMs: Math.round(result.latency.mean * 100) / 100,
    achievedRate: Math.round(result.requests.total / seconds), ok2xx: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
    statusUpdatesRecorded: recorded, chatUpdates: fake.callsOf('chat.update').length, answeredTryAgain, answeredBusy, answeredNotWritten, answeredFailed, ephemeralAnswers: fake.responses.length,
    postAckDrainMs: drainMs, serverCpuMsPerClick, serverPeakRssMb: mem.peakRssMb, load1: Math.round(loadavg()[0]! * 100) / 100,
  }));
} finally {
  await fake.stop();
  await drop();
}
