/** Mapping people to Slack accounts by email: what matched, what did not and why. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../src/adapters/slack/app.js';
import { mapSlackUsersByEmail } from '../../src/adapters/slack/people-mapping.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makePerson, makeStandardGroup } from '../support/factories.js';
import { FakeSlack } from './fake-slack.js';

describe.each(await providers())('mapSlackUsersByEmail (%s)', (provider) => {
  let fake: FakeSlack;
  let database: TestDatabase;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await fake.stop();
    await database.destroy();
  });

  it('maps by email, keeps what already matches, and explains every miss', async () => {
    const world = await makeStandardGroup(database.db);
    await makePerson(database.db, world.workspaceId, { name: 'Nia No-Email' });
    await makePerson(database.db, world.workspaceId, { name: 'Dee Deactivated', email: 'dee@example.gov.uk' });
    fake.directory.set('asha@example.gov.uk', { id: 'UCHAIR' });
    fake.directory.set('olu@example.gov.uk', { id: 'UOLUNEW' });
    fake.directory.set('sam@example.gov.uk', { id: 'UCHAIR' });
    fake.directory.set('dee@example.gov.uk', { id: 'UDEE', deleted: true });
    const config = loadConfig({ SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-map', SLACK_SIGNING_SECRET: 'map-secret-123', SLACK_API_URL: fake.apiUrl });
    const result = await mapSlackUsersByEmail(database.db, createSlackWebClient(config, silentLogger, 'interactive'), world.workspaceId);

    expect(result.matched.map((m) => [m.name, m.slackUserId, m.changed]).sort()).toEqual([
      ['Asha Chair', 'UCHAIR', false],
      ['Olu Owner', 'UOLUNEW', true],
    ]);
    const why = Object.fromEntries(result.unmatched.map((u) => [u.name, u.reason]));
    expect(why).toEqual({
      'Dee Deactivated': 'the Slack account is deactivated',
      'Maya Manager': 'no Slack account with this email in the workspace',
      'Nia No-Email': 'no email in bragbot: add one (or set their Slack member id)',
      'Sam Stranger': 'Slack account UCHAIR is already mapped to Asha Chair',
    });
    expect((await database.db.person.findUniqueOrThrow({ where: { id: world.owner.id } })).slackUserId).toBe('UOLUNEW');
    expect((await database.db.person.findUniqueOrThrow({ where: { id: world.stranger.id } })).slackUserId).toBe('USTRANGER');
  });
});
