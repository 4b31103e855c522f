/** `help`: what bragbot does and its commands (also the answer to "hi"). */
import type { App } from '@microsoft/teams.apps';
import { renderHelp } from '../cards/interactive.js';
import type { HandlerDeps } from '../deps.js';
import { addressed } from './commands.js';
import { runCommand, type CommandOutcome } from './command-runner.js';
import { isPersonal, turnFromContext, type Turn } from './turn.js';

export async function handleHelp(deps: HandlerDeps, turn: Turn): Promise<CommandOutcome> {
  return runCommand(deps, turn, 'help', async () => {
    await turn.reply({ card: renderHelp(isPersonal(turn.activity) ? 'personal' : 'channel'), summary: 'bragbot: what I do' });
  }, { needsPerson: false });
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('message', async (ctx) => {
    const turn = turnFromContext(deps, ctx);
    const a = addressed(turn.activity);
    if (!a.addressed || a.command?.name !== 'help') {
      await ctx.next();
      return;
    }
    await handleHelp(deps, turn);
  });
}
