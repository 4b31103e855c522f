/**
 * Microsoft's M365 Agents Playground (`@microsoft/m365agentsplayground`, pinned): a local web
 * app that looks like Teams, plus a Bot Connector emulator. It sends real Teams activities to the
 * bot's endpoint (no Authorization header: the bot must run in the explicit local demo mode,
 * TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED=true) and renders the bot's Adaptive Cards.
 *
 * How it works, as used here and by the tests:
 *  - UI: http://127.0.0.1:<port>/ (personal chat, group chat, a team with channels);
 *  - it posts activities to the bot with serviceUrl http://localhost:<port>/_connector, and the
 *    bot answers and sends proactively to that emulated connector (`/_connector/v3/...`);
 *  - the UI itself drives `/_conversation/v1/conversations/:id/messages` (a user types),
 *    `/_conversation/v1/invoke` (Action.Execute) and `/_conversation/v1/submit`;
 *  - `/_debug/conversation/:id/installation` makes it send installationUpdate + conversationUpdate
 *    (the UI does this when it opens), which is when the bot stores the conversation reference;
 *  - in a channel it forwards only messages that @mention the bot (a tenant without the RSC
 *    consent), so update-thread replies there must @mention bragbot.
 * It needs no network: start it with TEAMSAPPTESTER_BROWSER=none and --disable-telemetry.
 *
 * The people it pretends to be are configured (a .m365agentsplayground.yml written to a temp
 * directory) to match the demo plan's people by email, so the demo owner clicking in the
 * Playground is the owner bragbot nudges.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadline } from '../../clock.js';

export interface PlaygroundPerson {
  /** Teams user id as the Playground sends it (from.id). */
  id: string;
  name: string;
  email: string;
  aadObjectId: string;
}

/** The demo plan's people (src/services/demo.ts), as Teams users. */
export const PLAYGROUND_DEMO_PEOPLE = {
  owner: { id: 'user-jo-demo', name: 'Jo Demo', email: 'owner@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e01' },
  chair: { id: 'user-alex-morgan', name: 'Alex Morgan', email: 'chair@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e02' },
  manager: { id: 'user-sam-patel', name: 'Sam Patel', email: 'manager@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e03' },
} as const satisfies Record<string, PlaygroundPerson>;

export const PLAYGROUND_IDS = {
  tenantId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e00',
  botId: '28:bragbot-demo',
  botName: 'bragbot',
  personalChatId: 'a:bragbot-demo-personal-chat',
  groupChatId: '19:bragbot-demo-group-chat@thread.v2',
  /** The team's id doubles as its General channel's id, as in Teams. */
  teamId: '19:bragbot-demo-general@thread.tacv2',
  updatesChannelId: '19:bragbot-demo-updates@thread.tacv2',
} as const;

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** UI and connector port; 0 = any free port (default 56150, the Playground's own default). */
  port?: number;
  /** Who the Playground user is (default: the demo owner), and the others in its chats. */
  currentUser?: PlaygroundPerson;
  otherUsers?: PlaygroundPerson[];
  /** Where its output goes (default: discarded, unless it fails to start). */
  onOutput?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface Playground {
  /** Open this in a browser. */
  url: string;
  port: number;
  /** The emulated Bot Connector: the serviceUrl in the activities it sends. */
  serviceUrl: string;
  ids: typeof PLAYGROUND_IDS;
  currentUser: PlaygroundPerson;
  /** Makes it send the install activities for a conversation (as the UI does when it opens). */
  install(conversationId?: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Partners who fill the Playground's team (its config needs at least five other users). */
const PARTNERS: PlaygroundPerson[] = [
  { id: 'user-priya-shah', name: 'Priya Shah', email: 'virtual.school@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e04' },
  { id: 'user-tom-reed', name: 'Tom Reed', email: 'police@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e05' },
  { id: 'user-grace-okafor', name: 'Grace Okafor', email: 'health@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e06' },
  { id: 'user-dan-hughes', name: 'Dan Hughes', email: 'housing@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e07' },
  { id: 'user-mia-evans', name: 'Mia Evans', email: 'camhs@demo.bragbot.invalid', aadObjectId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e08' },
];
const MIN_OTHER_USERS = 5;

function configFor(current: PlaygroundPerson, others: PlaygroundPerson[]): unknown {
  const user = (p: PlaygroundPerson) => {
    const [givenName, ...rest] = p.name.split(' ');
    return { id: p.id, name: p.name, userPrincipleName: p.email, aadObjectId: p.aadObjectId, givenName: givenName ?? p.name, surname: rest.join(' ') || p.name, email: p.email };
  };
  const users = [...others];
  for (const p of PARTNERS) if (users.length < MIN_OTHER_USERS && p.id !== current.id && !users.some((u) => u.id === p.id)) users.push(p);
  return {
    version: '0.1.1',
    tenantId: PLAYGROUND_IDS.tenantId,
    bot: { id: PLAYGROUND_IDS.botId, name: PLAYGROUND_IDS.botName },
    currentUser: user(current),
    users: users.map(user),
    personalChat: { id: PLAYGROUND_IDS.personalChatId },
    groupChat: { id: PLAYGROUND_IDS.groupChatId, name: 'Partnership chat' },
    team: {
      id: PLAYGROUND_IDS.teamId,
      name: 'Children in Care Partnership',
      aadGroupId: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e10',
      channels: [{ id: PLAYGROUND_IDS.updatesChannelId, name: 'Update rounds' }],
    },
  };
}

/** Starts the Playground pointed at the bot and resolves once its UI answers. */
export async function startPlayground(o: PlaygroundOptions): Promise<Playground> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const port = o.port === 0 ? await freePort() : o.port ?? 56150;
  const current = o.currentUser ?? PLAYGROUND_DEMO_PEOPLE.owner;
  const others = o.otherUsers ?? [PLAYGROUND_DEMO_PEOPLE.chair, PLAYGROUND_DEMO_PEOPLE.manager].filter((p) => p.id !== current.id);
  // Its config, log file and ./devTools go to a temp directory, never into the repository.
  const dir = mkdtempSync(join(tmpdir(), 'bragbot-playground-'));
  const configPath = join(dir, '.m365agentsplayground.yml');
  // YAML is a superset of JSON.
  writeFileSync(configPath, JSON.stringify(configFor(current, others), null, 2));
  const child: ChildProcess = spawn(process.execPath, [cli, 'start', '--app-endpoint', o.botEndpoint, '--channel-id', 'msteams', '--port', String(port), '--disable-telemetry'], {
    cwd: dir,
    env: {
      ...process.env,
      // Without these it tries to open a browser (and exits where there is none) and to phone home.
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'playground.log'),
      BOT_ENDPOINT: o.botEndpoint,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      o.onOutput?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  // It prints "Listening on <port>" (another port if that one was taken): read it, then wait for the UI.
  const timedOut = deadline(o.startTimeoutMs ?? 30_000);
  let actual: number | undefined;
  while (!timedOut()) {
    if (child.exitCode !== null) break;
    const m = output.map((l) => /Listening on (\d+)/.exec(l)).find(Boolean);
    if (m) {
      actual = Number(m[1]);
      try {
        const res = await fetch(`http://127.0.0.1:${actual}/_internal/v1/config`);
        if (res.ok) break;
      } catch {
        // not up yet
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (actual === undefined || child.exitCode !== null || timedOut()) {
    // Its reasons go to its log file, not its output.
    const logFile = join(dir, 'playground.log');
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter((l) => /^(error|warn)/.test(l)).slice(-10) : [];
    await stop();
    throw new Error(`the M365 Agents Playground did not start:\n${[...output.slice(-10), ...log].join('\n')}`);
  }
  const base = `http://127.0.0.1:${actual}`;
  return {
    url: `${base}/`,
    port: actual,
    serviceUrl: `http://localhost:${actual}/_connector`,
    ids: PLAYGROUND_IDS,
    currentUser: current,
    async install(conversationId = PLAYGROUND_IDS.personalChatId) {
      const res = await fetch(`${base}/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!res.ok) throw new Error(`Playground install for ${conversationId}: HTTP ${res.status}`);
    },
    stop,
  };
}
