/**
 * Teams' side of the inbox (src/services/inbox): a click that changes something (BRAG, Snooze,
 * Hand it back) is written to the inbox, worked, and answered with the refreshed card — Teams
 * waits for that answer, so here the inbox's part is the crash: a click written but not finished
 * (the process died, the database failed) is finished by whichever process next sweeps the inbox,
 * and the card the person clicked is updated in place through the Bot Connector (else a new card
 * in the conversation) to say what became of it.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { Logger } from '../../../../logging.js';
import { Inbox, type InboxKind, type InboxResult, type StoredInteraction, type Teller } from '../../../../services/inbox/index.js';
import { describeBragClick, describeHandBack, describeSnooze, type BragClickOutcome, type ShownAction } from '../../../../services/interactions/index.js';
import type { StatusLine } from '../../cards/action.js';
import { renderNotice } from '../../cards/interactive.js';
import { TEAMS_STYLE } from '../../cards/style.js';
import type { ConversationTarget } from '../../connector.js';
import type { HandlerDeps } from '../../deps.js';
import type { Person } from '../../identity.js';
import { CardData, CardScope, INPUTS, parseJsonWith, type Verb } from '../../ids.js';
import { REFUSAL_HEADING, refusedCard, renderScope, type Click, type ClickContext, type ClickResult } from './click.js';

/** What a later process needs to redraw the card the person clicked (stored with the click). */
export interface TeamsReply {
  serviceUrl: string;
  conversationId: string;
  bot?: { id: string; name?: string | undefined } | undefined;
  click: { verb: Verb; data: CardData; inputs: Record<string, string>; messageId: string };
}

interface TeamsLive {
  answer(result: InboxResult): Promise<void>;
}

const BUSY: ClickResult = { card: renderNotice('bragbot is busy', '⏳ bragbot is busy right now, so that click was not recorded. Please try again in a moment.', 'warning'), outcome: 'busy' };
const NOT_WRITTEN: ClickResult = { card: renderNotice('Sorry, that did not work', '⚠️ bragbot could not take that click (its database did not answer), so nothing was recorded. Please try again in a minute.', 'warning'), outcome: 'failed' };
const LATER: ClickResult = { card: renderNotice('Not saved yet', '⏳ bragbot could not save that just now. It will try again by itself and update this card when it has.', 'warning'), outcome: 'retrying' };
const FAILED_TEXT = '⚠️ Sorry, that did not work. It has been logged; please try again in a minute.';

const TONE: Partial<Record<BragClickOutcome['kind'], StatusLine['tone']>> = { recorded: 'good', duplicate: 'good', stale: 'warning' };

/** The card for an outcome, drawn as the click's own handler draws it. */
export async function resultCard(c: Pick<ClickContext, 'log' | 'click' | 'rerender'>, actionId: string, result: InboxResult): Promise<ClickResult> {
  const status = (line: StatusLine, outcome: string, shown?: ShownAction) => c.rerender({ statuses: new Map([[actionId, line]]), shown }).then((card: IAdaptiveCard) => ({ card, outcome }));
  switch (result.kind) {
    case 'brag': {
      const out = result.outcome;
      if (out.kind === 'refused') return refusedCard(c, out, true);
      c.log.info({ brag: out.kind === 'recorded' || out.kind === 'duplicate' ? out.toBrag : undefined, outcome: out.kind }, 'teams: status click');
      return status({ text: describeBragClick(out, TEAMS_STYLE), tone: TONE[out.kind] }, out.kind, out.kind === 'recorded' ? out.shown : undefined);
    }
    case 'snooze': {
      const out = result.outcome;
      if (out.kind === 'refused') return refusedCard(c, out, true);
      c.log.info('teams: snoozed');
      return status({ text: describeSnooze(out, TEAMS_STYLE) }, 'snoozed');
    }
    case 'not-mine': {
      const out = result.outcome;
      if (out.kind === 'refused') return refusedCard(c, out, true);
      c.log.info({ outcome: out.kind }, 'teams: not mine');
      return status({ text: describeHandBack(out, TEAMS_STYLE) }, out.kind);
    }
    case 'rejected': {
      const refused = result.code === 'FORBIDDEN' || result.code === 'NOT_FOUND';
      const notice: StatusLine = { text: `${refused ? '⛔' : '⚠️'} ${result.message} Nothing was changed.`, tone: refused ? 'attention' : 'warning' };
      const shown = c.click.scope ? await c.rerender({ notice }).catch(() => null) : null;
      const heading = result.code === 'FORBIDDEN' ? REFUSAL_HEADING.FORBIDDEN : result.code === 'NOT_FOUND' ? REFUSAL_HEADING.NOT_FOUND : REFUSAL_HEADING.INVALID;
      return { card: shown ?? renderNotice(heading, notice.text, notice.tone), outcome: refused ? 'refused' : 'rejected' };
    }
    case 'failed':
      return { card: renderNotice('Sorry, that did not work', FAILED_TEXT, 'warning'), outcome: 'failed' };
  }
}

const own = new WeakMap<HandlerDeps, Inbox>();
/** The inbox of these deps (startTeams gives one; handlers run as plain functions get their own). */
export function inboxOf(deps: HandlerDeps): Inbox {
  if (deps.inbox) return deps.inbox;
  let inbox = own.get(deps);
  if (!inbox) {
    inbox = new Inbox({ db: deps.db, clock: deps.clock, logger: deps.logger, instanceId: 'teams-handlers', sweepMs: 0 });
    inbox.register('teams', teamsTeller(deps));
    own.set(deps, inbox);
  }
  return inbox;
}

/**
 * A click through the inbox: written, worked, answered with its card. Turned away as busy when
 * the queue is full; answered "not saved yet" when the database failed (the inbox retries it
 * and updates the card later).
 */
export async function inboxed(c: ClickContext, k: { kind: InboxKind; key: string; actionId: string; input: Record<string, unknown> }): Promise<ClickResult> {
  const inbox = inboxOf(c.deps);
  if (!inbox.hasRoom()) {
    c.log.warn({ depth: inbox.depth(), busy: true }, 'teams: busy: click turned away');
    return BUSY;
  }
  const activity = c.turn.activity;
  const reply: TeamsReply = {
    serviceUrl: activity.serviceUrl ?? c.deps.defaultServiceUrl,
    conversationId: activity.conversation?.id ?? '',
    ...(activity.recipient?.id ? { bot: { id: activity.recipient.id, name: activity.recipient.name } } : {}),
    click: { verb: c.click.verb, data: c.click.data, inputs: c.click.inputs, messageId: c.click.messageId },
  };
  let received;
  try {
    received = await inbox.receive<TeamsReply>({ key: k.key, platform: 'teams', kind: k.kind, workspaceId: c.deps.workspaceId, who: { personId: c.who.person.id }, input: k.input, reply, receivedAt: c.now });
  } catch (e) {
    c.log.error({ err: e }, 'teams: could not write the click to the inbox');
    return NOT_WRITTEN;
  }
  let answer: ClickResult | undefined;
  const live: TeamsLive = {
    answer: async (result) => {
      try {
        answer = await resultCard(c, k.actionId, result);
      } catch (e) {
        // Decided (and recorded) already: say that drawing it failed, not that nothing happened.
        c.log.error({ err: e }, 'teams: click failed');
        answer = { card: renderNotice('Sorry, that did not work', FAILED_TEXT, 'warning'), outcome: 'failed' };
      }
    },
  };
  await inbox.work(received.item, live, { owned: received.status === 'new' });
  return answer ?? LATER;
}

/**
 * Tells a person what became of their click: the live request answers with the card; a click
 * finished later redraws the card they clicked (Bot Connector update), else posts a new one.
 */
export function teamsTeller(deps: HandlerDeps): Teller {
  return async (item: StoredInteraction, result, liveArg) => {
    const live = liveArg as TeamsLive | undefined;
    if (live) return live.answer(result);
    const reply = item.reply as TeamsReply;
    const log: Logger = deps.logger.child({ teams: { kind: 'inbox', key: item.key } });
    const person = item.personId ? await deps.db.person.findUnique({ where: { id: item.personId }, select: { id: true, name: true, team: true, isAdmin: true } }) : null;
    const data = CardData.safeParse(reply.click.data);
    const click = { ...reply.click, data: data.success ? data.data : {}, scope: parseJsonWith(CardScope, reply.click.inputs[INPUTS.scope]) } as Click;
    const now = deps.clock();
    const rerender = (ctx = {}) => (person ? renderScope(deps, person as Person, click, now, ctx) : Promise.resolve(renderNotice('Your click', FAILED_TEXT, 'warning')));
    const actionId = typeof item.input.actionId === 'string' ? item.input.actionId : '';
    const { card } = await resultCard({ log, click, rerender }, actionId, result);
    const to: ConversationTarget = { serviceUrl: reply.serviceUrl, conversationId: reply.conversationId, bot: reply.bot };
    try {
      await deps.connector.update(to, reply.click.messageId, { card, summary: 'What became of your click' });
    } catch (e) {
      log.warn({ err: e }, 'teams: could not update the clicked card; posting the outcome instead');
      await deps.connector.post(to, { card, summary: 'What became of your click' });
    }
  };
}
