/**
 * The Teams channel for the shared suites: the real Teams SDK app at /api/messages (its
 * explicit local-demo mode, no JWT), fed Action.Execute invokes as Teams sends them, with a
 * fake Bot Connector (tests/teams/support/endpoint.ts). The invoke's answer is the card Teams
 * shows in place: that is what the person sees.
 */
import { renderOutbound } from '../../../src/adapters/teams/cards/outbound.js';
import type { ActionCard } from '../../../src/core/chat.js';
import { getActionCard, versionsOf } from '../../../src/services/actions.js';
import { createTestDatabase } from '../../support/db.js';
import { makeStandardGroup } from '../../support/factories.js';
import { actionsOf, inputsOf, textOf } from '../../teams/support/cards.js';
import { startTeamsEndpoint } from '../../teams/support/endpoint.js';
import { TENANT } from '../../teams/support/harness.js';
import { plainWords, type ChannelRun, type Delivery, type SeamChannel, type Surface, type Who } from './types.js';

const NOW = new Date('2026-12-01T10:00:00Z');
/** The AAD ids makeStandardGroup gives people (teamsUserId); the unknown one maps to nobody. */
const AAD: Record<Who, string> = { owner: 'teams-owner', chair: 'teams-chair', stranger: 'teams-stranger', unknown: 'aad-nobody' };

interface TeamsSurface extends Surface {
  /** The brag buttons' data on the rendered card, by BRAG. */
  buttons: Map<string, Record<string, unknown>>;
  scope: string;
  messageId: string;
}

let seq = 0;

export const teamsChannel: SeamChannel = {
  name: 'teams',
  async start(provider): Promise<ChannelRun> {
    const database = await createTestDatabase(provider);
    const world = { ...(await makeStandardGroup(database.db)), db: database.db };
    const e = await startTeamsEndpoint(database.db, world.workspaceId, NOW);
    return {
      world,
      async present(actionId) {
        const card = (await getActionCard(world.db, world.workspaceId, actionId, '2026-12-01')) as ActionCard;
        const rendered = renderOutbound({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu Owner', actions: [card] }, { versions: await versionsOf(world.db, world.workspaceId, [actionId]) });
        const buttons = new Map(actionsOf(rendered.card).filter((a) => a.verb === 'brag' && a.data?.a === actionId).map((a) => [String(a.data!.b), a.data!]));
        const scope = String(inputsOf(rendered.card).find((i) => i.id === 'bb_scope')?.value ?? '');
        seq += 1;
        return { actionId, buttons, scope, messageId: `seam-card-${seq}` } as TeamsSurface;
      },
      forge(surface, actionId) {
        const s = surface as TeamsSurface;
        return { ...s, actionId, buttons: new Map([...s.buttons].map(([b, d]) => [b, { ...d, a: actionId }])) } as TeamsSurface;
      },
      async click(surface, brag, who): Promise<Delivery> {
        const s = surface as TeamsSurface;
        seq += 1;
        const activity = {
          type: 'invoke', name: 'adaptiveCard/action', id: `seam-invoke-${seq}`, timestamp: NOW.toISOString(), serviceUrl: e.connectorUrl, channelId: 'msteams',
          from: { id: `29:${AAD[who]}`, name: who, aadObjectId: AAD[who] },
          conversation: { conversationType: 'personal', tenantId: TENANT, id: `a:seam-${who}` },
          recipient: { id: '28:bragbot', name: 'bragbot' },
          channelData: { tenant: { id: TENANT } },
          replyToId: s.messageId,
          value: { action: { type: 'Action.Execute', verb: 'brag', data: { ...s.buttons.get(brag), bb_scope: s.scope } }, trigger: 'manual' },
        };
        const deliver = async () => {
          const res = await e.post(activity);
          if (res.status !== 200) throw new Error(`Teams endpoint answered ${res.status}: ${res.text}`);
          const body = JSON.parse(res.text) as { value?: unknown };
          return plainWords(textOf(body.value));
        };
        return { seen: await deliver(), replay: deliver };
      },
      async stop() {
        await e.stop();
        await database.destroy();
      },
    };
  },
};
