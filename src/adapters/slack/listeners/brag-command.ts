/**
 * `/brag`: your own open actions, with the same buttons as a nudge (ephemeral, paged), or a
 * quick update in one line: `/brag 34 green Recruited two carers`.
 */
import type { App, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { BRAG_LABEL, parseBrag } from '../../../core/brag.js';
import { londonDate } from '../../../core/calendar.js';
import { listPersonActions, versionsOf } from '../../../services/actions.js';
import { recordUpdate } from '../../../services/status-updates.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors, type Person } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { commandKey } from '../idempotency.js';
import { SLACK_COMMANDS } from '../ids.js';
import { renderBragList } from '../render/brag-list.js';
import { bragMrkdwn, esc } from '../render/text.js';

export interface CommandArgs {
  ack: (response?: string | RespondArguments) => Promise<void>;
  command: SlashCommand;
  client: WebClient;
  respond: RespondFn;
}

const HELP = [
  '*`/brag`* lists your open actions with buttons to update them.',
  '*`/brag 34 green Recruited two carers`* sets action 34 to Green with a note (ref, then Blue, Green, Amber or Red, then an optional note).',
].join('\n');

export async function showBragList(deps: HandlerDeps, respond: RespondFn, person: Person, page: number, notice?: string, replace = false): Promise<void> {
  const cards = await listPersonActions(deps.db, deps.workspaceId, person.id, londonDate(deps.clock()));
  const versions = await versionsOf(deps.db, deps.workspaceId, cards.map((c) => c.actionId));
  const list = renderBragList(cards, versions, page, notice);
  await respond({ response_type: 'ephemeral', replace_original: replace, text: list.text, blocks: list.blocks });
}

export async function handleBragCommand(deps: HandlerDeps, args: CommandArgs): Promise<void> {
  await args.ack();
  const { command } = args;
  const log = deps.logger.child({ slack: { kind: 'command', command: command.command, user: command.user_id, team: command.team_id } });
  const say = async (text: string) => { await args.respond({ response_type: 'ephemeral', text }); };
  await withUserErrors(log, say, {}, async () => {
    const person = await personOf(deps, command.user_id);
    if (!person) return refuse(log, say, NOT_MAPPED, {});
    const text = command.text.trim();
    if (text === '' || /^(list|mine|me)$/i.test(text)) return showBragList(deps, args.respond, person, 0);
    if (/^help$/i.test(text)) return say(HELP);
    const m = /^(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/.exec(text);
    const parsed = m ? parseBrag(m[2]) : null;
    if (!m || !parsed?.ok || parsed.brag === 'unrated') return say(`I did not understand that.\n${HELP}`);
    const ref = m[1]!;
    const cards = (await listPersonActions(deps.db, deps.workspaceId, person.id, londonDate(deps.clock()))).filter((c) => c.ref.toLowerCase() === ref.toLowerCase());
    if (cards.length === 0) return say(`You have no open action with ref *${esc(ref)}*. \`/brag\` lists yours.`);
    if (cards.length > 1) {
      // Refs repeat (York has two 34s): let the buttons say which one.
      const versions = await versionsOf(deps.db, deps.workspaceId, cards.map((c) => c.actionId));
      const list = renderBragList(cards, versions, 0, `You have ${cards.length} actions with ref *${esc(ref)}*: choose with the buttons.`);
      await args.respond({ response_type: 'ephemeral', text: list.text, blocks: list.blocks });
      return;
    }
    const card = cards[0]!;
    const out = await recordUpdate(deps.db, {
      workspaceId: deps.workspaceId, actionId: card.actionId, personId: person.id, channel: 'slack',
      brag: parsed.brag, note: m[3], idempotencyKey: commandKey(command.trigger_id), now: deps.clock(),
    });
    log.info({ actionId: card.actionId, outcome: out.status }, 'slack: /brag update');
    const notice = out.status === 'unchanged'
      ? `*${esc(card.ref)}* is already ${bragMrkdwn(out.brag)}: nothing to change.`
      : `:white_check_mark: *${esc(card.ref)}* is now ${bragMrkdwn(out.toBrag)}${out.fromBrag !== out.toBrag ? ` (was ${BRAG_LABEL[out.fromBrag]})` : ''}.`;
    await showBragList(deps, args.respond, person, 0, notice);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.command(SLACK_COMMANDS.brag, async ({ ack, command, client, respond }) => {
    await handleBragCommand(deps, { ack, command, client, respond });
  });
}
