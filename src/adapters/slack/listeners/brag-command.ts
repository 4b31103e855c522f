/**
 * `/brag`: your own open actions, with the same buttons as a nudge (ephemeral, paged), or a
 * quick update in one line: `/brag 34 green Recruited two carers`.
 */
import type { App, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { describeQuickUpdate, myActions, parseQuickCommand, quickUpdate } from '../../../services/interactions/index.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors, type Person } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { commandKey } from '../idempotency.js';
import { SLACK_COMMANDS } from '../ids.js';
import { renderBragList } from '../render/brag-list.js';
import { SLACK_STYLE } from '../render/style.js';
import { esc } from '../render/text.js';

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
  const mine = await myActions(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id }, channel: 'slack', now: deps.clock() });
  const list = mine.kind === 'list' ? renderBragList(mine.cards, mine.versions, page, notice) : { text: mine.text, blocks: [] };
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
    const parsed = parseQuickCommand(command.text);
    if (parsed.kind === 'list') return showBragList(deps, args.respond, person, 0);
    if (parsed.kind === 'help') return say(HELP);
    if (parsed.kind === 'too-long') return say(`:warning: ${esc(parsed.text)}`);
    if (parsed.kind === 'not-understood') return say(`I did not understand that.\n${HELP}`);
    const out = await quickUpdate(deps.db, {
      workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id }, channel: 'slack', now: deps.clock(),
      ref: parsed.ref, brag: parsed.brag, note: parsed.note, idempotencyKey: commandKey(command.trigger_id),
    });
    log.info({ outcome: out.kind, ...('actionId' in out ? { actionId: out.actionId } : {}) }, 'slack: /brag update');
    const text = describeQuickUpdate(out, SLACK_STYLE);
    if (out.kind === 'ambiguous') {
      // Refs repeat (York has two 34s): let the buttons say which one.
      const mine = await myActions(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id }, channel: 'slack', now: deps.clock() });
      const cards = mine.kind === 'list' ? mine.cards.filter((c) => out.actionIds.includes(c.actionId)) : [];
      const list = renderBragList(cards, mine.kind === 'list' ? mine.versions : new Map(), 0, text);
      await args.respond({ response_type: 'ephemeral', text: list.text, blocks: list.blocks });
      return;
    }
    if (out.kind === 'refused' || out.kind === 'invalid' || out.kind === 'no-such-ref') return say(text);
    await showBragList(deps, args.respond, person, 0, text);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.command(SLACK_COMMANDS.brag, async ({ ack, command, client, respond }) => {
    await handleBragCommand(deps, { ack, command, client, respond });
  });
}
