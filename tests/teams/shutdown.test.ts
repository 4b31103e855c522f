/**
 * A shutdown waits for the activities Teams is waiting on (issue 17 pt 3): Teams' stop() used to
 * cut every connection at once, so an activity being handled (a click being recorded, a reply
 * being sent) got no answer. Now, as Slack's: stop taking connections, let what is in hand
 * finish, then close. The real Teams app in its local-demo mode; the fake Bot Connector answers
 * the bot's reply slowly, so the activity is still in hand when stop() is called.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeams, type TeamsRuntime } from '../../src/adapters/teams/index.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';
import { captureLogger, fixture } from './support/harness.js';

describe('Teams shutdown', () => {
  let t: TestDatabase;
  let connector: Server;
  let connectorUrl: string;
  const replies: number[] = [];
  let teams: TeamsRuntime;

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    const workspaceId = await makeWorkspace(t.db);
    connector = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        replies.push(replies.length + 1);
        setTimeout(() => {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `reply-${replies.length}` }));
        }, 1_200);
      });
    });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
    connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
    const config = loadConfig({ TEAMS_MODE: 'on', TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: 'true' });
    teams = await startTeams({ config, db: t.db, workspaceId, logger: captureLogger().logger, clock: () => new Date('2021-07-20T10:00:00Z'), port: 0 });
  });
  afterAll(async () => {
    connector?.closeAllConnections();
    await new Promise((r) => connector?.close(r));
    await t?.destroy();
  });

  it('stop() lets an activity in hand finish and answer, then refuses new connections', async () => {
    expect(teams.connected()).toBe(true);
    const answer = fetch(teams.messagingEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixture('playground-message-personal', { SERVICE_URL: connectorUrl })) }).then(
      (r) => r.status,
      (e: unknown) => `no answer: ${String(e)}`,
    );
    await expect.poll(() => replies.length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    expect(teams.inFlight()).toBe(1);

    let stopped = false;
    const stopping = teams.stop().then(() => (stopped = true));
    expect(teams.connected()).toBe(false);
    expect(await answer).toBe(200);
    await stopping;
    expect(stopped).toBe(true);
    expect(teams.inFlight()).toBe(0);
    await expect(fetch(teams.messagingEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).rejects.toThrow();
  }, 30_000);
});
