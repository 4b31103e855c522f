/** ← Previous / Next → on the /brag list. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS, BragPageValue, parseJson } from '../ids.js';
import { showBragList } from './brag-command.js';
import { clickEphemeral, clickLogger, userTeamOf, type ButtonArgs } from './common.js';

export const BRAG_PAGE_PATTERN = new RegExp(`^${ACTION_IDS.bragPage.replace(/\./g, '\\.')}\\.(prev|next)$`);

export async function handleBragPageButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const log = clickLogger(deps, args.body, args.action);
  const say = clickEphemeral(args);
  const value = parseJson(BragPageValue, args.action.value);
  if (!value || !args.respond) return refuse(log, say, 'That button is not one bragbot understands. Run `/brag` again.', { malformed: true });
  const respond = args.respond;
  await withUserErrors(log, say, {}, async () => {
    const person = await personOf(deps, args.body.user.id, userTeamOf(args.body));
    if (!person) return refuse(log, say, NOT_MAPPED, {});
    await showBragList(deps, respond, person, value.p, undefined, true);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(BRAG_PAGE_PATTERN, async ({ ack, body, action, client, respond }) => {
    await handleBragPageButton(deps, { ack, body, action, client, respond });
  });
}
