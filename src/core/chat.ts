/**
 * The core's view of chat: neutral ids and neutral messages. Slack and Teams adapters
 * (src/adapters/*) translate these to Block Kit / Adaptive Cards and back; the core never
 * sees a platform SDK type (tests/core-boundary.test.ts checks it).
 */
import type { Brag } from './brag.js';
import type { DueKind } from './due-date.js';

/**
 * Where messages and replies live. 'email' is a delivery port (SMTP); 'web' sends nothing, it is
 * where a page stands in for a chat thread (a lead's section written on the update-round page).
 */
export const PLATFORMS = ['slack', 'teams', 'email', 'web', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who did something in chat, as the platform identifies them. */
export interface ChatActor {
  platform: Platform;
  /** Slack user id (U…) / Teams AAD object id or user id. */
  userId: string;
  /** Slack team id / Teams tenant id, checked against the workspace. */
  tenantId?: string;
  displayName?: string;
}

/** Where a message goes: a person's DM or a channel/thread. */
export interface ChatAddress {
  platform: Platform;
  /** Slack: user id (DM opened by the adapter) or channel id. Teams: conversation id. */
  conversationId: string;
  threadId?: string;
  /** Teams proactive sends need the stored reference (service URL, tenant…), as JSON. */
  referenceJson?: string;
  /**
   * Posted in a shared conversation but meant for one person, who is @mentioned (a partner's
   * member in a Slack Connect or Teams shared channel, whom no DM can reach: issue 15 pt 2).
   * Slack: their member id. Teams: their account id as Teams knows it (29:… or the AAD id).
   */
  mention?: { userId: string; name: string };
  /** The person it is for, when it is for one (email mints their links with it). */
  personId?: string;
}

/** One action as a message shows it. */
export interface ActionCard {
  actionId: string;
  groupSlug: string;
  groupName: string;
  ref: string;
  activity: string;
  progress: string;
  dueKind: DueKind;
  dueDate: string | null;
  dueRaw: string;
  brag: Brag;
  /** Working days overdue at planning time (0 when not overdue). */
  daysOverdue: number;
  leadAgency: string;
  leadOfficer: string;
  ownerNames: string[];
  /** Latest note from an update, for Red/Amber in escalations and digests. */
  latestNote?: string | null;
}

export type NudgeReason = 'overdue' | 'due-soon' | 'stale' | 'update-round' | 'catch-up';

/** Everything the bot sends, platform-neutral. Adapters render each kind. */
export type OutboundMessage =
  | {
      kind: 'nudge';
      /** Why this person hears from us; one message lists all their actions. */
      reasons: NudgeReason[];
      recipientName: string;
      actions: ActionCard[];
      /** The earliest update round asked for; groupId is absent from messages planned before it was carried. */
      meeting?: { groupId?: string | undefined; groupName: string; date: string } | undefined;
    }
  | {
      kind: 'escalation';
      recipientName: string;
      /** 'red' = turned Red; 'unanswered' = still overdue after K nudges with no response. */
      reason: 'red' | 'unanswered';
      ownerName: string;
      actions: ActionCard[];
    }
  | {
      kind: 'digest';
      recipientName: string;
      /** A manager's weekly view: what is Red, Amber, overdue across their people. */
      actions: ActionCard[];
      periodLabel: string;
    }
  | {
      kind: 'thread-open';
      groupName: string;
      meetingDate: string;
      /** Who is asked for an update in the thread (names, for the opening text). */
      askedNames: string[];
    }
  | {
      kind: 'not-mine';
      recipientName: string;
      fromName: string;
      action: ActionCard;
    }
  | { kind: 'text'; text: string };

export interface SendResult {
  /** Slack message ts / Teams activity id: lets a later update edit the same message. */
  providerMessageId: string;
  /** Where it actually went (Slack DMs resolve to a D… channel id). */
  conversationId?: string;
}

/** Raised by a ChatPort when the platform says "slow down": the dispatcher waits that long. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterMs: number, message = `rate limited: retry after ${retryAfterMs} ms`) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** Raised for failures worth retrying (5xx, network). Anything else is treated as permanent. */
export class TransientChatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientChatError';
  }
}

/**
 * The person cannot be reached this way at all (no such account, deactivated, the app not
 * installed for them, another tenant): not a failure of the message, so the dispatcher tries
 * their next route (src/delivery/routes.ts). Ports mark such errors with `routeUnavailable`.
 */
export class RouteUnavailableError extends Error {
  readonly routeUnavailable = true;
  constructor(message: string) {
    super(message);
    this.name = 'RouteUnavailableError';
  }
}

export const isRouteUnavailable = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { routeUnavailable?: unknown }).routeUnavailable === true;

/** What the outbox tells a port about one delivery attempt (optional: a port may ignore it). */
export interface SendContext {
  /** The outbox message's idempotency key: the same for every attempt at the same message. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * The previous dispatcher that claimed this message stopped (crashed) without recording the
   * result, so the platform may already have it. A port that can check (e.g. Slack message
   * metadata carrying the key) should return the earlier result instead of posting again.
   */
  recovering: boolean;
}

/** What the delivery side needs from a platform adapter. */
export interface ChatPort {
  readonly platform: Platform;
  send(to: ChatAddress, message: OutboundMessage, context?: SendContext): Promise<SendResult>;
}
