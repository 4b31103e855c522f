/** `my actions`: the person's open actions with the same buttons as a nudge, a page at a time. */
import type { App } from '@microsoft/teams.apps';
import type { HandlerDeps } from '../deps.js';
import { actionListCard } from './clicks/index.js';
import { onCommand, runCommand, type CommandOutcome } from './command-runner.js';
import type { Turn } from './turn.js';

export async function handleMyActions(deps: HandlerDeps, turn: Turn): Promise<CommandOutcome> {
  return runCommand(deps, turn, 'my-actions', async (person) => {
    const c = await actionListCard(deps, person, deps.clock(), 0);
    await turn.reply({ card: c, summary: 'Your open actions' });
  });
}

export function register(app: App, deps: HandlerDeps): void {
  onCommand(app, deps, 'my-actions', (turn) => handleMyActions(deps, turn));
}
