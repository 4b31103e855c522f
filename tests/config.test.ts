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

  it('the web pages need where they are reached and a secret to sign links; email needs a sender and the pages', () => {
    const message = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    const web = message({ WEB_MODE: 'on', LINK_SECRET: 'short' });
    expect(web).toMatch(/PUBLIC_BASE_URL: required when WEB_MODE=on/);
    expect(web).toMatch(/LINK_SECRET: at least 32 characters/);
    const mail = message({ SMTP_URL: 'smtp://mail.example.gov.uk:587' });
    expect(mail).toMatch(/SMTP_FROM: required when SMTP_URL is set/);
    expect(mail).toMatch(/WEB_MODE: must be on when SMTP_URL is set/);
    expect(message({ SMTP_URL: 'http://mail', SMTP_FROM: 'not an address' })).toMatch(/SMTP_URL: smtp:\/\/user:password@host:587[\s\S]*SMTP_FROM: an address/);
    const ok = loadConfig({ WEB_MODE: 'on', PUBLIC_BASE_URL: 'https://bragbot.example.gov.uk', LINK_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://u:p@mail.example.gov.uk:587', SMTP_FROM: 'bragbot <bragbot@example.gov.uk>' });
    expect([ok.WEB_PORT, ok.LINK_TTL_DAYS, ok.LINK_RATE_PER_MINUTE]).toEqual([8080, 14, 30]);
  });
});
