/** What the listeners share: the arguments they use (a subset of Bolt's), ephemeral replies, and the start of an action button. */
import type { BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../logging.js';
import type { Caller } from '../../../services/access.js';
import { accountOrg, callerOf, refuse, withUserErrors, type Ephemeral, type Person } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { ActionButtonValue, parseJson } from '../ids.js';

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

/** The clicker's own workspace: a partner's in a Slack Connect channel (block_actions `user.team_id`). */
export function userTeamOf(body: { user: { id: string } }): string | undefined {
  const team = (body.user as { team_id?: unknown }).team_id;
  return typeof team === 'string' && team !== '' ? team : undefined;
}

/**
 * Who clicked, for a click's idempotency key: identity is (workspace, user id), so a partner
 * workspace's account never shares a key with ours (a refused spoof must not answer for the
 * real click that follows).
 */
export function clickerKeyOf(deps: Pick<HandlerDeps, 'teamId'>, body: { user: { id: string } }): string {
  const org = accountOrg(deps, userTeamOf(body));
  return org ? `${org}/${body.user.id}` : body.user.id;
}

/** What a button that fails its check gets (an older message, a forged payload). */
export const UNKNOWN_BUTTON = 'That button is not one bragbot understands. Use `/brag` to see your actions.';

/** An action button's click once its value is known to be sound: the value, who clicked, where to log and answer. */
export interface ActionClick {
  value: ActionButtonValue;
  /** Who the interactions service decides for (a person, or someone bragbot does not know). */
  caller: Caller;
  person: Person | null;
  log: Logger;
  say: Ephemeral;
}

/** A refusal from the interactions service: logged (who, what, why) and said ephemerally. */
export async function sayRefused(click: Pick<ActionClick, 'log' | 'say' | 'value'>, out: { code: string }, text: string): Promise<void> {
  click.log.warn({ actionId: click.value.a, refused: true, code: out.code }, 'slack interaction refused');
  await click.say(text);
}

/**
 * The start every action button (Not mine, Update progress, Snooze, Details) shares:
 * acknowledged at once, the button's value checked (else `malformed` is the answer) and the
 * clicker resolved before `work` runs; its errors are answered in the person's words.
 */
export async function onActionButton(deps: HandlerDeps, args: ButtonArgs, malformed: string, work: (click: ActionClick) => Promise<void>): Promise<void> {
  await args.ack();
  const log = clickLogger(deps, args.body, args.action);
  const say = clickEphemeral(args);
  const value = parseJson(ActionButtonValue, args.action.value);
  if (!value) return refuse(log, say, malformed, { malformed: true });
  await withUserErrors(log, say, { actionId: value.a }, async () => {
    const { caller, person } = await callerOf(deps, args.body.user.id, userTeamOf(args.body));
    await work({ value, caller, person, log, say });
  });
}
