/**
 * Issue 10 pt 5: bodies and odd requests at /slack/events, against the real receiver (the guard
 * in front of Bolt's HTTPReceiver) with HMAC-signed requests as Slack sends them:
 * - a body over the limit gets 413 before it is read whole (declared or streamed);
 * - a signed JSON null, `payload=null`, an array, a string, an empty body, a form without a
 *   payload get a 400 (Bolt alone: no answer, or a 404 after 3 s), never an unhandled rejection;
 * - a timestamp more than five minutes in the future is refused like a stale one;
 * - a button, form or command no listener takes is acknowledged and answered in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlackThreadOpened } from '../../src/adapters/slack/threads.js';
import { SLACK_MAX_BODY_BYTES } from '../../src/adapters/slack/http-guard.js';
import { addMeeting } from '../../src/services/groups.js';
import { streamPost } from '../support/http.js';
import { FAKE_TEAM_ID, fixture, NOW, sign, signedPost, startHarness, type Harness } from './harness.js';

describe('Slack /slack/events transport guards (sqlite)', () => {
  let h: Harness;
  let threadTs: string;
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    h = await startHarness('sqlite');
    const meeting = await addMeeting(h.database.db, h.world.group.id, '2026-12-03');
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'C0GROUP' }, { kind: 'thread-open', groupName: h.world.group.name, meetingDate: '2026-12-03', askedNames: [] });
    await recordSlackThreadOpened(h.database.db, { meetingId: meeting.id, channelId: 'C0GROUP', sent, now: NOW });
    threadTs = sent.providerMessageId;
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await h?.close();
  });

  it('a 60 MB unsigned body declared in Content-Length: 413 before the body is sent, let alone read', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const res = await streamPost(h.eventsUrl, { headers: { 'content-type': 'application/json', 'content-length': String(60 * 1024 * 1024) }, chunk, chunks: 960 });
    expect(res.status).toBe(413);
    expect(res.finished).toBe(false);
    expect(res.sentBytes).toBeLessThan(60 * 1024 * 1024);
  });

  it('a chunked body with no length: counted as it streams, 413 once past the limit', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const res = await streamPost(h.eventsUrl, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunk, chunks: 960 });
    expect(res.status).toBe(413);
    expect(res.finished).toBe(false);
    expect(res.sentBytes).toBeLessThan(60 * 1024 * 1024);
  });

  it('a signed 10 MB thread reply is refused with 413 and never becomes a section', async () => {
    const huge = 'Caseloads are fine. '.repeat(Math.ceil((10 * 1024 * 1024) / 20));
    const body = JSON.stringify(fixture('event-thread-reply.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TS: '1795000000.000300', TEXT: huge, THREAD_TS: threadTs, CHANNEL_ID: 'C0GROUP', EVENT_ID: 'Ev0HUGE' }));
    const ts = Math.floor(Date.now() / 1000);
    const res = await streamPost(h.eventsUrl, {
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) },
      chunk: Buffer.from(body),
      chunks: 1,
    });
    expect(res.status).toBe(413);
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.database.db.sectionUpdate.count()).toBe(0);
    expect(await h.database.db.inboundEvent.count()).toBe(0);
    // A body just under the limit is still Slack's business as usual.
    expect(SLACK_MAX_BODY_BYTES).toBeGreaterThanOrEqual(512 * 1024);
  });

  it.each([
    ['JSON null', 'null', 'application/json'],
    ['a JSON array', '[{"type":"event_callback"}]', 'application/json'],
    ['a JSON string', '"event_callback"', 'application/json'],
    ['an empty JSON body', '', 'application/json'],
    ['an event_callback without an event', '{"type":"event_callback","team_id":"T0TEST"}', 'application/json'],
    ['payload=null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['payload=[]', 'payload=%5B%5D', 'application/x-www-form-urlencoded'],
    ['a payload without a type', `payload=${encodeURIComponent('{"user":{"id":"UOWNER"}}')}`, 'application/x-www-form-urlencoded'],
    ['block_actions without actions', `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"UOWNER"},"team":{"id":"T0TEST"}}')}`, 'application/x-www-form-urlencoded'],
    ['a form without a payload or a command', 'token=x&team_id=T0TEST', 'application/x-www-form-urlencoded'],
    ['an empty form', '', 'application/x-www-form-urlencoded'],
  ])('signed %s: a 400 at once, nothing written, no unhandled rejection', async (_name, body, type) => {
    const before = { sections: await h.database.db.sectionUpdate.count(), events: await h.database.db.inboundEvent.count(), updates: await h.database.db.statusUpdate.count() };
    const res = await signedPost(h.eventsUrl, body, type);
    // Bolt alone: no answer at all for null, a 404 after its 3-second timer for the rest.
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: expect.any(String) });
    expect({ sections: await h.database.db.sectionUpdate.count(), events: await h.database.db.inboundEvent.count(), updates: await h.database.db.statusUpdate.count() }).toEqual(before);
    expect(rejections).toEqual([]);
  });

  it('an unsupported content type, signed: 415', async () => {
    expect((await signedPost(h.eventsUrl, '<event/>', 'application/xml')).status).toBe(415);
  });

  it.each([
    ['400 s in the future', 401, 400],
    ['400 s in the past', 401, -400],
    ['ten minutes in the future', 401, 600],
    ['200 s in the future (within Slack’s five minutes)', 200, 200],
    ['200 s in the past', 200, -200],
  ])('a request timestamped %s: HTTP %i', async (_name, status, offset) => {
    const envelope = fixture('event-thread-reply.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TS: `17950001${String(Math.abs(offset)).padStart(2, '0')}.000100`, TEXT: 'Elsewhere', THREAD_TS: '1700000000.000001', CHANNEL_ID: 'C0ELSEWHERE', EVENT_ID: `Ev0SKEW${offset}` });
    const res = await signedPost(h.eventsUrl, JSON.stringify(envelope), 'application/json', { timestamp: Math.floor(Date.now() / 1000) + offset });
    expect(res.status).toBe(status);
  });

  it('Slack’s unsigned ssl_check and its app_rate_limited notice get an empty 200', async () => {
    const ssl = await fetch(h.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ssl_check=1&token=x' });
    expect(ssl.status).toBe(200);
    const limited = await signedPost(h.eventsUrl, JSON.stringify({ token: 'x', type: 'app_rate_limited', team_id: FAKE_TEAM_ID, minute_rate_limited: 1518467820, api_app_id: 'A0BRAGBOT' }), 'application/json');
    expect(limited.status).toBe(200);
  });

  it('url_verification still answers its challenge', async () => {
    const res = await signedPost(h.eventsUrl, JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });

  it('a button no listener takes: acknowledged at once and answered in words, nothing recorded', async () => {
    const payload = fixture('block-actions-button.json', {
      USER_ID: 'UOWNER', TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: '1795000000.000900', CHANNEL_ID: 'DOWNER', TRIGGER_ID: 'trigger-unknown', RESPONSE_URL: h.fake.responseUrl('unknown-button'),
      MESSAGE_TEXT: 'old nudge', MESSAGE_BLOCKS: [], ACTION_ID: 'bragbot.retired_button', BLOCK_ID: 'b1', BUTTON_TEXT: 'Retired', VALUE: '{"a":"x"}', ACTION_TS: '1795000000.000901',
    });
    const res = await h.interaction(payload);
    // Bolt alone: never acknowledged, a 404 after 3 s.
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === 'unknown-button'));
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(reply.body.text)).toContain('not one this bragbot knows');
    expect(await h.database.db.statusUpdate.count()).toBe(0);
  });

  it('a form no listener takes: acknowledged with a modal that says so', async () => {
    const payload = fixture('view-submission-progress.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TRIGGER_ID: 'trigger-unknown-view', VIEW_ID: 'V0UNKNOWN', PRIVATE_METADATA: '{}', BRAG: 'red', PROGRESS: 'x', EVIDENCE: 'y', REVISED_DUE: '' });
    (payload.view as Record<string, unknown>).callback_id = 'bragbot.retired_modal';
    const res = await h.interaction(payload);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { response_action: string; view: { blocks: { text: { text: string } }[] } };
    expect(body.response_action).toBe('update');
    expect(body.view.blocks[0]!.text.text).toContain('nothing was saved');
    expect(await h.database.db.statusUpdate.count()).toBe(0);
  });

  it('closing a form (view_closed) is acknowledged', async () => {
    const payload = { type: 'view_closed', team: { id: FAKE_TEAM_ID }, user: { id: 'UOWNER', team_id: FAKE_TEAM_ID }, view: { id: 'V0CLOSED', callback_id: 'bragbot.progress_modal', team_id: FAKE_TEAM_ID }, is_cleared: false };
    expect((await h.interaction(payload)).status).toBe(200);
  });

  it('a command no listener takes: an ephemeral answer naming the real ones', async () => {
    const fields = fixture<Record<string, string>>('command.json', { TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'C0GROUP', USER_ID: 'UOWNER', COMMAND: '/bragbot-old', TEXT: '', RESPONSE_URL: h.fake.responseUrl('unknown-cmd'), TRIGGER_ID: 'trigger-unknown-cmd' });
    const res = await h.command(fields);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/brag') });
  });

  it('the receiver still answers afterwards', async () => {
    expect((await fetch(`${h.slack.url}/slack/healthz`)).status).toBe(200);
    expect(rejections).toEqual([]);
  });
});
