/**
 * Issue 10 pt 5 on Teams: /api/messages refuses an oversized body with 413 before reading it
 * whole (declared or streamed), in production mode before the JWT is even looked at; odd bodies
 * (JSON null, an array, a string, an empty body, a form) are 4xx at once, nothing recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY } from '../../src/adapters/teams/validate-request.js';
import { startTeams, type TeamsRuntime } from '../../src/adapters/teams/index.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';
import { streamPost } from '../support/http.js';
import { startTeamsEndpoint, type TeamsEndpoint } from './support/endpoint.js';
import { captureLogger } from './support/harness.js';

const NOW = new Date('2021-07-20T10:00:00Z');
const SIXTY_MB = 60 * 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 'x');
let t: TestDatabase;
let std: Awaited<ReturnType<typeof makeStandardGroup>>;
beforeAll(async () => {
  t = await createTestDatabase('sqlite');
  std = await makeStandardGroup(t.db);
});
afterAll(async () => t?.destroy());

describe('local demo mode', () => {
  let e: TeamsEndpoint;
  beforeAll(async () => {
    e = await startTeamsEndpoint(t.db, std.workspaceId, NOW);
  });
  afterAll(async () => e?.stop());

  it(`a body declared larger than ${MAX_BODY}: 413 before it is sent`, async () => {
    const res = await streamPost(e.teams.messagingEndpoint, { headers: { 'content-type': 'application/json', 'content-length': String(SIXTY_MB) }, chunk, chunks: 960 });
    expect(res).toMatchObject({ status: 413, finished: false });
  });

  it('a chunked body: 413 once past the limit, before the end', async () => {
    const res = await streamPost(e.teams.messagingEndpoint, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunk, chunks: 960 });
    expect(res).toMatchObject({ status: 413, finished: false });
  });

  it.each([
    ['JSON null', 'null', 'application/json', 400],
    ['a JSON array', '[]', 'application/json', 400],
    ['a JSON string', '"message"', 'application/json', 400],
    ['an empty body', '', 'application/json', 400],
    ['an activity without from/conversation', '{"type":"message","text":"help"}', 'application/json', 400],
    ['a form', 'type=message', 'application/x-www-form-urlencoded', 415],
  ])('%s: %i, nothing recorded, nothing sent', async (_name, body, type, status) => {
    const before = { refs: await t.db.conversationRef.count(), calls: e.calls.length };
    expect((await e.post(body, { raw: true, contentType: type })).status).toBe(status);
    expect({ refs: await t.db.conversationRef.count(), calls: e.calls.length }).toEqual(before);
  });
});

describe('production mode', () => {
  let teams: TeamsRuntime;
  beforeAll(async () => {
    const config = loadConfig({ TEAMS_MODE: 'on', TEAMS_CLIENT_ID: '5f0c8d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f', TEAMS_CLIENT_SECRET: 'not-a-real-secret', TEAMS_TENANT_ID: 't1' });
    teams = await startTeams({ config, db: t.db, workspaceId: std.workspaceId, logger: captureLogger().logger, clock: () => NOW, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => teams?.stop());

  it('an unauthenticated 60 MB body: 413 before it is read (the size comes before the token)', async () => {
    const res = await streamPost(teams.messagingEndpoint, { headers: { 'content-type': 'application/json', 'content-length': String(SIXTY_MB) }, chunk, chunks: 960 });
    expect(res).toMatchObject({ status: 413, finished: false });
  });
});
