/** Starting the adapter: the receiver SLACK_MODE asks for, and start-up errors that say what to fix. */
import { SocketModeReceiver } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver } from '../../src/adapters/slack/app.js';
import { GuardedHTTPReceiver } from '../../src/adapters/slack/http-guard.js';
import { startSlack } from '../../src/adapters/slack/index.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeSlack } from './fake-slack.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-start', SLACK_SIGNING_SECRET: 'start-secret-1', SLACK_APP_TOKEN: 'xapp-1-start' };

describe('starting the Slack adapter', () => {
  let fake: FakeSlack;
  let database: TestDatabase;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await fake.stop();
    await database.destroy();
  });

  it('uses Socket Mode or the signed HTTP receiver as SLACK_MODE says', () => {
    expect(createReceiver(loadConfig({ ...base, SLACK_MODE: 'socket' }), silentLogger)).toBeInstanceOf(SocketModeReceiver);
    expect(createReceiver(loadConfig({ ...base, SLACK_MODE: 'http' }), silentLogger)).toBeInstanceOf(GuardedHTTPReceiver);
    expect(() => createReceiver(loadConfig({ ...base, SLACK_MODE: 'off' }), silentLogger)).toThrow(/SLACK_MODE is off/);
  });

  it('fails with what to fix when Slack refuses the bot token', async () => {
    fake.failNext('auth.test', { error: 'invalid_auth' });
    const config = loadConfig({ ...base, SLACK_MODE: 'http', SLACK_API_URL: fake.apiUrl });
    await expect(startSlack({ config, db: database.db, workspaceId: 'w', logger: silentLogger, clock: () => new Date(), httpPort: 0 }))
      .rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('Bot User OAuth Token') });
  });

  it('starts and stops in HTTP mode, answering the health check', async () => {
    const config = loadConfig({ ...base, SLACK_MODE: 'http', SLACK_API_URL: fake.apiUrl });
    const slack = await startSlack({ config, db: database.db, workspaceId: 'w', logger: silentLogger, clock: () => new Date(), httpPort: 0 });
    try {
      expect(slack.identity).toEqual({ teamId: 'T0TEST', botUserId: 'UBOT', botId: 'BBOT' });
      expect((await fetch(`${slack.url}/slack/healthz`)).status).toBe(200);
      expect(slack.port.platform).toBe('slack');
    } finally {
      await slack.stop();
    }
  });
});
