/**
 * What every command shares: its route (a message addressed to the bot with that command),
 * processed once per activity (a redelivered activity repeats its id), the sender resolved to
 * a person, and errors turned into a card in their own words (a BragbotError) or a logged bug
 * with an apology (anything else).
 */
import type { App } from '@microsoft/teams.apps';
import { isBragbotError } from '../../../core/errors.js';
import { firstDelivery, forgetDelivery } from '../../../services/status-updates.js';
import { statusBlock } from '../cards/action.js';
import { card, heading } from '../cards/elements.js';
import { renderNotice } from '../cards/interactive.js';
import type { HandlerDeps } from '../deps.js';
import { NOT_MAPPED, type Person } from '../identity.js';
import { activityKey } from '../idempotency.js';
import { addressed, type CommandName } from './commands.js';
import { acting, turnFromContext, type Turn } from './turn.js';

export type CommandOutcome = 'answered' | 'retry' | 'refused' | 'rejected' | 'failed';

export async function runCommand(
  deps: HandlerDeps,
  turn: Turn,
  name: string,
  work: (person: Person) => Promise<void>,
  opts: { needsPerson?: boolean } = {},
): Promise<CommandOutcome> {
  const log = turn.log.child({ command: name });
  const key = turn.activity.id ? activityKey(turn.activity.id) : undefined;
  if (key && !(await firstDelivery(deps.db, key, 'teams', deps.clock()))) {
    log.debug('teams: command already answered (redelivery)');
    return 'retry';
  }
  try {
    const who = await acting(deps, turn);
    if (!who?.person && opts.needsPerson !== false) {
      log.warn({ refused: true, reason: 'not-mapped' }, 'teams: command refused');
      await turn.reply({ card: renderNotice('bragbot does not know you yet', NOT_MAPPED, 'attention'), summary: 'bragbot does not know you yet' });
      return 'refused';
    }
    await work(who?.person ?? { id: '', name: who?.actor.displayName ?? 'there', team: null, isAdmin: false });
    log.info('teams: command answered');
    return 'answered';
  } catch (e) {
    if (isBragbotError(e)) {
      const refused = e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND';
      if (refused) log.warn({ refused: true, code: e.code, reason: e.message }, 'teams: command refused');
      else log.info({ code: e.code }, 'teams: command rejected');
      // A missing group or report is "not found", not "not allowed" (issue 10 pt 11).
      const title = e.code === 'FORBIDDEN' ? 'Not allowed' : e.code === 'NOT_FOUND' ? 'Not found' : 'Not done';
      await turn.reply({ card: card([heading(title), statusBlock({ text: `${refused ? '⛔' : '⚠️'} ${e.message}`, tone: refused ? 'attention' : 'warning' })]), summary: e.message });
      return refused ? 'refused' : 'rejected';
    }
    log.error({ err: e }, 'teams: command failed');
    // Let a redelivery try again: nothing was done.
    if (key) await forgetDelivery(deps.db, key).catch(() => undefined);
    await turn.reply({ card: renderNotice('Sorry, that did not work', '⚠️ It has been logged; please try again in a minute.', 'warning') }).catch(() => undefined);
    return 'failed';
  }
}

/** Registers `handle` for messages addressed to the bot with this command; every other message passes on (ctx.next). */
export function onCommand(app: App, deps: HandlerDeps, name: CommandName, handle: (turn: Turn, args: string) => Promise<CommandOutcome>): void {
  app.on('message', async (ctx) => {
    const turn = turnFromContext(deps, ctx);
    const a = addressed(turn.activity);
    if (!a.addressed || a.command?.name !== name) {
      await ctx.next();
      return;
    }
    await handle(turn, a.command.args);
  });
}
