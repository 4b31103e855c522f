/**
 * Routes: the ways bragbot reaches a person, and the order it tries them (issue 14 pt 1).
 *
 *   teams-chat  the person's chat with the bot in Teams (needs a stored conversation reference)
 *   slack-dm    a Slack direct message (needs their Slack member id)
 *   email       an email with a signed link per action (needs their address, and SMTP configured)
 *
 * Each person may set their own order (Person.routes, `bragbot people set --routes email,teams-chat`):
 * the first is preferred, the rest are fallbacks, and only those are used. Unset, every route they
 * have is used in DEFAULT_ORDER. The outbox plans a message on the first route that is enabled and
 * that the person has; when a route fails for good at send time (no chat id; Slack user_not_found /
 * account_inactive; Teams 403 / 404, the app not installed or another tenant: RouteUnavailableError)
 * the dispatcher moves the message to the next one and records, on the outbox row, the routes that
 * failed (fallbacksJson) and the route that carried it (route). Transient errors are retried on
 * the same route, as before.
 *
 * EXTENDING: a new route (e.g. "mention in the group's channel thread", issue 15) is one more
 * entry in ROUTE_DEFS: the platform whose port sends it, whether a person has it (from
 * PersonReach; add what it needs there and in loadPersonReach), and how to address them at send
 * time. Ports raise RouteUnavailableError (or an error with `routeUnavailable: true`) for "this
 * person cannot be reached this way"; everything else about delivery stays as it is.
 */
import { BragbotError } from '../core/errors.js';
import type { ChatAddress, Platform } from '../core/chat.js';
import type { Db } from '../db/client.js';

export const ROUTES = ['teams-chat', 'slack-dm', 'email'] as const;
export type Route = (typeof ROUTES)[number];

/** Without a person's own order: Teams first (it needs the app installed), then Slack, then email. */
export const DEFAULT_ORDER: readonly Route[] = ['teams-chat', 'slack-dm', 'email'];

/** What decides whether a person has a route, loaded once per plan. */
export interface PersonReach {
  name: string;
  slackUserId: string | null;
  /** A Teams conversation reference is stored (the bot may message them first). */
  teams: boolean;
  email: string | null;
  /** Their own order (Person.routes), or null. */
  routes: Route[] | null;
}

/** The person does not have this route (any more): a route failure, so the next route is tried. */
export class UndeliverableRoute extends Error {
  readonly routeUnavailable = true;
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableRoute';
  }
}

export interface RouteDef {
  route: Route;
  /** The port that sends it. */
  platform: Platform;
  /** In words, for the CLI and the outbox's reasons. */
  label: string;
  has(p: PersonReach): boolean;
  /** What to do when a person does not have it. */
  howToAdd: string;
  /** Where to send, resolved at send time; throws UndeliverableRoute when they no longer have it. */
  address(db: Db, personId: string, p: { name: string; slackUserId: string | null; email: string | null }): Promise<ChatAddress>;
}

export const ROUTE_DEFS: Record<Route, RouteDef> = {
  'teams-chat': {
    route: 'teams-chat', platform: 'teams', label: 'Teams chat',
    has: (p) => p.teams,
    howToAdd: 'they must open the bot in Teams once so it can reach them',
    async address(db, personId, p) {
      const ref = await db.conversationRef.findFirst({ where: { personId, platform: 'teams' }, orderBy: { updatedAt: 'desc' } });
      if (!ref) throw new UndeliverableRoute(`${p.name} has no Teams conversation with the bot`);
      return { platform: 'teams', conversationId: ref.conversationId, referenceJson: ref.referenceJson, personId };
    },
  },
  'slack-dm': {
    route: 'slack-dm', platform: 'slack', label: 'Slack direct message',
    has: (p) => Boolean(p.slackUserId),
    howToAdd: 'add their Slack member id (bragbot people set --slack, or people map-slack)',
    async address(_db, personId, p) {
      if (!p.slackUserId) throw new UndeliverableRoute(`${p.name} has no Slack member id`);
      return { platform: 'slack', conversationId: p.slackUserId, personId };
    },
  },
  email: {
    route: 'email', platform: 'email', label: 'email',
    has: (p) => Boolean(p.email),
    howToAdd: 'add their email address (bragbot people set --email) and configure SMTP_URL',
    async address(_db, personId, p) {
      if (!p.email) throw new UndeliverableRoute(`${p.name} has no email address`);
      return { platform: 'email', conversationId: p.email, personId };
    },
  },
};

export const isRoute = (v: string): v is Route => (ROUTES as readonly string[]).includes(v);

/** "email, teams-chat" → ['email', 'teams-chat'], or a BragbotError saying what is allowed. */
export function parseRoutes(text: string): Route[] {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const wrong = parts.filter((p) => !isRoute(p));
  if (parts.length === 0 || wrong.length) {
    throw new BragbotError('INPUT_INVALID', `${wrong.length ? `not a route: ${wrong.join(', ')}. ` : ''}Give routes in order, preferred first, from: ${ROUTES.join(', ')} (e.g. --routes email,teams-chat), or --routes default.`);
  }
  return [...new Set(parts as Route[])];
}

/** Person.routes as stored: null, or routes the code still knows (an unknown one is skipped). */
export const storedRoutes = (stored: string | null | undefined): Route[] | null =>
  stored ? stored.split(',').filter(isRoute) : null;

/** The routes to try for a person, in order: theirs (or the default), that they have and that are enabled. */
export function routesFor(p: PersonReach, enabled: readonly Platform[]): Route[] {
  return (p.routes ?? DEFAULT_ORDER).filter((r) => ROUTE_DEFS[r].has(p) && enabled.includes(ROUTE_DEFS[r].platform));
}

/** The route a row on `platform` was planned for, when the row predates routes (one route per platform then). */
export function routeOfPlatform(platform: string): Route | null {
  return (Object.values(ROUTE_DEFS).find((d) => d.platform === platform)?.route) ?? null;
}

export async function loadPersonReach(db: Db, personIds: readonly string[]): Promise<Map<string, PersonReach>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Map();
  const [persons, refs] = await Promise.all([
    db.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, slackUserId: true, email: true, routes: true } }),
    db.conversationRef.findMany({ where: { personId: { in: ids }, platform: 'teams' }, select: { personId: true } }),
  ]);
  const withTeams = new Set(refs.map((r) => r.personId));
  return new Map(persons.map((p) => [p.id, { name: p.name, slackUserId: p.slackUserId, teams: withTeams.has(p.id), email: p.email, routes: storedRoutes(p.routes) }]));
}

/** One route that failed for good, as the outbox row keeps it. */
export interface FailedRoute {
  route: string;
  error: string;
}

export function failedRoutesOf(json: string | null): FailedRoute[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as FailedRoute[]).filter((f) => typeof f?.route === 'string') : [];
  } catch {
    return [];
  }
}
