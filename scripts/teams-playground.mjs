#!/usr/bin/env node
/**
 * Starts Microsoft's M365 Agents Playground (a local Teams client) pointed at a running bragbot
 * and prints its URL. The bot must run with TEAMS_MODE=on and
 * TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED=true (the Playground sends no tokens).
 *
 *   node scripts/teams-playground.mjs [--endpoint http://127.0.0.1:3978/api/messages] [--port 56150]
 *
 * `npm run demo` does this for you (bot + demo plan + Playground, via startPlayground in
 * src/adapters/teams/playground.ts). Stop with Ctrl-C.
 */
import { tsImport } from 'tsx/esm/api';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const endpoint = opt('--endpoint', `http://127.0.0.1:${process.env.TEAMS_PORT || 3978}/api/messages`);
const port = Number(opt('--port', '56150'));

const health = endpoint.replace(/\/api\/messages\/?$/, '/healthz');
try {
  const res = await fetch(health);
  const body = await res.json();
  if (body.auth !== 'local-demo') {
    process.stderr.write(`The bot at ${endpoint} validates Teams tokens (auth: ${body.auth}); the Playground sends none. Start it with TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED=true for a local demo.\n`);
    process.exit(1);
  }
} catch {
  process.stderr.write(`No bragbot answers at ${health}. Start it first: TEAMS_MODE=on TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED=true npm start\n`);
  process.exit(1);
}

const { startPlayground } = await tsImport('../src/adapters/teams/playground.ts', import.meta.url);
const playground = await startPlayground({ botEndpoint: endpoint, port });
process.stdout.write(
  `\nM365 Agents Playground: ${playground.url}\n` +
    `  You are ${playground.currentUser.name} (${playground.currentUser.email}); the bot is at ${endpoint}.\n` +
    '  Open the URL, then type "my actions" or "help" in the personal chat. Ctrl-C to stop.\n\n',
);
const stop = async () => {
  await playground.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
