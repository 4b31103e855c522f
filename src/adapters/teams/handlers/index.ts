/**
 * Every handler, registered in order. Message routes pass on (ctx.next) what is not theirs:
 * a card's Submit fallback first, then update-thread replies, then commands, then the
 * catch-all that answers anything else addressed to the bot with help.
 */
import type { App } from '@microsoft/teams.apps';
import type { HandlerDeps } from '../deps.js';
import * as references from './references.js';
import * as install from './install.js';
import * as cardAction from './card-action.js';
import * as cardSubmit from './card-submit.js';
import * as threadReply from './thread-reply.js';
import * as threadEdit from './thread-edit.js';
import * as threadDelete from './thread-delete.js';
import * as help from './help-command.js';
import * as myActions from './my-actions-command.js';
import * as highlightReport from './highlight-report-command.js';
import * as setChannel from './set-channel-command.js';
import * as unknown from './unknown-message.js';

export function registerHandlers(app: App, deps: HandlerDeps): void {
  references.register(app, deps);
  install.register(app, deps);
  cardAction.register(app, deps);
  cardSubmit.register(app, deps);
  threadReply.register(app, deps);
  threadEdit.register(app, deps);
  threadDelete.register(app, deps);
  help.register(app, deps);
  myActions.register(app, deps);
  highlightReport.register(app, deps);
  setChannel.register(app, deps);
  unknown.register(app, deps);
}
