/**
 * What one BRAG click costs the process that answers Slack (issue 16: ≤ 2.5 ms of CPU at the
 * median, ≤ 4 statements, no interactive transaction), measured in CPU time — user + system of
 * this process (process.cpuUsage) around each click — because CPU time moves little with the
 * machine's load while wall time does. Statements are counted on the driver layer (every
 * statement Prisma or src/db/sql.ts sends: openDatabase's onStatement hook).
 *   tsx bench/click-cpu.ts <sqlite|postgresql> [clicks=2000] [foreground]
 *
 * Each click goes through the real Slack listener (handleBragButton: the inbox write before the
 * ack, the interactions service, the Slack teller redrawing the nudge, the row marked done) with
 * its Web API client stubbed (chat.update resolves at once: Slack's HTTP is not the click's cost,
 * and an in-process fake would add its own CPU). Buttons carry the version the last redraw gave,
 * as a real nudge's do, and every click changes the BRAG, so every click records. Sequential, so
 * each click's CPU is its own. On PostgreSQL the server's CPU is not counted (another process).
 * The database is opened as `bragbot serve` opens it (SQLite's WAL checkpoints on a worker thread);
 * `foreground` leaves them on the event loop, as before, to compare the stalls.
 */
import { loadavg } from 'node:os';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { slackTeller } from '../src/adapters/slack/inbox.js';
import { handleBragButton } from '../src/adapters/slack/listeners/brag-button.js';
import type { HandlerDeps } from '../src/adapters/slack/deps.js';
import { openDatabase, type DbProvider } from '../src/db/client.js';
import { createLogger } from '../src/logging.js';
import { versionsOf } from '../src/services/actions.js';
import { addMember } from '../src/services/groups.js';
import { Inbox } from '../src/services/inbox/index.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../tests/support/factories.js';
import { createTestDatabaseUrl, peakRssMb } from './support.js';

const provider = (process.argv[2] ?? 'sqlite') as DbProvider;
const clicks = Number(process.argv[3] ?? 2000);
const foreground = process.argv[4] === 'foreground';
const WARM_UP = 300;
const ACTIONS = 200;
const TEAM = 'TBENCH';
const CONTROL = /^(BEGIN IMMEDIATE|COMMIT|ROLLBACK)$/;

const { url, drop } = await createTestDatabaseUrl(provider);
let statements: string[] = [];
const database = await openDatabase(url, { onStatement: (sql) => statements.push(sql.trim()), backgroundCheckpoints: !foreground });
try {
  const db = database.db;
  const workspaceId = await makeWorkspace(db, 'bench');
  const group = await makeGroup(db, workspaceId);
  const owner = await makePerson(db, workspaceId, { name: 'Olu Owner', slackUserId: 'UOWNER' });
  await addMember(db, group.id, owner.id, 'member');
  const actions: string[] = [];
  for (let i = 0; i < ACTIONS; i += 1) actions.push((await makeAction(db, group.id, { ref: String(i + 1), brag: 'amber', ownerIds: [owner.id] })).id);
  const version = new Map(await versionsOf(db, workspaceId, actions));

  // As serve runs it: LOG_LEVEL=warn (bench/ack.ts's serve), the clock a function.
  const logger = createLogger('warn');
  const clock = () => new Date();
  const inbox = new Inbox({ db, clock, logger, instanceId: 'bench', sweepMs: 0 });
  const deps: HandlerDeps = { db, workspaceId, logger, clock, teamId: TEAM, botUserId: 'UBOT', inbox };
  // chat.update answers at once; the redrawn buttons carry the action's new version for the next click.
  let updates = 0;
  const client = {
    chat: {
      update: async (args: { blocks?: { elements?: { action_id?: string; value?: string }[] }[] }) => {
        updates += 1;
        for (const b of args.blocks ?? []) {
          for (const e of b.elements ?? []) {
            if (!e.action_id?.startsWith('bragbot.brag.') || !e.value) continue;
            const v = JSON.parse(e.value) as { a: string; v?: string };
            if (v.v) version.set(v.a, v.v);
          }
        }
        return { ok: true };
      },
      postEphemeral: async () => ({ ok: true }),
    },
  } as unknown as WebClient;
  inbox.register('slack', slackTeller(deps, client));

  const brags = ['green', 'red', 'amber'] as const;
  let n = 0;
  async function click(): Promise<void> {
    n += 1;
    const actionId = actions[n % ACTIONS]!;
    // Round r of the actions sets brags[r % 3]: never the BRAG the action has (amber at the start).
    const brag = brags[Math.floor(n / ACTIONS) % brags.length]!;
    const ts = `1800001000.${String(n).padStart(6, '0')}`;
    const action = { action_id: `bragbot.brag.${brag}`, block_id: `act:${actionId}:buttons`, text: { type: 'plain_text', text: brag }, value: JSON.stringify({ a: actionId, v: version.get(actionId) }), type: 'button', action_ts: ts } as unknown as ButtonAction;
    const body = {
      type: 'block_actions', user: { id: 'UOWNER', username: 'olu.owner', name: 'olu.owner', team_id: TEAM }, api_app_id: 'A0BRAGBOT', token: 'unused',
      container: { type: 'message', message_ts: `1800000000.${String(n % ACTIONS).padStart(6, '0')}`, channel_id: 'DOWNER', is_ephemeral: false }, trigger_id: `trigger-${n}`, team: { id: TEAM, domain: 'bench' },
      channel: { id: 'DOWNER', name: 'directmessage' },
      message: { type: 'message', text: 'nudge', ts: `1800000000.${String(n % ACTIONS).padStart(6, '0')}`, bot_id: 'BBOT', user: 'UBOT', blocks: [{ type: 'section', block_id: `act:${actionId}:card`, text: { type: 'mrkdwn', text: 'card' } }, { type: 'actions', block_id: `act:${actionId}:buttons`, elements: [] }] },
      state: { values: {} }, response_url: 'http://127.0.0.1:9/unused', actions: [action],
    } as unknown as BlockAction<ButtonAction>;
    await handleBragButton(deps, { ack: async () => undefined, body, action, client, respond: async () => undefined });
  }

  for (let i = 0; i < WARM_UP; i += 1) await click();
  updates = 0;
  const recordedBefore = await db.statusUpdate.count();
  const cpuUs: number[] = [];
  // Wall time of each click, alone: on SQLite every statement runs on the event loop, so a long one (a WAL checkpoint) is a stall every ack waits behind.
  const wallMs: number[] = [];
  const perClick: number[] = [];
  const kinds = new Map<string, number>();
  let interactive = 0;
  const total = process.cpuUsage();
  const wallStart = performance.now();
  for (let i = 0; i < clicks; i += 1) {
    statements = [];
    const before = process.cpuUsage();
    const started = performance.now();
    await click();
    const used = process.cpuUsage(before);
    cpuUs.push(used.user + used.system);
    wallMs.push(performance.now() - started);
    const work = statements.filter((s) => !CONTROL.test(s));
    perClick.push(work.length);
    if (statements.some((s) => s.startsWith('BEGIN (Prisma transaction)'))) interactive += 1;
    for (const s of work) {
      const k = s.replace(/\s+/g, ' ').slice(0, 40);
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
  }
  const elapsedMs = performance.now() - wallStart;
  const totalCpu = process.cpuUsage(total);
  statements = [];
  const recorded = (await db.statusUpdate.count()) - recordedBefore;
  const sorted = [...cpuUs].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 10) / 100;
  const wallSorted = [...wallMs].sort((a, b) => a - b);
  const wallAt = (q: number) => Math.round(wallSorted[Math.min(wallSorted.length - 1, Math.floor(q * wallSorted.length))]! * 100) / 100;
  const counts = [...perClick].sort((a, b) => a - b);
  console.log(JSON.stringify({
    scenario: 'click-cpu', provider, size: clicks, checkpoints: provider === 'sqlite' ? (foreground ? 'event loop' : 'worker') : undefined,
    cpuMsP50: at(0.5), cpuMsP90: at(0.9), cpuMsP99: at(0.99), cpuMsMean: Math.round((totalCpu.user + totalCpu.system) / clicks / 10) / 100,
    statementsPerClickMax: counts.at(-1), statementsPerClickMedian: counts[Math.floor(counts.length / 2)], interactiveTransactions: interactive,
    statementKinds: Object.fromEntries([...kinds].map(([k, v]) => [k, Math.round((v / clicks) * 100) / 100])),
    recorded, redrawn: updates, wallMsPerClick: Math.round((elapsedMs / clicks) * 100) / 100, wallMsP99: wallAt(0.99), wallMsMax: wallAt(1), clicksOver20Ms: wallMs.filter((ms) => ms > 20).length, peakRssMb: peakRssMb(), load1: Math.round(loadavg()[0]! * 100) / 100,
  }));
  await inbox.stop();
} finally {
  await database.close();
  await drop();
}
