/** What the listeners share: the arguments they use (a subset of Bolt's), and ephemeral replies. */
import type { BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Ephemeral } from '../actor.js';
import type { HandlerDeps } from '../deps.js';

/** A button click as the handlers need it: plain data, so tests call handlers without a server. */
export interface ButtonArgs {
  ack: () => Promise<void>;
  body: BlockAction<ButtonAction>;
  action: ButtonAction;
  client: WebClient;
  respond?: RespondFn | undefined;
}

/** An ephemeral reply to the person who clicked: via response_url, else chat.postEphemeral. */
export function ephemeralTo(args: Pick<ButtonArgs, 'respond' | 'client'> & { channel?: string | undefined; user: string }): Ephemeral {
  return async (text: string) => {
    if (args.respond) {
      await args.respond({ response_type: 'ephemeral', replace_original: false, text });
      return;
    }
    if (args.channel) await args.client.chat.postEphemeral({ channel: args.channel, user: args.user, text });
  };
}

export function clickLogger(deps: HandlerDeps, body: BlockAction<ButtonAction>, action: ButtonAction) {
  return deps.logger.child({ slack: { kind: 'block_actions', user: body.user.id, team: body.team?.id, actionId: action.action_id, actionTs: action.action_ts } });
}

export function clickEphemeral(args: ButtonArgs): Ephemeral {
  const channel = typeof args.body.container?.channel_id === 'string' ? (args.body.container.channel_id as string) : args.body.channel?.id;
  return ephemeralTo({ respond: args.respond, client: args.client, channel, user: args.body.user.id });
}
