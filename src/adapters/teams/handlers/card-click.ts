/**
 * A click on one of our cards, however it arrived (an Action.Execute invoke, or the
 * Action.Submit fallback as a message): checked, recorded once, and answered with the whole
 * card re-rendered from the database, so it updates in place for the person who acted.
 * Refusals (not mapped, not allowed, not found) change nothing, say why on the card, and log
 * a line (who, what, why; never the text they typed). See ../idempotency.ts for the keys.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { BRAG_LABEL, isBrag, type Brag } from '../../../core/brag.js';
import type { OutboundMessage } from '../../../core/chat.js';
import { BragbotError, isBragbotError } from '../../../core/errors.js';
import { londonDate } from '../../../core/calendar.js';
import { actionState, getActionCard, listPersonActions, versionsOf } from '../../../services/actions.js';
import { authorizeActionChange, disclaim, latestUpdateOf, recentUpdatesOf, recordUpdate, snooze, updateByKey, type UpdateOutcome } from '../../../services/status-updates.js';
import { actionItem, statusBlock, type StatusLine } from '../cards/action.js';
import { card, heading, type Element } from '../cards/elements.js';
import { LIST_PAGE_SIZE, renderActionList, renderDetails, renderNotice, renderNotMineConfirm, renderProgressForm, type ProgressValues } from '../cards/interactive.js';
import { renderDigest, renderEscalation, renderNotMine, renderNudge, type RenderContext } from '../cards/outbound.js';
import { renderReportCard } from '../cards/report.js';
import { bragMd, londonDay, londonTime, md, ukSlashDate } from '../cards/text.js';
import { cardsByIds, changeableActionIds, groupChannelOf, viewableActionIds } from '../data.js';
import type { HandlerDeps } from '../deps.js';
import { NOT_MAPPED, type Person } from '../identity.js';
import { bragKey, notMineKey, progressKey } from '../idempotency.js';
import { CardData, CardScope, INPUTS, parseJsonWith, VERBS, versionOf, type Verb } from '../ids.js';
import { parseReference } from '../references.js';
import { acting, type Turn } from './turn.js';

export const SNOOZE_DAYS = 7;

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

const need = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new BragbotError('INPUT_INVALID', `This button is missing its ${what} (the card may be from an older version of bragbot). Type **my actions** for a fresh list.`);
  return v;
};

const opt = (s: string | undefined): string | undefined => (s !== undefined && s.trim() !== '' ? s : undefined);

export async function handleClick(deps: HandlerDeps, turn: Turn, click: Click): Promise<ClickResult> {
  const log = turn.log.child({ verb: click.verb, actionId: click.data.a });
  const who = await acting(deps, turn);
  if (!who?.person) {
    log.warn({ refused: true, reason: 'not-mapped' }, 'teams: click refused');
    return { card: renderNotice('bragbot does not know you yet', NOT_MAPPED, 'attention'), outcome: 'refused' };
  }
  const person = who.person;
  const now = deps.clock();
  const today = londonDate(now);
  const rerender = (ctx: Omit<RenderContext, 'versions' | 'canChange'> = {}) => renderScope(deps, person, click, today, ctx);
  try {
    switch (click.verb) {
      case VERBS.brag: {
        const actionId = need(click.data.a, 'action');
        const brag = need(click.data.b, 'status');
        // Checked on every click: the action must be in this workspace and the clicker allowed.
        await authorizeActionChange(deps.db, deps.workspaceId, actionId, person.id);
        const key = bragKey({ actionId, brag, version: click.data.v, userId: who.actor.userId, fallbackId: click.messageId });
        const prior = await updateByKey(deps.db, key);
        const state = await actionState(deps.db, deps.workspaceId, actionId);
        let status: StatusLine;
        let outcome: string;
        if (prior) {
          status = { text: `✅ Already recorded: ${bragMd(prior.toBrag as Brag)} by ${md(prior.actorName)} at ${londonTime(prior.at)}.`, tone: 'good' };
          outcome = 'duplicate';
        } else if (state && click.data.v !== undefined && versionOf(state.updatedAt) !== click.data.v && state.brag !== brag) {
          // A stale button: someone changed the action since this card was rendered.
          const last = await latestUpdateOf(deps.db, actionId);
          const by = last ? ` (by ${md(last.actorName)}, ${londonDay(last.at)} ${londonTime(last.at)})` : '';
          status = { text: `⚠️ This action changed since this card was sent${by}: it is now ${bragMd(state.brag as Brag)}. Nothing was recorded; click again if you still want ${BRAG_LABEL[brag]}.`, tone: 'warning' };
          outcome = 'stale';
        } else {
          const out = await recordUpdate(deps.db, { workspaceId: deps.workspaceId, actionId, personId: person.id, channel: 'teams', brag, idempotencyKey: key, now });
          status = describeBrag(out, person, now);
          outcome = out.status;
        }
        log.info({ brag, outcome }, 'teams: status click');
        return { card: await rerender({ statuses: new Map([[actionId, status]]) }), outcome };
      }
      case VERBS.progressOpen: {
        const actionId = need(click.data.a, 'action');
        await authorizeActionChange(deps.db, deps.workspaceId, actionId, person.id);
        return { card: await progressForm(deps, actionId, today, click.scope), outcome: 'shown' };
      }
      case VERBS.progressSave: {
        const actionId = need(click.data.a, 'action');
        const values: ProgressValues & { revised?: string | undefined } = {
          status: opt(click.inputs[INPUTS.status]),
          progress: opt(click.inputs[INPUTS.progress]),
          evidence: opt(click.inputs[INPUTS.evidence]),
          note: opt(click.inputs[INPUTS.note]),
          revised: opt(click.inputs[INPUTS.revisedDue]),
        };
        const brag = isBrag(values.status) && values.status !== 'unrated' ? values.status : undefined;
        // Input.Date answers YYYY-MM-DD; the recorded raw date is written UK-style, as plans write it.
        const revisedDue = values.revised ? ukSlashDate(values.revised) ?? values.revised : undefined;
        const key = progressKey({ actionId, version: click.data.v, userId: who.actor.userId, form: { ...values }, fallbackId: click.messageId });
        let out: UpdateOutcome;
        try {
          out = await recordUpdate(deps.db, {
            workspaceId: deps.workspaceId, actionId, personId: person.id, channel: 'teams',
            brag, progress: values.progress, evidence: values.evidence, revisedDue, note: values.note, idempotencyKey: key, now,
          });
        } catch (e) {
          if (isBragbotError(e) && e.code === 'INPUT_INVALID') {
            log.info({ code: e.code }, 'teams: progress form rejected');
            return { card: await progressForm(deps, actionId, today, click.scope, { text: `⚠️ ${e.message}`, tone: 'warning' }, values), outcome: 'invalid' };
          }
          throw e;
        }
        log.info({ outcome: out.status }, 'teams: progress saved');
        const status: StatusLine = out.status === 'unchanged'
          ? { text: `Nothing changed: it is still ${bragMd(out.brag)} and the form matched what was recorded.` }
          : { text: `✅ Recorded ${describeForm(out.toBrag, values, revisedDue)} by ${md(person.name)} at ${londonTime(now)}.`, tone: 'good' };
        return { card: await rerender({ statuses: new Map([[actionId, status]]) }), outcome: out.status };
      }
      case VERBS.back:
        return { card: await rerender(), outcome: 'shown' };
      case VERBS.snooze: {
        const actionId = need(click.data.a, 'action');
        // An upsert of "until": a repeated click moves nothing that matters, so no key is needed.
        const until = new Date(now.getTime() + SNOOZE_DAYS * 86_400_000);
        await snooze(deps.db, deps.workspaceId, actionId, person.id, until, now);
        log.info('teams: snoozed');
        return { card: await rerender({ statuses: new Map([[actionId, { text: `💤 Snoozed until ${londonDay(until)}: no reminders to you about this until then.` }]]) }), outcome: 'snoozed' };
      }
      case VERBS.notMineAsk: {
        const actionId = need(click.data.a, 'action');
        const permission = await authorizeActionChange(deps.db, deps.workspaceId, actionId, person.id);
        if (permission !== 'owner') throw new BragbotError('INPUT_INVALID', 'You are not an owner of this action, so there is nothing to hand back.');
        const a = await getActionCard(deps.db, deps.workspaceId, actionId, today);
        if (!a) throw new BragbotError('NOT_FOUND', 'That action is not in your workspace’s plans (it may have been removed).');
        return { card: renderNotMineConfirm(a, click.scope), outcome: 'shown' };
      }
      case VERBS.notMine: {
        const actionId = need(click.data.a, 'action');
        const key = notMineKey({ actionId, userId: who.actor.userId, messageId: click.messageId });
        // disclaim authorizes (workspace, owner) and records a 'not-mine' update under the key.
        const out = await disclaim(deps.db, { workspaceId: deps.workspaceId, actionId, personId: person.id, channel: 'teams', idempotencyKey: key, now });
        log.info({ outcome: out.status }, 'teams: not mine');
        const status: StatusLine = { text: '↩️ You are no longer an owner of this action; the group’s chair will be told so they can find the right person.' };
        return { card: await rerender({ statuses: new Map([[actionId, status]]) }), outcome: out.status };
      }
      case VERBS.page: {
        const page = click.data.p ?? 0;
        return { card: await actionListCard(deps, person, today, page), outcome: 'shown' };
      }
      case VERBS.details: {
        const actionId = need(click.data.a, 'action');
        const visible = await viewableActionIds(deps.db, deps.workspaceId, person.id, [actionId]);
        if (!visible.has(actionId)) throw new BragbotError('FORBIDDEN', 'Only the action’s owners, members of its group and their managers can see its details.');
        const a = await getActionCard(deps.db, deps.workspaceId, actionId, today);
        const state = await actionState(deps.db, deps.workspaceId, actionId);
        if (!a || !state) throw new BragbotError('NOT_FOUND', 'That action is not in your workspace’s plans (it may have been removed).');
        const updates = await recentUpdatesOf(deps.db, actionId, 8);
        return { card: renderDetails({ ...a, evidence: state.evidence }, updates, click.scope), outcome: 'shown' };
      }
      case VERBS.reportPublish: {
        const reportId = need(click.data.r, 'report');
        const groupSlug = need(click.data.g, 'group');
        const preview = await deps.reports.publish({ workspaceId: deps.workspaceId, reportId, groupSlug, by: person.name, byPersonId: person.id, now });
        log.info({ reportId, version: preview.version }, 'teams: report published');
        const posted = await postToGroupChannel(deps, groupSlug, renderReportCard(preview, { published: true }), `Highlight report: ${groupSlug}`);
        const where = posted ? ' and posted to the group’s channel' : '';
        return { card: renderReportCard(preview, { published: true, status: { text: `✅ Published by ${md(person.name)} at ${londonTime(now)}${where}.`, tone: 'good' } }), outcome: 'published' };
      }
    }
  } catch (e) {
    if (isBragbotError(e)) {
      const refused = e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND';
      if (refused) log.warn({ refused: true, code: e.code, reason: e.message }, 'teams: click refused');
      else log.info({ code: e.code }, 'teams: click rejected');
      const notice: StatusLine = { text: `${refused ? '⛔' : '⚠️'} ${e.message} Nothing was changed.`, tone: refused ? 'attention' : 'warning' };
      const c = click.scope ? await rerender({ notice }).catch(() => null) : null;
      return { card: c ?? renderNotice(refused ? 'Not allowed' : 'Not changed', notice.text, notice.tone), outcome: refused ? 'refused' : 'rejected' };
    }
    log.error({ err: e }, 'teams: click failed');
    return { card: renderNotice('Sorry, that did not work', '⚠️ It has been logged; please try again in a minute.', 'warning'), outcome: 'failed' };
  }
}

function describeBrag(out: UpdateOutcome, person: Person, now: Date): StatusLine {
  if (out.status === 'unchanged') return { text: `It is already ${bragMd(out.brag)}: nothing to change.` };
  if (out.status === 'duplicate') return { text: `✅ Already recorded: ${bragMd(out.toBrag)}.`, tone: 'good' };
  return { text: `✅ Recorded ${bragMd(out.toBrag)}${out.fromBrag !== out.toBrag ? ` (was ${BRAG_LABEL[out.fromBrag]})` : ''} by ${md(person.name)} at ${londonTime(now)}.`, tone: 'good' };
}

function describeForm(brag: Brag, v: ProgressValues, revisedDue: string | undefined): string {
  const parts = [`status ${bragMd(brag)}`];
  if (v.progress) parts.push('where we are now');
  if (v.evidence) parts.push('evidence');
  if (revisedDue) parts.push(`revised date ${md(revisedDue)}`);
  if (v.note) parts.push('a note');
  return parts.join(', ');
}

async function progressForm(deps: HandlerDeps, actionId: string, today: string, scope: CardScope | null, notice?: StatusLine, values?: ProgressValues): Promise<IAdaptiveCard> {
  const a = await getActionCard(deps.db, deps.workspaceId, actionId, today);
  const state = await actionState(deps.db, deps.workspaceId, actionId);
  if (!a || !state) throw new BragbotError('NOT_FOUND', 'That action is not in your workspace’s plans (it may have been removed).');
  return renderProgressForm({ ...a, evidence: state.evidence }, versionOf(state.updatedAt), scope, notice, values);
}

/** "my actions", a page of the person's open actions. */
export async function actionListCard(deps: HandlerDeps, person: Person, today: string, page: number, ctx: Omit<RenderContext, 'versions' | 'canChange'> = {}): Promise<IAdaptiveCard> {
  const all = await listPersonActions(deps.db, deps.workspaceId, person.id, today);
  const pages = Math.max(1, Math.ceil(all.length / LIST_PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const shown = all.slice(p * LIST_PAGE_SIZE, (p + 1) * LIST_PAGE_SIZE);
  const ids = shown.map((c) => c.actionId);
  const versions = await versionsOf(deps.db, deps.workspaceId, ids);
  const changeable = await changeableActionIds(deps.db, deps.workspaceId, person.id, ids);
  return renderActionList(shown, p, all, { ...ctx, versions, canChange: (id) => changeable.has(id) });
}

/**
 * The card the click came from, re-rendered for this person from its scope: fresh state,
 * fresh versions on the buttons, and buttons only on what they may change.
 */
async function renderScope(deps: HandlerDeps, person: Person, click: Click, today: string, ctx: Omit<RenderContext, 'versions' | 'canChange'>): Promise<IAdaptiveCard> {
  const scope = click.scope;
  const ids = scope ? scope.ids : click.data.a ? [click.data.a] : [];
  const visible = await viewableActionIds(deps.db, deps.workspaceId, person.id, ids);
  const cards = await cardsByIds(deps.db, deps.workspaceId, ids.filter((id) => visible.has(id)), today);
  const shownIds = cards.map((c) => c.actionId);
  const versions = await versionsOf(deps.db, deps.workspaceId, shownIds);
  const changeable = await changeableActionIds(deps.db, deps.workspaceId, person.id, shownIds);
  const full: RenderContext = { ...ctx, versions, canChange: (id) => changeable.has(id) };
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
      const all = await listPersonActions(deps.db, deps.workspaceId, person.id, today);
      return renderActionList(cards, scope.p ?? 0, all, full);
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

/** Posts a card to the group's Teams channel, if it has one; false when it has none. */
async function postToGroupChannel(deps: HandlerDeps, groupSlug: string, c: IAdaptiveCard, summary: string): Promise<boolean> {
  const group = await deps.db.group.findUnique({ where: { workspaceId_slug: { workspaceId: deps.workspaceId, slug: groupSlug } }, select: { id: true } });
  if (!group) return false;
  const channel = await groupChannelOf(deps.db, group.id);
  if (!channel) return false;
  const ref = await deps.db.conversationRef.findUnique({ where: { platform_conversationId: { platform: 'teams', conversationId: channel.conversationId } } });
  const stored = parseReference(ref?.referenceJson);
  await deps.connector.post(
    { serviceUrl: channel.serviceUrl ?? stored.serviceUrl ?? deps.defaultServiceUrl, conversationId: channel.conversationId, ...(stored.bot ? { bot: stored.bot } : {}) },
    { card: c, summary },
  );
  return true;
}
