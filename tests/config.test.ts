import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('runs with no configuration at all: embedded SQLite, no chat platform', () => {
    const c = loadConfig({});
    expect([c.DATABASE_URL, c.databaseProvider, c.SLACK_MODE, c.TEAMS_MODE, c.SCHEDULER_ENABLED]).toEqual(['file:./data/bragbot.db', 'sqlite', 'off', 'off', true]);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '  ', SLACK_API_URL: '' }).DATABASE_URL).toBe('file:./data/bragbot.db');
  });

  it('picks PostgreSQL from the URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://bragbot@db:5432/bragbot' }).databaseProvider).toBe('postgresql');
  });

  it('names each wrong variable and says what to put there', () => {
    let message = '';
    try {
      loadConfig({ SLACK_MODE: 'socket', SLACK_BOT_TOKEN: 'xoxp-user-token', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/DATABASE_URL: use file:/);
    expect(message).toMatch(/SLACK_BOT_TOKEN: a bot token starts with xoxb-/);
    expect(message).toMatch(/SLACK_SIGNING_SECRET: required when SLACK_MODE=socket/);
    expect(message).toMatch(/SLACK_APP_TOKEN: required when SLACK_MODE=socket/);
  });

  it('refuses Teams without credentials unless the dangerous demo switch is on', () => {
    expect(() => loadConfig({ TEAMS_MODE: 'on' })).toThrow(/TEAMS_CLIENT_ID/);
    expect(loadConfig({ TEAMS_MODE: 'on', TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: 'true' }).TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED).toBe(true);
  });
});
