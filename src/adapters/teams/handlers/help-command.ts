/** `help`: what bragbot does and its commands (also the answer to "hi"). */
import type { App } from '@microsoft/teams.apps';
import { exampleGroupOf } from '../../../services/interactions/index.js';
import { renderHelp } from '../cards/interactive.js';
import type { HandlerDeps } from '../deps.js';
import { onCommand, runCommand, type CommandOutcome } from './command-runner.js';
import { isPersonal, type Turn } from './turn.js';

export async function handleHelp(deps: HandlerDeps, turn: Turn): Promise<CommandOutcome> {
  return runCommand(deps, turn, 'help', async (person) => {
    const example = person.id ? await exampleGroupOf(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id } }) : null;
    await turn.reply({ card: renderHelp(isPersonal(turn.activity) ? 'personal' : 'channel', undefined, example), summary: 'bragbot: what I do' });
  }, { needsPerson: false });
}

export function register(app: App, deps: HandlerDeps): void {
  onCommand(app, deps, 'help', (turn) => handleHelp(deps, turn));
}
