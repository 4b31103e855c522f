/** Reading activities: threads, mentions, HTML, commands, report arguments, boundary rules. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlToText, mentionsBot, messageText, splitThreadId } from '../../src/adapters/teams/activity.js';
import { addressed, parseCommand, parseReportArgs } from '../../src/adapters/teams/handlers/commands.js';
import { bragKey, notMineKey, progressKey } from '../../src/adapters/teams/idempotency.js';
import { retryAfterMs } from '../../src/adapters/teams/errors.js';
import { fixture } from './support/harness.js';

describe('threads', () => {
  it('reads the root message id out of a channel reply’s conversation id', () => {
    expect(splitThreadId('19:abc123@thread.tacv2;messageid=1616161616161')).toEqual({ base: '19:abc123@thread.tacv2', rootId: '1616161616161' });
    expect(splitThreadId('19:abc123@thread.tacv2')).toEqual({ base: '19:abc123@thread.tacv2' });
    expect(splitThreadId('a:1personal')).toEqual({ base: 'a:1personal' });
  });
});

describe('text', () => {
  it('keeps what a lead meant from Teams HTML', () => {
    expect(htmlToText('<div><p><strong>Fostering Service</strong></p><p>14 carers &amp; 3 &lt;new&gt; homes&nbsp;approved.</p></div>')).toBe('**Fostering Service**\n\n14 carers & 3 <new> homes approved.');
    expect(htmlToText('<p>a<br>b</p><ol><li>one</li><li>two</li></ol>')).toBe('a\nb\n\n- one\n- two');
  });

  it('drops the bot’s @mention, keeps other people’s names', () => {
    const a = fixture('playground-message-channel-mention');
    expect(mentionsBot(a)).toBe(true);
    expect(messageText(a)).toBe('highlight-report');
    const other = { ...a, text: '<at>bragbot</at> thanks <at>Rose Howley</at>', entities: [...(a.entities ?? []), { type: 'mention', mentioned: { id: 'u2', name: 'Rose Howley' }, text: '<at>Rose Howley</at>' }] };
    expect(messageText(other)).toBe('thanks Rose Howley');
  });
});

describe('commands', () => {
  it.each([
    ['help', 'help', ''],
    ['/help', 'help', ''],
    ['Hi!', 'help', ''],
    ['my actions', 'my-actions', ''],
    ['My Actions.', 'my-actions', ''],
    ['highlight-report cic 13/01/2021', 'highlight-report', 'cic 13/01/2021'],
    ['highlight report', 'highlight-report', ''],
    ['set-channel ops', 'set-channel', 'ops'],
  ])('%s', (text, name, args) => {
    expect(parseCommand(text)).toEqual({ name, args });
  });

  it('not a command', () => {
    expect(parseCommand('Pathway Team: 46 care leavers')).toBeNull();
  });

  it('in a channel only an @mention addresses the bot (even when RSC lets it read everything)', () => {
    const mentioned = fixture('playground-message-channel-mention');
    expect(addressed(mentioned)).toMatchObject({ addressed: true, command: { name: 'highlight-report' } });
    expect(addressed({ ...mentioned, entities: [] })).toEqual({ addressed: false });
    expect(addressed(fixture('playground-message-personal'))).toMatchObject({ addressed: true, command: { name: 'my-actions' } });
  });

  it('report arguments in any order, dates UK-style or ISO', () => {
    expect(parseReportArgs('cic-partnership 13/01/2021')).toEqual({ groupSlug: 'cic-partnership', meetingDate: '2021-01-13' });
    expect(parseReportArgs('2021-01-13 CIC')).toEqual({ groupSlug: 'cic', meetingDate: '2021-01-13' });
    expect(parseReportArgs('')).toEqual({});
    expect(parseReportArgs('a b').error).toContain('one group');
    expect(parseReportArgs('31/02/2021').error).toContain('not a real date');
  });
});

describe('idempotency keys', () => {
  it('are stable for the same intention and differ for a new one', () => {
    const k = { actionId: 'a1', brag: 'amber', version: 'v1', userId: 'aad-1', fallbackId: 'm1' };
    expect(bragKey(k)).toBe(bragKey({ ...k, fallbackId: 'another-activity' }));
    expect(bragKey(k)).not.toBe(bragKey({ ...k, version: 'v2' }));
    expect(bragKey(k)).not.toBe(bragKey({ ...k, userId: 'aad-2' }));
    const form = { status: 'red', progress: 'x' };
    expect(progressKey({ actionId: 'a1', version: 'v1', userId: 'u', form, fallbackId: 'm' })).toBe(progressKey({ actionId: 'a1', version: 'v1', userId: 'u', form: { progress: 'x', status: 'red' }, fallbackId: 'n' }));
    expect(progressKey({ actionId: 'a1', version: 'v1', userId: 'u', form, fallbackId: 'm' })).not.toBe(progressKey({ actionId: 'a1', version: 'v1', userId: 'u', form: { ...form, note: 'y' }, fallbackId: 'm' }));
    expect(notMineKey({ actionId: 'a1', userId: 'u', messageId: 'm' })).toBe('teams:not-mine:a1:u:m');
  });

  it('Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(undefined)).toBe(1000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  });
});

describe('boundary', () => {
  it('the core never imports the Teams SDK or the adapter', () => {
    const root = join(import.meta.dirname, '..', '..', 'src', 'core');
    const files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      expect(text, f).not.toMatch(/@microsoft\/teams|adapters\/teams/);
    }
  });
});
