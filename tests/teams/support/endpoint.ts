/**
 * The real Teams app (SDK v2 on its own HTTP server) in its explicit local-demo mode (no JWT),
 * fed recorded activities (tests/fixtures/teams) over HTTP at /api/messages, with a fake Bot
 * Connector at the activities' serviceUrl that records every reply the bot sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTeams, type TeamsRuntime } from '../../../src/adapters/teams/index.js';
import type { LooseActivity } from '../../../src/adapters/teams/activity.js';
import { loadConfig } from '../../../src/config.js';
import type { Db } from '../../../src/db/client.js';
import { captureLogger, fixture, type LogLine } from './harness.js';

export interface ConnectorCall {
  method: string;
  url: string;
  body: Record<string, unknown>;
}

export interface TeamsEndpoint {
  teams: TeamsRuntime;
  connectorUrl: string;
  calls: ConnectorCall[];
  logs: LogLine[];
  /** A recorded activity with its serviceUrl pointed at the fake connector. */
  activity(name: string, vars?: Record<string, string>): LooseActivity;
  /** POSTs an activity (or any body) to /api/messages. */
  post(body: unknown, o?: { contentType?: string; raw?: boolean }): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

export async function startTeamsEndpoint(db: Db, workspaceId: string, now: Date): Promise<TeamsEndpoint> {
  const calls: ConnectorCall[] = [];
  const connector: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', body: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${calls.length}` }));
    });
  });
  await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
  const connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
  const { logger, lines } = captureLogger();
  const config = loadConfig({ TEAMS_MODE: 'on', TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: 'true' });
  const teams = await startTeams({ config, db, workspaceId, logger, clock: () => now, port: 0 });
  return {
    teams,
    connectorUrl,
    calls,
    logs: lines,
    activity: (name, vars = {}) => fixture(name, { SERVICE_URL: connectorUrl, ...vars }),
    async post(body, o = {}) {
      const res = await fetch(teams.messagingEndpoint, {
        method: 'POST',
        headers: { 'content-type': o.contentType ?? 'application/json' },
        body: o.raw ? (body as string) : JSON.stringify(body),
      });
      return { status: res.status, text: await res.text() };
    },
    async stop() {
      await teams.stop();
      connector.closeAllConnections();
      await new Promise((r) => connector.close(r));
    },
  };
}
