/**
 * Interactions no listener takes (a button from an older version's message, a form bragbot no
 * longer has, a command it does not know, a forged id): acknowledged at once and answered in
 * words, rather than left to Bolt, which never acknowledges them (Slack then shows an error and
 * the receiver logs a 404 after 3 seconds). Nothing is recorded.
 */
import type { App, BlockAction, SlashCommand, ViewOutput } from '@slack/bolt';
import type { HandlerDeps } from '../deps.js';
import { ephemeralTo } from './common.js';
import type { Routes } from './routes.js';

export const UNKNOWN_ACTION = 'That button is not one this bragbot knows (it may be from an older message), so nothing was changed. `/brag` shows your actions with fresh buttons.';
export const UNKNOWN_VIEW = 'This form is not one this bragbot knows (it may be from an older version), so nothing was saved. Close it and start again from the message or `/brag`.';
export const unknownCommand = (command: string): string => `bragbot has no \`${command.slice(0, 40)}\` command. Try \`/brag\` (your actions) or \`/highlight-report\` (the board paper).`;

export function register(app: App, deps: HandlerDeps, routes: Routes): void {
  const log = deps.logger;

  app.action(/[\s\S]*/, async ({ ack, body, action, client, respond }) => {
    const a = action as { action_id?: string; block_id?: string };
    if (routes.handles('action', { id: a.action_id, block_id: a.block_id })) return;
    await ack();
    const b = body as BlockAction;
    log.warn({ slack: { kind: 'block_actions', actionId: a.action_id?.slice(0, 80), user: b.user?.id, team: b.team?.id }, refused: true }, 'slack: unknown button acknowledged');
    const channel = typeof b.container?.channel_id === 'string' ? (b.container.channel_id as string) : b.channel?.id;
    await ephemeralTo({ respond, client, channel, user: b.user.id })(UNKNOWN_ACTION).catch((e: unknown) => log.warn({ err: e }, 'slack: could not answer an unknown button'));
  });

  app.view({ callback_id: /[\s\S]*/, type: 'view_submission' }, async ({ ack, view, body }) => {
    if (routes.handles('view', { id: view.callback_id, type: 'view_submission' })) return;
    log.warn({ slack: { kind: 'view_submission', callbackId: view.callback_id.slice(0, 80), user: body.user?.id }, refused: true }, 'slack: unknown form acknowledged');
    await ack({ response_action: 'update', view: notice(view) });
  });

  app.view({ callback_id: /[\s\S]*/, type: 'view_closed' }, async ({ ack, view }) => {
    if (routes.handles('view', { id: view.callback_id, type: 'view_closed' })) return;
    // Closing a form bragbot does not know changes nothing: acknowledged, nothing to say.
    await ack();
  });

  app.command(/[\s\S]*/, async ({ ack, command }) => {
    const c = command as SlashCommand;
    if (routes.handles('command', { id: c.command })) return;
    log.warn({ slack: { kind: 'command', command: c.command.slice(0, 40), user: c.user_id }, refused: true }, 'slack: unknown command acknowledged');
    await ack({ response_type: 'ephemeral', text: unknownCommand(c.command) });
  });

  app.shortcut(/[\s\S]*/, async ({ ack, shortcut }) => {
    if (routes.handles('shortcut', { id: shortcut.callback_id })) return;
    log.warn({ slack: { kind: shortcut.type, callbackId: shortcut.callback_id.slice(0, 80) }, refused: true }, 'slack: unknown shortcut acknowledged');
    await ack();
  });

  app.options(/[\s\S]*/, async ({ ack, options }) => {
    const o = options as { action_id?: string; block_id?: string };
    if (routes.handles('options', { id: o.action_id, block_id: o.block_id })) return;
    await ack({ options: [] });
  });
}

/** A modal saying so, in place of the unknown form. */
function notice(view: ViewOutput) {
  return {
    type: 'modal' as const,
    ...(view.title ? { title: { type: 'plain_text' as const, text: view.title.text.slice(0, 24) || 'bragbot' } } : { title: { type: 'plain_text' as const, text: 'bragbot' } }),
    close: { type: 'plain_text' as const, text: 'Close' },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: UNKNOWN_VIEW } }],
  };
}
