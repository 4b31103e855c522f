/**
 * Issue 16 on Teams: the statements one BRAG click on a nudge card runs, counted on the driver
 * layer as for Slack (tests/slack/click-statements.integration.test.ts). A count, not a timing.
 * The clicker resolved (their Person), the conversation's reference stored (the first activity of
 * a conversation a process sees, or one that changed it: so the outbox can reach them), the inbox write, the one conditional statement that
 * records, audits and changes the action, and the inbox row marked done: the refreshed card Teams
 * shows in place is drawn from what the statement returned, not read again (it was 8 reads more).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOutbound } from '../../src/adapters/teams/cards/outbound.js';
import type { ActionCard } from '../../src/core/chat.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { getActionCard, versionsOf } from '../../src/services/actions.js';
import { createTestDatabaseUrl, providers } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { actionsOf, inputsOf, textOf } from './support/cards.js';
import { startTeamsEndpoint, type TeamsEndpoint } from './support/endpoint.js';
import { TENANT } from './support/harness.js';

const NOW = new Date('2026-12-01T10:00:00Z');

describe.each(await providers())('the statements one Teams click runs (%s)', (provider) => {
  let drop: () => Promise<void>;
  let counted: Database;
  let reader: Database;
  let e: TeamsEndpoint;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  let statements: string[] | null = null;

  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabaseUrl(provider));
    counted = await openDatabase(url, { onStatement: (sql) => statements?.push(sql.trim()) });
    reader = await openDatabase(url);
    world = await makeStandardGroup(reader.db);
    e = await startTeamsEndpoint(counted.db, world.workspaceId, NOW);
  });
  afterAll(async () => {
    await e?.stop();
    await counted?.close();
    await reader?.close();
    await drop?.();
  });

  let n = 0;
  /** A BRAG click on a nudge card about a new action: the statements it ran, in short. */
  async function clickOnNudge() {
    n += 1;
    const action = await makeAction(reader.db, world.group.id, { brag: 'amber', dueDate: '2026-11-20', ownerIds: [world.owner.id] });
    const card = (await getActionCard(reader.db, world.workspaceId, action.id, '2026-12-01')) as ActionCard;
    const rendered = renderOutbound({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu Owner', actions: [card] }, { versions: await versionsOf(reader.db, world.workspaceId, [action.id]) });
    const button = actionsOf(rendered.card).find((a) => a.verb === 'brag' && a.data?.a === action.id && a.data?.b === 'green')!;
    const scope = String(inputsOf(rendered.card).find((i) => i.id === 'bb_scope')?.value ?? '');
    const activity = {
      type: 'invoke', name: 'adaptiveCard/action', id: `count-invoke-${n}`, timestamp: NOW.toISOString(), serviceUrl: e.connectorUrl, channelId: 'msteams',
      from: { id: '29:teams-owner', name: 'Olu Owner', aadObjectId: 'teams-owner' },
      conversation: { conversationType: 'personal', tenantId: TENANT, id: 'a:count-owner' },
      recipient: { id: '28:bragbot', name: 'bragbot' }, channelData: { tenant: { id: TENANT } }, replyToId: `count-card-${n}`,
      value: { action: { type: 'Action.Execute', verb: 'brag', data: { ...button.data, bb_scope: scope } }, trigger: 'manual' },
    };
    statements = [];
    const res = await e.post(activity);
    const ran = statements;
    statements = null;
    expect(res.status).toBe(200);
    expect(textOf((JSON.parse(res.text) as { value?: unknown }).value)).toContain('Recorded');
    expect(await reader.db.statusUpdate.findMany({ where: { actionId: action.id } })).toMatchObject([{ fromBrag: 'amber', toBrag: 'green', personId: world.owner.id, channel: 'teams' }]);
    const said = ran.map((s) => s.replace(/[`"]/g, '').replace(/\b(main|public)\./g, '').replace(/\s+/g, ' '));
    expect(said.filter((s) => /^(BEGIN|COMMIT)/.test(s)), said.join('\n')).toEqual([]);
    return said.map((s) => s.split(' ').slice(0, 3).join(' '));
  }

  const record = provider === 'sqlite' ? 'INSERT INTO StatusUpdate' : 'WITH cur AS';
  it('a recorded click on a nudge card: 4 statements (5 the first time in a conversation), no transaction, the card redrawn without reading the action again', async () => {
    // The first activity this process sees in the conversation stores its reference.
    expect(await clickOnNudge()).toEqual(['SELECT Person.id, Person.name,', 'INSERT INTO ConversationRef', 'INSERT INTO InboundInteraction', record, 'UPDATE InboundInteraction SET']);
    expect(await clickOnNudge()).toEqual(['SELECT Person.id, Person.name,', 'INSERT INTO InboundInteraction', record, 'UPDATE InboundInteraction SET']);
    // The reference is there, as the first click stored it.
    expect(await reader.db.conversationRef.findMany({ where: { conversationId: 'a:count-owner' } })).toMatchObject([{ personId: world.owner.id, serviceUrl: e.connectorUrl.replace(/\/$/, '') }]);
  });
});
