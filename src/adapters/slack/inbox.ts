/**
 * Slack's side of the inbox (src/services/inbox): a click that changes something (BRAG, Snooze,
 * Not mine) is written to the inbox BEFORE Slack is acknowledged — Slack never resends an
 * interaction it was told we received — then worked, and its outcome shown where the person
 * clicked. If this process dies in between, another one works it and tells the person later:
 * the message updated in place (chat.update), else an ephemeral note through response_url while
 * that still works (30 minutes), else a direct message.
 *
 * When the inbox's queue is full, a click is acknowledged and turned away with "busy, try again
 * in a moment": nothing is recorded and the person knows it.
 */
import type { WebClient } from '@slack/web-api';
import { londonTime } from '../../core/text.js';
import type { Logger } from '../../logging.js';
import type { Inbox, InboxKind, InboxResult, StoredInteraction, Teller, Who } from '../../services/inbox/index.js';
import { describeBragClick, describeHandBack, describeSnooze } from '../../services/interactions/index.js';
import { accountOrg, personOf, refuse, type Ephemeral } from './actor.js';
import { notAPerson } from '../../services/access.js';
import type { HandlerDeps } from './deps.js';
import { userTeamOf, type ButtonArgs } from './listeners/common.js';
import { postToResponseUrl, showOutcome, sourceOf, type SourceMessage } from './message-update.js';
import { SLACK_STYLE } from './render/style.js';

/** What a later process needs to tell the person (stored with the click). */
export interface SlackReply {
  user: string;
  channel?: string | undefined;
  ts?: string | undefined;
  ephemeral: boolean;
  responseUrl?: string | undefined;
  page?: number | undefined;
  /** A partner's account (Slack Connect): no direct message can reach it from this workspace. */
  external?: boolean | undefined;
}

/** What the receiving request still holds when it works its own click. */
interface SlackLive {
  say: Ephemeral;
  client: WebClient;
  source: SourceMessage;
  log: Logger;
}

export const BUSY = ':hourglass_flowing_sand: bragbot is busy right now, so that click was not recorded. Please try again in a moment.';
export const NOT_WRITTEN = ':warning: Sorry, bragbot could not take that click (its database did not answer), so nothing was recorded. Please try again in a minute.';
const FAILED = ':warning: Sorry, that did not work. It has been logged; please try again in a minute.';

/** Slack accepts a response_url for 30 minutes; a little less, to be sure. */
const RESPONSE_URL_MS = 29 * 60_000;

export interface InboxedClick {
  log: Logger;
  say: Ephemeral;
  page?: number | undefined;
  key: string;
  kind: InboxKind;
  input: Record<string, unknown>;
}

/**
 * Takes a click: written to the inbox, then acknowledged, then worked (this resolves when the
 * person has been told). Turned away as busy when the queue is full.
 */
export async function receiveClick(deps: HandlerDeps, args: ButtonArgs, c: InboxedClick): Promise<void> {
  const inbox = inboxOf(deps);
  const { body } = args;
  if (!inbox.hasRoom()) {
    await args.ack();
    c.log.warn({ depth: inbox.depth(), busy: true }, 'slack: busy: click turned away');
    await c.say(BUSY).catch(() => undefined);
    return;
  }
  const source = sourceOf(body, c.page);
  // A Slack Connect clicker from a partner's workspace is resolved here, by (workspace, user id):
  // someone of another workspace whom bragbot does not know is refused before anything is
  // written; our own people are resolved inside the inbox write, as before.
  const org = accountOrg(deps, userTeamOf(body));
  let who: Who = { account: { platform: 'slack', userId: body.user.id } };
  if (org !== null) {
    let partner: { id: string } | null;
    try {
      partner = await personOf(deps, body.user.id, org);
    } catch (e) {
      await args.ack();
      c.log.error({ err: e }, 'slack: could not resolve the clicker');
      await c.say(NOT_WRITTEN).catch(() => undefined);
      return;
    }
    if (!partner) {
      await args.ack();
      const d = notAPerson({ kind: 'foreign', channel: 'slack' });
      await refuse(c.log, c.say, d.reason, { code: d.code, userTeam: org });
      return;
    }
    who = { personId: partner.id };
  }
  let received;
  try {
    received = await inbox.receive<SlackReply>({
      key: c.key, platform: 'slack', kind: c.kind, workspaceId: deps.workspaceId,
      who,
      input: c.input,
      reply: { user: body.user.id, channel: source.channel, ts: source.ts, ephemeral: source.ephemeral, responseUrl: source.responseUrl, page: c.page, ...(org !== null ? { external: true } : {}) },
      receivedAt: deps.clock(),
    });
  } catch (e) {
    // Not written down, so not acknowledged as taken: the person is told now, while they wait.
    await args.ack();
    c.log.error({ err: e }, 'slack: could not write the click to the inbox');
    await c.say(NOT_WRITTEN).catch(() => undefined);
    return;
  }
  await args.ack();
  const live: SlackLive = { say: c.say, client: args.client, source, log: c.log };
  await inbox.work(received.item, live, { owned: received.status === 'new' });
}

function inboxOf(deps: HandlerDeps): Inbox {
  if (!deps.inbox) throw new Error('the Slack adapter was started without an inbox');
  return deps.inbox;
}

/** The sentence for an outcome, in Slack's markup; `refused`: said privately, not drawn on the message. */
function sentenceOf(r: InboxResult): { text: string; refused: boolean; mode: 'open' | 'closed'; code?: string } {
  switch (r.kind) {
    case 'brag':
      return { text: describeBragClick(r.outcome, SLACK_STYLE), refused: r.outcome.kind === 'refused', mode: 'open', ...(r.outcome.kind === 'refused' ? { code: r.outcome.code } : {}) };
    case 'snooze':
      return { text: describeSnooze(r.outcome, SLACK_STYLE), refused: r.outcome.kind === 'refused', mode: 'open', ...(r.outcome.kind === 'refused' ? { code: r.outcome.code } : {}) };
    case 'not-mine':
      return { text: describeHandBack(r.outcome, SLACK_STYLE), refused: r.outcome.kind === 'refused', mode: 'closed', ...(r.outcome.kind === 'refused' ? { code: r.outcome.code } : {}) };
    case 'rejected': {
      const refused = r.code === 'FORBIDDEN' || r.code === 'NOT_FOUND';
      return { text: `${refused ? ':no_entry:' : ':warning:'} ${r.message}`, refused: true, mode: 'open', code: r.code };
    }
    case 'failed':
      return { text: FAILED, refused: true, mode: 'open' };
  }
}

/**
 * Tells a person the outcome of their click: in place on the message (a nudge: chat.update of the
 * action's blocks; a /brag list: its response_url), else privately. With `live`, the request's own
 * ways; without (a click finished by a later process), what was stored with the click.
 */
export function slackTeller(deps: HandlerDeps, client: WebClient): Teller {
  return async (item, result, liveArg) => {
    const live = liveArg as SlackLive | undefined;
    const reply = item.reply as SlackReply;
    const log = live?.log ?? deps.logger.child({ slack: { kind: 'inbox', key: item.key, user: reply.user } });
    const s = sentenceOf(result);
    const later = live ? null : laterSay(deps, client, item, reply);
    const say = live?.say ?? ((text: string) => later!(text));
    const actionId = typeof item.input.actionId === 'string' ? item.input.actionId : '';
    if (s.refused || !item.personId) {
      log.warn({ actionId, refused: true, code: s.code ?? result.kind }, 'slack interaction refused');
      await say(s.text);
      return;
    }
    log.info({ actionId, kind: item.kind, outcome: result.kind === 'brag' || result.kind === 'snooze' || result.kind === 'not-mine' ? result.outcome.kind : result.kind, recovered: !live }, `slack: ${item.kind} click`);
    const shown = result.kind === 'brag' && result.outcome.kind === 'recorded' ? result.outcome.shown : undefined;
    const source = live?.source ?? storedSource(deps, item, reply);
    const drawn = await showOutcome(deps, live?.client ?? client, source, { actionId, personId: item.personId, status: s.text, mode: s.mode, shown });
    if (!drawn) await say(s.text);
  };
}

/** The message a stored click came from; its response_url only while Slack still takes it. */
function storedSource(deps: HandlerDeps, item: StoredInteraction, reply: SlackReply): SourceMessage {
  const fresh = deps.clock().getTime() - item.receivedAt.getTime() < RESPONSE_URL_MS;
  return { ephemeral: reply.ephemeral, channel: reply.channel, ts: reply.ts, responseUrl: fresh ? reply.responseUrl : undefined, page: reply.page };
}

/** Telling someone privately after the request is gone: response_url while it lasts, else a direct message. */
function laterSay(deps: HandlerDeps, client: WebClient, item: StoredInteraction, reply: SlackReply): Ephemeral {
  return async (text) => {
    const said = `${text} _(your click at ${londonTime(item.receivedAt)})_`;
    const fresh = deps.clock().getTime() - item.receivedAt.getTime() < RESPONSE_URL_MS;
    if (fresh && reply.responseUrl) {
      try {
        await postToResponseUrl(reply.responseUrl, { response_type: 'ephemeral', replace_original: false, text: said });
        return;
      } catch {
        // Expired or used up: a direct message instead.
      }
    }
    // A partner's account cannot be sent a direct message from this workspace: a private note in
    // the shared channel where they clicked reaches them instead.
    if (reply.external) {
      if (reply.channel) await client.chat.postEphemeral({ channel: reply.channel, user: reply.user, text: said });
      return;
    }
    await client.chat.postMessage({ channel: reply.user, text: said });
  };
}
