/**
 * A click on one of our cards, however it arrived (an Action.Execute invoke, or the
 * Action.Submit fallback as a message), as one verb handler sees it: the button's data, the
 * card's inputs and scope, who clicked, and how to re-render the card it came from. The
 * interactions service decides what the click means; a handler translates and renders.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { OutboundMessage } from '../../../../core/chat.js';
import { BragbotError } from '../../../../core/errors.js';
import type { Caller, DenialCode } from '../../../../services/access.js';
import { describeRefusal, myActions, visibleActions, type Refused, type ShownAction } from '../../../../services/interactions/index.js';
import type { Logger } from '../../../../logging.js';
import { actionItem, statusBlock, type StatusLine } from '../../cards/action.js';
import { card, heading, type Element } from '../../cards/elements.js';
import { LIST_PAGE_SIZE, renderActionList, renderNotice } from '../../cards/interactive.js';
import { renderDigest, renderEscalation, renderNotMine, renderNudge, type RenderContext } from '../../cards/outbound.js';
import { TEAMS_STYLE } from '../../cards/style.js';
import type { HandlerDeps } from '../../deps.js';
import type { Person } from '../../identity.js';
import { CardData, CardScope, INPUTS, parseJsonWith, VERBS, type Verb } from '../../ids.js';
import type { Acting, Turn } from '../turn.js';

export interface Click {
  verb: Verb;
  data: CardData;
  /** The card's inputs (ids starting bb_), as strings. */
  inputs: Record<string, string>;
  scope: CardScope | null;
  /** The message holding the card (replyToId): stable for the card's life. */
  messageId: string;
}

export interface ClickResult {
  card: IAdaptiveCard;
  /** For logs and tests: recorded | duplicate | unchanged | stale | refused | shown | failed … */
  outcome: string;
}

/** Reads an invoke's / submit's data; null when it is not one of our buttons. */
export function readClick(verb: unknown, data: unknown, messageId: string): Click | null {
  if (!data || typeof data !== 'object') return null;
  const parsed = CardData.safeParse(data);
  if (!parsed.success) return null;
  const v = typeof verb === 'string' && verb !== '' ? verb : parsed.data.verb;
  if (!(Object.values(VERBS) as string[]).includes(v ?? '')) return null;
  const inputs: Record<string, string> = {};
  for (const [k, val] of Object.entries(data as Record<string, unknown>)) if (k.startsWith('bb_') && typeof val === 'string') inputs[k] = val;
  return { verb: v as Verb, data: parsed.data, inputs, scope: parseJsonWith(CardScope, inputs[INPUTS.scope]), messageId };
}

type Render = Omit<RenderContext, 'versions' | 'canChange'> & {
  /** The action as a recorded BRAG click left it (what its one statement returned): a card about that action alone is drawn from it. */
  shown?: ShownAction | undefined;
};

/** What a verb handler gets. */
export interface ClickContext {
  deps: HandlerDeps;
  turn: Turn;
  click: Click;
  who: Acting & { person: Person };
  caller: Caller;
  log: Logger;
  now: Date;
  /** The card the click came from, re-rendered for this person (fresh state, fresh versions). */
  rerender(ctx?: Render): Promise<IAdaptiveCard>;
}

export type ClickHandler = (c: ClickContext) => Promise<ClickResult>;

export const need = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new BragbotError('INPUT_INVALID', `This button is missing its ${what} (the card may be from an older version of bragbot). Type **my actions** for a fresh list.`);
  return v;
};

/** A card's heading for a refusal: what kind of no it is (a missing action is not "not allowed"). */
export const REFUSAL_HEADING: Record<DenialCode | 'INVALID', string> = {
  NOT_KNOWN: 'bragbot does not know you yet',
  FOREIGN: 'Another organisation',
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Not allowed',
  INVALID: 'Not changed',
};

/**
 * A refusal from the interactions service: logged, and shown on the card it came from (the
 * card stays, with the refusal as its notice), or as a notice card when there is none.
 */
export async function refusedCard(c: Pick<ClickContext, 'log' | 'click' | 'rerender'>, out: Refused, write: boolean): Promise<ClickResult> {
  c.log.warn({ refused: true, code: out.code, reason: out.reason }, 'teams: click refused');
  const notice: StatusLine = { text: describeRefusal(out, TEAMS_STYLE, write), tone: 'attention' };
  const shown = c.click.scope ? await c.rerender({ notice }).catch(() => null) : null;
  return { card: shown ?? renderNotice(REFUSAL_HEADING[out.code], notice.text, notice.tone), outcome: 'refused' };
}

/** "my actions", a page of the person's open actions. */
export async function actionListCard(deps: HandlerDeps, person: Person, now: Date, page: number, ctx: Render = {}): Promise<IAdaptiveCard> {
  const mine = await myActions(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id }, channel: 'teams', now });
  if (mine.kind === 'refused') return renderNotice(REFUSAL_HEADING[mine.code], describeRefusal(mine, TEAMS_STYLE, false), 'attention');
  const all = mine.cards;
  const pages = Math.max(1, Math.ceil(all.length / LIST_PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const shown = all.slice(p * LIST_PAGE_SIZE, (p + 1) * LIST_PAGE_SIZE);
  return renderActionList(shown, p, all, { ...ctx, versions: mine.versions, canChange: (id) => mine.changeable.has(id) });
}

/**
 * The card the click came from, re-rendered for this person from its scope: fresh state,
 * fresh versions on the buttons, and buttons only on what they may change.
 */
export async function renderScope(deps: HandlerDeps, person: Person, click: Click, now: Date, ctx: Render): Promise<IAdaptiveCard> {
  const scope = click.scope;
  const ids = scope ? scope.ids : click.data.a ? [click.data.a] : [];
  // A card about the one action a BRAG click just changed needs nothing read again (issue 16: a
  // click in ≤ 4 statements): the click's statement returned the action and its version, and it
  // changed it, so the person may change it. A list (the person's open actions) is read afresh.
  const shown = ctx.shown && scope?.k !== 'list' && ids.length === 1 && ids[0] === ctx.shown.card.actionId ? ctx.shown : undefined;
  const { cards, versions, changeable } = shown
    ? { cards: [shown.card], versions: new Map([[shown.card.actionId, shown.version]]), changeable: new Set([shown.card.actionId]) }
    : await visibleActions(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id }, channel: 'teams', now, ids });
  const full: RenderContext = { statuses: ctx.statuses, notice: ctx.notice, versions, canChange: (id) => changeable.has(id) };
  if (!scope) {
    const body: Element[] = [heading(cards.length === 1 ? 'Action' : 'Actions')];
    if (ctx.notice) body.push(statusBlock(ctx.notice));
    for (const c of cards) body.push(actionItem(c, { showGroup: true, status: ctx.statuses?.get(c.actionId), ...(changeable.has(c.actionId) ? { controls: { version: versions.get(c.actionId) } } : {}) }));
    return card(body);
  }
  switch (scope.k) {
    case 'nudge': {
      const m: Extract<OutboundMessage, { kind: 'nudge' }> = {
        kind: 'nudge',
        reasons: scope.r && scope.r.length ? scope.r : ['overdue'],
        recipientName: scope.n ?? person.name,
        actions: cards,
        meeting: scope.m ? { groupName: scope.m.g, date: scope.m.d } : undefined,
      };
      return renderNudge(m, full).card;
    }
    case 'list': {
      const mine = await myActions(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id }, channel: 'teams', now });
      return renderActionList(cards, scope.p ?? 0, mine.kind === 'list' ? mine.cards : cards, full);
    }
    case 'escalation':
      return renderEscalation({ kind: 'escalation', recipientName: scope.n, ownerName: scope.o, reason: scope.x, actions: cards }).card;
    case 'digest':
      return renderDigest({ kind: 'digest', recipientName: scope.n, periodLabel: scope.l, actions: cards }).card;
    case 'not-mine': {
      const a = cards[0];
      return a ? renderNotMine({ kind: 'not-mine', recipientName: scope.n, fromName: scope.f, action: a }).card : renderNotice('Not theirs', 'That action is no longer in the plan.');
    }
  }
}
