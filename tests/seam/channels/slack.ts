/**
 * The Slack channel for the shared suites: the real Bolt app in HTTP mode (HMAC-signed
 * requests), the real WebClient against FakeSlack (tests/slack/harness.ts). A click on a DM
 * nudge is answered by editing that message (chat.update) or, when refused, ephemerally through
 * the response_url: whichever arrives is what the person sees.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { ActionCard } from '../../../src/core/chat.js';
import { getActionCard } from '../../../src/services/actions.js';
import type { StoredMessage } from '../../slack/fake-slack.js';
import { FAKE_TEAM_ID, fixture, startHarness, type Harness } from '../../slack/harness.js';
import { plainWords, type ChannelRun, type Delivery, type SeamChannel, type Surface, type Who } from './types.js';

const USER: Record<Who, string> = { owner: 'UOWNER', chair: 'UCHAIR', stranger: 'USTRANGER', unknown: 'U0NOBODY' };

interface SlackSurface extends Surface {
  message: StoredMessage;
  /** The action whose buttons are pressed (the forged id goes in the value only). */
  shownActionId: string;
}

let seq = 0;

function sectionsText(blocks: unknown): string {
  const out: string[] = [];
  for (const b of (blocks as KnownBlock[] | undefined) ?? []) {
    if (b.type === 'section' && b.text) out.push(b.text.text);
    if (b.type === 'context') for (const e of b.elements) if ('text' in e && typeof e.text === 'string') out.push(e.text);
  }
  return out.join('\n');
}

export const slackChannel: SeamChannel = {
  name: 'slack',
  async start(provider): Promise<ChannelRun> {
    const h: Harness = await startHarness(provider);
    const world = { ...h.world, db: h.database.db };

    /** Waits for the next thing the person sees after `before` calls/responses. */
    async function nextSeen(message: StoredMessage, responseUrl: string, before: { updates: number; responses: number }): Promise<string> {
      return h.fake.waitFor(() => {
        const updates = h.fake.callsOf('chat.update').filter((c) => c.params.ts === message.ts);
        if (updates.length > before.updates) return plainWords(sectionsText(updates.at(-1)!.params.blocks));
        const responses = h.fake.responses.filter((r) => h.fake.responseUrl(r.id) === responseUrl);
        if (responses.length > before.responses) return plainWords(String(responses.at(-1)!.body.text ?? sectionsText(responses.at(-1)!.body.blocks)));
        return null;
      });
    }

    return {
      world,
      async present(actionId) {
        const card = (await getActionCard(world.db, world.workspaceId, actionId, '2026-12-01')) as ActionCard;
        const sent = await h.slack.port.send({ platform: 'slack', conversationId: USER.owner }, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu Owner', actions: [card] });
        const message = h.fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
        return { actionId, shownActionId: actionId, message } as SlackSurface;
      },
      forge(surface, actionId) {
        return { ...(surface as SlackSurface), actionId };
      },
      async click(surface, brag, who): Promise<Delivery> {
        const s = surface as SlackSurface;
        const blocks = s.message.blocks as KnownBlock[];
        const row = blocks.find((b) => b.block_id === `act:${s.shownActionId}:buttons`) as ActionsBlock;
        const button = row.elements.find((e) => 'action_id' in e && e.action_id === `bragbot.brag.${brag}`) as Button;
        const value = JSON.stringify({ ...(JSON.parse(button.value!) as Record<string, unknown>), a: s.actionId });
        seq += 1;
        const ts = `1800009000.${String(seq).padStart(6, '0')}`;
        const responseUrl = h.fake.responseUrl(`seam-${seq}`);
        const payload = fixture('block-actions-button.json', {
          USER_ID: USER[who], TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: s.message.ts, CHANNEL_ID: s.message.channel, TRIGGER_ID: `trigger-${ts}`,
          MESSAGE_TEXT: s.message.text, MESSAGE_BLOCKS: blocks, RESPONSE_URL: responseUrl, ACTION_ID: button.action_id, BLOCK_ID: row.block_id,
          BUTTON_TEXT: button.text.text, VALUE: value, ACTION_TS: ts,
        });
        const deliver = async () => {
          const before = {
            updates: h.fake.callsOf('chat.update').filter((c) => c.params.ts === s.message.ts).length,
            responses: h.fake.responses.filter((r) => h.fake.responseUrl(r.id) === responseUrl).length,
          };
          const res = await h.interaction(payload);
          if (res.status !== 200) throw new Error(`Slack receiver answered ${res.status}`);
          return nextSeen(s.message, responseUrl, before);
        };
        return { seen: await deliver(), replay: deliver };
      },
      stop: () => h.close(),
    };
  },
};
