/**
 * One deployment, one Slack workspace: every payload must come from the team the bot token
 * belongs to (auth.test at start-up). Anything else is refused before any listener runs,
 * acknowledged (so Slack does not retry it), logged, and told why when it can be.
 */
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import type { HandlerDeps } from '../deps.js';

type Loose = Record<string, unknown>;

/** The team a payload claims to come from (events, commands, interactions, views). */
export function teamOfPayload(body: Loose): string | undefined {
  if (typeof body.team_id === 'string') return body.team_id;
  const team = body.team as Loose | null | undefined;
  if (team && typeof team.id === 'string') return team.id;
  const user = body.user as Loose | undefined;
  if (user && typeof user.team_id === 'string') return user.team_id;
  const view = body.view as Loose | undefined;
  if (view && typeof view.team_id === 'string') return view.team_id;
  return undefined;
}

export function workspaceGuard(deps: Pick<HandlerDeps, 'teamId' | 'logger'>): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Loose;
    const team = teamOfPayload(body);
    if (team === deps.teamId) {
      await args.next();
      return;
    }
    deps.logger.warn({ slack: { team: team ?? null, expected: deps.teamId, type: body.type ?? 'command' }, refused: true }, 'slack: payload from another workspace refused');
    const withAck = args as { ack?: (r?: unknown) => Promise<void>; respond?: (m: unknown) => Promise<unknown> };
    if (withAck.ack) await withAck.ack();
    if (withAck.respond) {
      await withAck.respond({ response_type: 'ephemeral', replace_original: false, text: ':no_entry: This bragbot serves another Slack workspace, so it cannot act on this.' }).catch(() => undefined);
    }
  };
}

export function register(app: App, deps: HandlerDeps): void {
  app.use(workspaceGuard(deps));
}
