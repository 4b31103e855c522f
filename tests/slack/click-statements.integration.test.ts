/**
 * Issue 16: a BRAG click runs at most 4 statements (3 on both databases) and no transaction
 * around them — the inbox write before the acknowledgement, one conditional statement that records
 * the update, its audit row (issue 10 pt 10) and changes the action (PostgreSQL: a data-modifying
 * WITH; SQLite: the INSERT, whose TEMP trigger writes the audit row and the action), and the inbox
 * row marked done; who clicked is resolved inside the inbox write, and the nudge is redrawn from
 * what the statement returned. Counted on the driver layer (every statement Prisma or src/db/sql.ts
 * sends), so the count cannot grow silently. A count, not a timing: `npm run bench` measures time.
 */
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type SlackRuntime } from '../../src/adapters/slack/index.js';
import { loadConfig } from '../../src/config.js';
import type { ActionCard } from '../../src/core/chat.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { silentLogger } from '../../src/logging.js';
import { getActionCard } from '../../src/services/actions.js';
import { Inbox } from '../../src/services/inbox/index.js';
import { createTestDatabaseUrl, providers } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { FakeSlack } from './fake-slack.js';
import { BOT_TOKEN, FAKE_TEAM_ID, fixture, NOW, signedPost, SIGNING_SECRET } from './harness.js';

/** Statements that begin or end a transaction (SQLite's synchronous one), not work of their own. */
const CONTROL = /^(BEGIN IMMEDIATE|COMMIT|ROLLBACK)$/;

describe.each(await providers())('the statements one click runs (%s)', (provider) => {
  let url: string;
  let drop: () => Promise<void>;
  let counted: Database;
  let reader: Database;
  let fake: FakeSlack;
  let slack: SlackRuntime;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  let statements: string[] | null = null;

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabaseUrl(provider));
    counted = await openDatabase(url, { onStatement: (sql) => statements?.push(sql) });
    reader = await openDatabase(url);
    world = await makeStandardGroup(reader.db);
    fake = await new FakeSlack().start();
    const config = loadConfig({ DATABASE_URL: url, SLACK_MODE: 'http', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
    const inbox = new Inbox({ db: counted.db, clock: () => NOW, logger: silentLogger, instanceId: 'counting', sweepMs: 0 });
    slack = await startSlack({ config, db: counted.db, workspaceId: world.workspaceId, logger: silentLogger, clock: () => NOW, httpPort: 0, inbox });
  });
  afterAll(async () => {
    await slack?.stop();
    await fake?.stop();
    await counted?.close();
    await reader?.close();
    await drop?.();
  });

  async function clickOnNudge(brag: string) {
    const action = await makeAction(reader.db, world.group.id, { brag: 'amber', dueDate: '2026-11-20', ownerIds: [world.owner.id] });
    const card = (await getActionCard(reader.db, world.workspaceId, action.id, '2026-12-01')) as ActionCard;
    const sent = await slack.port.send({ platform: 'slack', conversationId: 'UOWNER' }, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu Owner', actions: [card] });
    const message = fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
    const blocks = message.blocks as KnownBlock[];
    const buttons = blocks.find((b) => b.block_id === `act:${action.id}:buttons`) as { elements: { action_id: string; value: string }[] };
    const button = buttons.elements.find((e) => e.action_id === `bragbot.brag.${brag}`)!;
    const payload = fixture('block-actions-button.json', {
      USER_ID: 'UOWNER', TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: message.ts, CHANNEL_ID: message.channel, TRIGGER_ID: `t-${action.id}`, MESSAGE_TEXT: message.text,
      MESSAGE_BLOCKS: blocks, RESPONSE_URL: fake.responseUrl(`r-${action.id}`), ACTION_ID: button.action_id, BLOCK_ID: `act:${action.id}:buttons`, BUTTON_TEXT: brag,
      VALUE: button.value, ACTION_TS: '1800004000.000001',
    });
    const updates = () => fake.callsOf('chat.update').filter((c) => c.params.ts === message.ts);
    statements = [];
    const res = await signedPost(`${slack.url}/slack/events`, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    await fake.waitFor(() => updates()[0]);
    await expect.poll(() => reader.db.inboundInteraction.count({ where: { doneAt: { not: null }, inputJson: { contains: action.id } } })).toBe(1);
    const ran = statements;
    statements = null;
    return { action, ran, update: updates()[0]! };
  }

  it('a recorded click: at most 4 statements, no transaction around them, the nudge redrawn without reading the action again', async () => {
    const { action, ran, update } = await clickOnNudge('green');
    expect(ran.length, ran.join('\n---\n')).toBeLessThanOrEqual(4);
    // Nothing begins or ends a transaction: each statement is atomic on its own.
    expect(ran.filter((s) => CONTROL.test(s.trim()) || s.startsWith('BEGIN'))).toEqual([]);
    expect(ran[0]).toMatch(/^INSERT INTO "InboundInteraction"/);
    // The update is recorded, audited and the action changed by one statement.
    const record = ran.filter((s) => s.includes('INSERT INTO "StatusUpdate"'));
    expect(record).toHaveLength(1);
    if (provider === 'postgresql') expect(record[0]).toContain('INSERT INTO "AuditEvent"');
    expect(ran.at(-1)).toMatch(/^UPDATE "InboundInteraction" SET "doneAt"/);
    expect(ran).toHaveLength(3);
    // It did record, audited and changed the action, and the message shows it.
    const updates = await reader.db.statusUpdate.findMany({ where: { actionId: action.id } });
    expect(updates).toMatchObject([{ fromBrag: 'amber', toBrag: 'green', personId: world.owner.id }]);
    expect(await reader.db.auditEvent.findMany({ where: { statusUpdateId: updates[0]!.id } })).toMatchObject([{ kind: 'status', fromValue: 'amber', toValue: 'green', actionId: action.id }]);
    expect(await reader.db.action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ brag: 'green' });
    expect(JSON.stringify(update.params.blocks)).toContain('Recorded :large_green_circle: *Green*');
  });
});
