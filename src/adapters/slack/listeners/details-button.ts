/**
 * "Details" on escalations and digests: the link back to an action inside Slack. Shows the
 * card and its recent history ephemerally, to people who may see the action (owners, members of
 * its group, admins, the owners' line managers).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { actionDetails, describeRefusal, describeUpdateChange, describeUpdateWho } from '../../../services/interactions/index.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { actionCardText } from '../render/action-blocks.js';
import { SLACK_STYLE } from '../render/style.js';
import { clamp, esc } from '../render/text.js';
import { onActionButton, sayRefused, type ButtonArgs } from './common.js';

export async function handleDetailsButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  await onActionButton(deps, args, 'That button is not one bragbot understands.', async (click) => {
    const { value, caller, say } = click;
    const out = await actionDetails(deps.db, { workspaceId: deps.workspaceId, caller, channel: 'slack', now: deps.clock(), actionId: value.a, historyLimit: 5 });
    if (out.kind === 'refused') return sayRefused(click, out, describeRefusal(out, SLACK_STYLE, false));
    const { action: card, history } = out;
    const lines = history.map((u) => `• ${describeUpdateWho(u, SLACK_STYLE)}: ${describeUpdateChange(u, SLACK_STYLE, 200)}`);
    const blocks: KnownBlock[] = [
      { type: 'section', text: { type: 'mrkdwn', text: actionCardText(card, { showGroup: true, showOwners: true }) } },
      ...(card.progress ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `*Where are we now?*\n${esc(clamp(card.progress, 2800))}` } }] : []),
      { type: 'section', text: { type: 'mrkdwn', text: lines.length ? `*Recent updates*\n${lines.join('\n')}` : '_No updates recorded yet._' } },
    ];
    if (args.respond) await args.respond({ response_type: 'ephemeral', replace_original: false, text: `${card.ref} ${card.activity}`.slice(0, 200), blocks });
    else await say(actionCardText(card));
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.details, async ({ ack, body, action, client, respond }) => {
    await handleDetailsButton(deps, { ack, body, action, client, respond });
  });
}
