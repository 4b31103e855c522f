/**
 * Slack acknowledgement latency: signed block_actions (a BRAG button on a nudge, each click a
 * new action_ts so each is real work) at a rate into `bragbot serve`'s HTTP receiver on loopback.
 * The server runs as its own process (one core each on this 2-core machine); its post-ack work
 * (recording the status, chat.update) goes to the fake Web API.
 *   tsx bench/ack.ts <sqlite|postgresql> [rate=200] [seconds=60] [poisson|burst]
 * poisson (the default): clicks arrive independently at that rate on average, each timed from when
 * it was due. burst: autocannon's overallRate, which sends each second's quota at the start of the
 * second (200/s is a burst of 200 clicks, 20 at a time, then quiet): the harsher shape.
 * The scheduler is off in the served process, so the numbers are the receiver's own.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { openDatabase, type DbProvider } from '../src/db/client.js';
import { addMember } from '../src/services/groups.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../tests/support/factories.js';
import { FakeSlack, FAKE_TEAM_ID } from '../tests/slack/fake-slack.js';
import { createTestDatabaseUrl, processCpuMs, processMemoryMb, startServe } from './support.js';

const provider = (process.argv[2] ?? 'sqlite') as DbProvider;
const rate = Number(process.argv[3] ?? 200);
const seconds = Number(process.argv[4] ?? 60);
/** How clicks arrive: 'poisson' (independent clicks at that rate on average) or 'burst' (autocannon's per-second quota). */
const arrival = (process.argv[5] ?? 'poisson') as 'poisson' | 'burst';
if (arrival !== 'poisson' && arrival !== 'burst') throw new Error(`arrival must be poisson or burst, not ${String(arrival)}`);
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
  for (let i = 0; i < ACTIONS; i += 1) actions.push((await makeAction(db, group.id, { ref: String(i + 1), brag: 'red', ownerIds: [owner.id] })).id);
  await database.close();

  const serve = await startServe({ DATABASE_URL: url, BRAGBOT_WORKSPACE: 'bench', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SCHEDULER_ENABLED: 'false' });
  // One nudge message per action in the fake, so the click's chat.update finds it.
  const messages: { id: string; ts: string }[] = [];
  for (const id of actions) {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'DOWNER', text: 'nudge', blocks: [{ type: 'section', block_id: `act:${id}:card`, text: { type: 'mrkdwn', text: 'card' } }] }) });
    messages.push({ id, ts: ((await res.json()) as { ts: string }).ts });
  }

  let n = 0;
  // An action's clicks go green, amber, red, green… from red: each one changes it, so each records.
  const brags = ['green', 'amber', 'red'];
  /** The next click: signed as Slack signs, each a new action_ts on the next action's nudge. */
  const signedClick = (): { body: string; headers: Record<string, string> } => {
    n += 1;
    const m = messages[n % messages.length]!;
    const actionTs = `1800001000.${String(n).padStart(6, '0')}`;
    const payload = {
      type: 'block_actions', user: { id: 'UOWNER', username: 'olu.owner', name: 'olu.owner', team_id: FAKE_TEAM_ID }, api_app_id: 'A0BRAGBOT', token: 'unused',
      container: { type: 'message', message_ts: m.ts, channel_id: 'DOWNER', is_ephemeral: false }, trigger_id: `trigger-${n}`, team: { id: FAKE_TEAM_ID, domain: 'bench' },
      channel: { id: 'DOWNER', name: 'directmessage' },
      message: { type: 'message', text: 'nudge', ts: m.ts, bot_id: 'BBOT', user: 'UBOT', blocks: [{ type: 'section', block_id: `act:${m.id}:card`, text: { type: 'mrkdwn', text: 'card' } }] },
      state: { values: {} }, response_url: fake.responseUrl(`r-${n}`),
      actions: [{ action_id: `bragbot.brag.${brags[Math.floor(n / messages.length) % brags.length]}`, block_id: `act:${m.id}:buttons`, text: { type: 'plain_text', text: 'Green' }, value: JSON.stringify({ a: m.id }), type: 'button', action_ts: actionTs }],
    };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature } };
  };
  const load = (overallRate: number, duration: number) => (arrival === 'burst' ? burst(overallRate, duration) : poisson(overallRate, duration));
  /**
   * autocannon's overallRate: each of 20 connections sends its share of the second's quota back to
   * back as the second starts, then waits for the next — 200 "per second" arrive as one burst of
   * 200, 20 at a time, every second.
   */
  const burst = async (overallRate: number, duration: number): Promise<Load> => {
    const r = await autocannon({
      url: `${serve.slackUrl}/slack/events`, connections: 20, overallRate, duration, timeout: 10,
      requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...signedClick() }) }],
    });
    return { total: r.requests.total, ok2xx: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean, lateP99: null, connections: 20 };
  };
  /**
   * Clicks as people make them: independent arrivals (exponential gaps) at `overallRate` on average,
   * sent when due whether or not earlier answers have come (open loop, new connections as needed),
   * each timed from the moment it was due, so a late sender counts against the server, not for it.
   */
  const poisson = async (overallRate: number, duration: number): Promise<Load> => {
    const target = new URL(`${serve.slackUrl}/slack/events`);
    const agent = new Agent({ keepAlive: true, maxSockets: 512 });
    let sockets = 0;
    const latencies: number[] = [];
    const late: number[] = [];
    let ok2xx = 0;
    let non2xx = 0;
    let errors = 0;
    let slow = 0;
    const inFlight = new Set<Promise<void>>();
    const send = (due: number) => {
      const { body, headers } = signedClick();
      late.push(performance.now() - due);
      const p = new Promise<void>((resolve) => {
        const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) ok2xx += 1;
            else non2xx += 1;
            resolve();
          });
        });
        req.on('socket', (socket) => {
          if (!(socket as { counted?: boolean }).counted) {
            (socket as { counted?: boolean }).counted = true;
            sockets += 1;
          }
        });
        // Not aborted: counted, and the answer still timed when it comes (autocannon's 'timeouts' are its 10 s too).
        req.on('timeout', () => void (slow += 1));
        req.on('error', () => {
          errors += 1;
          resolve();
        });
        req.end(body);
      });
      inFlight.add(p);
      void p.then(() => inFlight.delete(p));
    };
    const start = performance.now();
    const end = start + duration * 1000;
    let due = start;
    let total = 0;
    while (due < end) {
      const now = performance.now();
      if (due > now) await new Promise((r) => setTimeout(r, Math.max(0, due - now - 0.5)));
      while (due <= performance.now() && due < end) {
        send(due);
        total += 1;
        due += -Math.log(1 - Math.random()) * (1000 / overallRate);
      }
    }
    await Promise.all(inFlight);
    agent.destroy();
    latencies.sort((a, b) => a - b);
    late.sort((a, b) => a - b);
    const q = (xs: number[], f: number) => Math.round((xs[Math.min(xs.length - 1, Math.floor(xs.length * f))] ?? 0) * 10) / 10;
    return { total, ok2xx, non2xx, errors, p50: q(latencies, 0.5), p90: q(latencies, 0.9), p99: q(latencies, 0.99), max: q(latencies, 1), mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), lateP99: q(late, 0.99), connections: sockets, timeouts: slow };
  };
  // Warm up first (modules load and code is compiled on the first clicks), then let it settle.
  await load(10, 5);
  await new Promise((r) => setTimeout(r, 3000));
  // The load generator's own event loop (the fake Web API shares it): were it to stall, the
  // latencies would be partly its own.
  const benchLoop = monitorEventLoopDelay({ resolution: 5 });
  benchLoop.enable();
  const acksBefore = await serverAcks(serve.opsUrl);
  // What the warm-up left, so that only the measured clicks are counted below.
  const check = await openDatabase(url);
  // Clicks whose person was told: the message updated in place, or an answer on its response_url.
  const told = () => fake.callsOf('chat.update').length + fake.responses.length;
  const seen = () => told() + fake.callsOf('chat.postEphemeral').length;
  const warmRecorded = await check.db.statusUpdate.count();
  const warmTold = told();
  const warmResponses = fake.responses.length;
  const cpuBefore = processCpuMs(serve.child.pid!);
  const result = await load(rate, seconds);
  benchLoop.disable();
  const acksAfter = await serverAcks(serve.opsUrl);
  // Let the post-ack work finish (or stop moving for 10 s; at most 3 minutes) before counting it:
  // each acknowledged click ends as a status recorded, a message updated ("already …"), or an
  // answer to the person ("try again") — or, if none of those, lost after its ack.
  let recorded = 0;
  let settled = 0;
  let lastSeen = -1;
  const drainStart = performance.now();
  for (let i = 0; i < 360; i += 1) {
    recorded = (await check.db.statusUpdate.count()) - warmRecorded;
    const now = seen() + recorded;
    if (now === lastSeen) settled += 1;
    else settled = 0;
    lastSeen = now;
    if (told() - warmTold >= result.ok2xx || settled >= 20) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const drainMs = Math.round(performance.now() - drainStart);
  recorded = (await check.db.statusUpdate.count()) - warmRecorded; // after the last message counted above
  // The server's CPU per acknowledged click, its HTTP receiver, the recording and the redraw's Web API call included.
  const serverCpuMsPerClick = Math.round(((processCpuMs(serve.child.pid!) - cpuBefore) / Math.max(1, result.ok2xx)) * 100) / 100;
  await check.close();
  const responses = fake.responses.slice(warmResponses);
  const answeredTryAgain = responses.filter((r) => JSON.stringify(r.body).includes('try again')).length;
  // Which "try again": turned away by the full queue (busy, the shedding the queue is for), the
  // click's row not written before the ack (database), or worked and failed (database, repeatedly).
  const said = (text: string) => responses.filter((r) => JSON.stringify(r.body).includes(text)).length;
  const answeredBusy = said('bragbot is busy right now');
  const answeredNotWritten = said('could not take that click');
  const answeredFailed = said('that did not work');
  const mem = processMemoryMb(serve.child.pid!);
  await serve.stop();
  console.log(JSON.stringify({
    scenario: 'slack-ack', provider, size: result.total, rate, seconds, arrival, connections: result.connections,
    p50Ms: result.p50, p90Ms: result.p90, p99Ms: result.p99, maxMs: result.max, meanMs: Math.round(result.mean * 100) / 100, senderLateP99Ms: result.lateP99,
    achievedRate: Math.round(result.total / seconds), ok2xx: result.ok2xx, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
    statusUpdatesRecorded: recorded, chatUpdates: fake.callsOf('chat.update').length - (warmTold - warmResponses), answeredTryAgain, answeredBusy, answeredNotWritten, answeredFailed, ephemeralAnswers: responses.length,
    postAckDrainMs: drainMs, serverCpuMsPerClick, serverPeakRssMb: mem.peakRssMb,
    serverAckMeanMs: acksAfter.count > acksBefore.count ? Math.round(((acksAfter.sum - acksBefore.sum) / (acksAfter.count - acksBefore.count)) * 1e4) / 10 : null,
    serverAcksOver50Ms: acksAfter.count - acksAfter.within50ms - (acksBefore.count - acksBefore.within50ms),
    serverLoopLagMaxMs: acksAfter.loopMaxMs,
    benchLoopDelayP99Ms: Math.round(benchLoop.percentile(99) / 1e5) / 10, benchLoopDelayMaxMs: Math.round(benchLoop.max / 1e5) / 10, load1: Math.round(loadavg()[0]! * 100) / 100,
  }));
} finally {
  await fake.stop();
  await drop();
}

interface Load {
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** How late the sender was against the schedule (poisson only), p99 in ms. */
  lateP99: number | null;
  connections: number;
}

/**
 * The server's own view of its Slack acknowledgements (bragbot_ack_seconds, timed from the receiver
 * handing the request to Bolt to the ack) and its event loop's worst lag (prom-client, 10 ms
 * resolution, since the last scrape), from its /metrics.
 */
async function serverAcks(opsUrl: string): Promise<{ sum: number; count: number; within50ms: number; loopMaxMs: number }> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return {
    sum: value(/^bragbot_ack_seconds_sum\{[^}]*kind="block_actions"[^}]*\} (\S+)$/m),
    count: value(/^bragbot_ack_seconds_count\{[^}]*kind="block_actions"[^}]*\} (\S+)$/m),
    within50ms: value(/^bragbot_ack_seconds_bucket\{le="0.05"[^}]*kind="block_actions"[^}]*\} (\S+)$/m),
    loopMaxMs: Math.round(value(/^bragbot_nodejs_eventloop_lag_max_seconds\{[^}]*\} (\S+)$/m) * 1e4) / 10,
  };
}
