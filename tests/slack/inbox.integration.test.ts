/**
 * Slack clicks through the inbox (issue 19 pt 1), with the real Bolt receiver, WebClient and
 * FakeSlack, both engines:
 *  - the click is in the database when Slack gets its acknowledgement, and is worked from there;
 *  - a full queue turns a click away visibly ("busy, try again"), recording nothing;
 *  - a click a dead process left is finished by this one and its person told: the nudge updated
 *    in place, or (its response_url expired) a direct message.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionCard } from '../../src/core/chat.js';
import { sqlOf } from '../../src/db/sql.js';
import { silentLogger } from '../../src/logging.js';
import { getActionCard } from '../../src/services/actions.js';
import { Inbox } from '../../src/services/inbox/index.js';
import { insertInteraction } from '../../src/services/inbox/store.js';
import { makeAction } from '../support/factories.js';
import { providers } from '../support/db.js';
import type { StoredMessage } from './fake-slack.js';
import { FAKE_TEAM_ID, fixture, NOW, startHarness, type Harness } from './harness.js';

let tsSeq = 0;
const nextTs = () => `1800002900.${String(++tsSeq).padStart(6, '0')}`;

describe.each(await providers())('Slack clicks through the inbox (%s)', (provider) => {
  let h: Harness;
  let inbox!: Inbox;
  beforeAll(async () => {
    h = await startHarness(provider, {
      inbox: (db) => (inbox = new Inbox({ db, clock: () => NOW, logger: silentLogger, instanceId: 'this-replica', sweepMs: 0, maxQueued: 2, concurrency: 1 })),
    });
  });
  afterAll(async () => {
    await h?.close();
  });
  const db = () => h.database.db;

  async function nudge(actionId: string): Promise<StoredMessage> {
    const card = (await getActionCard(db(), h.world.workspaceId, actionId, '2026-12-01')) as ActionCard;
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'UOWNER' }, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu Owner', actions: [card] });
    return h.fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
  }
  function click(message: StoredMessage, actionId: string, brag: string) {
    const actionTs = nextTs();
    const blocks = message.blocks as KnownBlock[];
    const value = JSON.stringify({ a: actionId });
    return fixture<{ response_url: string } & Record<string, unknown>>('block-actions-button.json', {
      USER_ID: 'UOWNER', TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: message.ts, CHANNEL_ID: message.channel, TRIGGER_ID: `trigger-${actionTs}`, MESSAGE_TEXT: message.text,
      MESSAGE_BLOCKS: blocks, RESPONSE_URL: h.fake.responseUrl(`r-${actionTs}`), ACTION_ID: `bragbot.brag.${brag}`, BLOCK_ID: `act:${actionId}:buttons`, BUTTON_TEXT: brag, VALUE: value, ACTION_TS: actionTs,
    });
  }
  const cardText = (message: StoredMessage, actionId: string) =>
    ((h.fake.messages.get(`${message.channel}:${message.ts}`)!.blocks as KnownBlock[]).find((b) => b.block_id === `act:${actionId}:card`) as SectionBlock).text!.text;
  /** Occupies the inbox's queue with `n` pieces of work that finish when released. */
  function occupy(n: number) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    inbox.register('web', () => gate);
    const work = Array.from({ length: n }, (_, i) =>
      inbox.work({ key: `web:hold:${provider}:${i}:${tsSeq}`, platform: 'web', kind: 'brag', workspaceId: h.world.workspaceId, personId: null, input: { actionId: 'none', brag: 'green' }, reply: {}, receivedAt: NOW, attempts: 1 }, undefined, { owned: false }),
    );
    return { release: async () => { release(); await Promise.all(work); } };
  }

  it('writes the click down before Slack hears back, then works it from there', async () => {
    const action = await makeAction(db(), h.world.group.id, { brag: 'amber', ownerIds: [h.world.owner.id] });
    const message = await nudge(action.id);
    const hold = occupy(1); // the one worker is busy: the click waits in the queue after its ack
    const payload = click(message, action.id, 'green');
    const key = `slack:brag:${action.id}:green:ts${(payload.actions as { action_ts: string }[])[0]!.action_ts}:UOWNER`;
    expect((await h.interaction(payload)).status).toBe(200);
    // Acknowledged: already in the inbox (claimed by this process), not yet worked.
    await expect.poll(() => db().inboundInteraction.findUnique({ where: { key } })).toMatchObject({ doneAt: null, claimedBy: 'this-replica', personId: h.world.owner.id, kind: 'brag' });
    expect(await db().statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
    await hold.release();
    await expect.poll(() => db().inboundInteraction.findUnique({ where: { key } }).then((r) => r?.outcome)).toBe('recorded');
    expect(await db().statusUpdate.findMany({ where: { idempotencyKey: key } })).toMatchObject([{ toBrag: 'green', personId: h.world.owner.id }]);
    await expect.poll(() => cardText(message, action.id)).toMatch(/Recorded :large_green_circle: \*Green\*/);
  });

  it('turns a click away as busy when the queue is full, recording nothing', async () => {
    const action = await makeAction(db(), h.world.group.id, { brag: 'amber', ownerIds: [h.world.owner.id] });
    const message = await nudge(action.id);
    const hold = occupy(2);
    const payload = click(message, action.id, 'red');
    expect((await h.interaction(payload)).status).toBe(200);
    const busy = await h.fake.waitFor(() => h.fake.responses.find((r) => h.fake.responseUrl(r.id) === payload.response_url));
    expect(String(busy.body.text)).toMatch(/busy right now, so that click was not recorded\. Please try again in a moment/);
    await hold.release();
    expect(await db().statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
    expect(await db().inboundInteraction.count({ where: { inputJson: { contains: action.id } } })).toBe(0);
  });

  it('finishes a click a dead process left, and updates the nudge in place', async () => {
    const action = await makeAction(db(), h.world.group.id, { brag: 'amber', ownerIds: [h.world.owner.id] });
    const message = await nudge(action.id);
    const key = `slack:brag:${action.id}:red:tsdead1:UOWNER`;
    await insertInteraction(sqlOf(db())!, {
      key, platform: 'slack', kind: 'brag', workspaceId: h.world.workspaceId, who: { account: { platform: 'slack', userId: 'UOWNER' } },
      input: { actionId: action.id, brag: 'red' }, reply: { user: 'UOWNER', channel: message.channel, ts: message.ts, ephemeral: false, responseUrl: h.fake.responseUrl('dead-1') },
      receivedAt: new Date(NOW.getTime() - 120_000),
    }, 'dead-replica', new Date(NOW.getTime() - 90_000));
    await inbox.sweep();
    expect(await db().statusUpdate.findMany({ where: { idempotencyKey: key } })).toMatchObject([{ toBrag: 'red', at: new Date(NOW.getTime() - 120_000) }]);
    expect(cardText(message, action.id)).toMatch(/Recorded :red_circle: \*Red\*.*\(was Amber\) by Olu Owner at 09:58/);
    expect(await db().inboundInteraction.findUniqueOrThrow({ where: { key } })).toMatchObject({ outcome: 'recorded', claimedBy: 'this-replica', lastError: null });
  });

  it('tells the person by direct message when the click came from a list whose response_url has expired', async () => {
    const action = await makeAction(db(), h.world.group.id, { brag: 'amber', ownerIds: [h.world.owner.id] });
    const key = `slack:brag:${action.id}:green:tsdead2:UOWNER`;
    await insertInteraction(sqlOf(db())!, {
      key, platform: 'slack', kind: 'brag', workspaceId: h.world.workspaceId, who: { account: { platform: 'slack', userId: 'UOWNER' } },
      input: { actionId: action.id, brag: 'green' }, reply: { user: 'UOWNER', ephemeral: true, responseUrl: h.fake.responseUrl('dead-2'), page: 0 },
      receivedAt: new Date(NOW.getTime() - 45 * 60_000),
    }, 'dead-replica', new Date(NOW.getTime() - 44 * 60_000));
    const before = h.fake.callsOf('chat.postMessage').length;
    await inbox.sweep();
    expect(await db().statusUpdate.count({ where: { idempotencyKey: key } })).toBe(1);
    const dm = h.fake.callsOf('chat.postMessage').slice(before).find((c) => c.params.channel === 'UOWNER');
    expect(String(dm?.params.text)).toMatch(/Recorded :large_green_circle: \*Green\*.*your click at 09:15/);
    expect(h.fake.responses.some((r) => r.id === 'dead-2')).toBe(false);
  });
});
