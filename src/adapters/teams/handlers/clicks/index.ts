/**
 * Card clicks, one handler per verb (one file each, as Slack's listeners are): `handleClick`
 * resolves who clicked and runs the verb's handler; a coded error becomes a card in the
 * person's own words, anything else is logged as a bug with an apology. Every verb must have a
 * handler: the record's type says so.
 */
import { isBragbotError } from '../../../../core/errors.js';
import { notAPerson, personCaller } from '../../../../services/access.js';
import type { StatusLine } from '../../cards/action.js';
import { renderNotice } from '../../cards/interactive.js';
import type { HandlerDeps } from '../../deps.js';
import { NOT_MAPPED } from '../../identity.js';
import type { Verb } from '../../ids.js';
import { acting, type Turn } from '../turn.js';
import * as back from './back.js';
import * as brag from './brag.js';
import { REFUSAL_HEADING, renderScope, type Click, type ClickContext, type ClickHandler, type ClickResult } from './click.js';
import * as details from './details.js';
import * as notMineAsk from './not-mine-ask.js';
import * as notMine from './not-mine.js';
import * as page from './page.js';
import * as progressOpen from './progress-open.js';
import * as progressSave from './progress-save.js';
import * as reportPublish from './report-publish.js';
import * as snooze from './snooze.js';

export { actionListCard, readClick, type Click, type ClickResult } from './click.js';

const MODULES = [brag, progressOpen, progressSave, back, snooze, notMineAsk, notMine, page, details, reportPublish] as const;

export const CLICK_HANDLERS: Record<Verb, ClickHandler> = Object.fromEntries(MODULES.map((m) => [m.verb, m.handle])) as Record<Verb, ClickHandler>;

export async function handleClick(deps: HandlerDeps, turn: Turn, click: Click): Promise<ClickResult> {
  const log = turn.log.child({ verb: click.verb, actionId: click.data.a });
  const who = await acting(deps, turn);
  if (!who?.person) {
    if (who?.external) {
      // Someone signed in to another organisation's tenant whom bragbot does not know (issue 15).
      const d = notAPerson({ kind: 'foreign', channel: 'teams' });
      log.warn({ refused: true, reason: 'foreign', code: d.code }, 'teams: click refused');
      return { card: renderNotice(REFUSAL_HEADING.FOREIGN, d.reason, 'attention'), outcome: 'refused' };
    }
    log.warn({ refused: true, reason: 'not-mapped' }, 'teams: click refused');
    return { card: renderNotice(REFUSAL_HEADING.NOT_KNOWN, NOT_MAPPED, 'attention'), outcome: 'refused' };
  }
  const person = who.person;
  const now = deps.clock();
  const c: ClickContext = {
    deps, turn, click, log, now,
    who: { ...who, person },
    caller: personCaller(person.id, 'teams'),
    rerender: (ctx = {}) => renderScope(deps, person, click, now, ctx),
  };
  try {
    return await CLICK_HANDLERS[click.verb](c);
  } catch (e) {
    // What the services throw rather than return (the report service, a button missing its data).
    if (isBragbotError(e)) {
      const refused = e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND';
      if (refused) log.warn({ refused: true, code: e.code, reason: e.message }, 'teams: click refused');
      else log.info({ code: e.code }, 'teams: click rejected');
      const notice: StatusLine = { text: `${refused ? '⛔' : '⚠️'} ${e.message} Nothing was changed.`, tone: refused ? 'attention' : 'warning' };
      const shown = click.scope ? await c.rerender({ notice }).catch(() => null) : null;
      const heading = e.code === 'FORBIDDEN' ? REFUSAL_HEADING.FORBIDDEN : e.code === 'NOT_FOUND' ? REFUSAL_HEADING.NOT_FOUND : REFUSAL_HEADING.INVALID;
      return { card: shown ?? renderNotice(heading, notice.text, notice.tone), outcome: refused ? 'refused' : 'rejected' };
    }
    log.error({ err: e }, 'teams: click failed');
    return { card: renderNotice('Sorry, that did not work', '⚠️ It has been logged; please try again in a minute.', 'warning'), outcome: 'failed' };
  }
}
