/**
 * The last message route: something addressed to the bot that is no command gets the help
 * card; anything else (channel chatter the RSC permission lets the bot see) gets nothing.
 */
import type { App } from '@microsoft/teams.apps';
import { exampleGroupOf } from '../../../services/interactions/index.js';
import { renderHelp } from '../cards/interactive.js';
import type { HandlerDeps } from '../deps.js';
import { addressed } from './commands.js';
import { runCommand, type CommandOutcome } from './command-runner.js';
import { isPersonal, turnFromContext, type Turn } from './turn.js';

export async function handleUnknown(deps: HandlerDeps, turn: Turn): Promise<CommandOutcome | 'ignored'> {
  const a = addressed(turn.activity);
  if (!a.addressed) return 'ignored';
  // An empty message (an attachment, a sticker): nothing to answer.
  if (a.text === '' && turn.activity.value === undefined) return 'ignored';
  return runCommand(deps, turn, 'unknown', async (person) => {
    const example = person.id ? await exampleGroupOf(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id } }) : null;
    await turn.reply({ card: renderHelp(isPersonal(turn.activity) ? 'personal' : 'channel', 'I did not catch that. Here is what I can do:', example), summary: 'bragbot: what I can do' });
  }, { needsPerson: false });
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('message', async (ctx) => {
    await handleUnknown(deps, turnFromContext(deps, ctx));
  });
}
