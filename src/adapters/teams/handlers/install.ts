/**
 * Installed for a person or in a team: a welcome that says what bragbot does. (The
 * conversation reference itself is stored by the reference middleware, for every activity.)
 * Teams sends both installationUpdate and conversationUpdate on install: only the latter,
 * when the bot is among the members added, says hello, once per activity.
 */
import type { App } from '@microsoft/teams.apps';
import { firstDelivery } from '../../../services/status-updates.js';
import { renderWelcome } from '../cards/interactive.js';
import type { HandlerDeps } from '../deps.js';
import { activityKey } from '../idempotency.js';
import { isPersonal, turnFromContext, type Turn } from './turn.js';

export async function handleMembersAdded(deps: HandlerDeps, turn: Turn): Promise<'welcomed' | 'ignored' | 'retry'> {
  const a = turn.activity;
  const botId = a.recipient?.id;
  if (!botId || !(a.membersAdded ?? []).some((m) => m.id === botId)) return 'ignored';
  if (a.id && !(await firstDelivery(deps.db, activityKey(a.id), 'teams', deps.clock()))) return 'retry';
  await turn.reply({ card: renderWelcome(isPersonal(a) ? 'personal' : 'channel'), summary: 'Hello from bragbot' });
  turn.log.info('teams: installed, welcome sent');
  return 'welcomed';
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('conversationUpdate', async (ctx) => {
    await handleMembersAdded(deps, turnFromContext(deps, ctx));
  });
}
