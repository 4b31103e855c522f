/** Every Slack listener, one per file; the workspace guard first, then the text decoder. */
import type { App } from '@slack/bolt';
import type { HandlerDeps } from '../deps.js';
import * as bragButton from './brag-button.js';
import * as bragCommand from './brag-command.js';
import * as bragPageButton from './brag-page-button.js';
import * as detailsButton from './details-button.js';
import * as highlightReportCommand from './highlight-report-command.js';
import * as inboundText from './inbound-text.js';
import * as notMineButton from './not-mine-button.js';
import * as progressButton from './progress-button.js';
import * as progressSubmit from './progress-submit.js';
import * as reportDownloadButton from './report-download-button.js';
import * as reportPublishButton from './report-publish-button.js';
import * as snoozeButton from './snooze-button.js';
import * as threadMessageEvent from './thread-message-event.js';
import * as unknownInteraction from './unknown-interaction.js';
import { Routes } from './routes.js';
import * as workspaceGuard from './workspace-guard.js';

export const LISTENERS = [
  workspaceGuard,
  inboundText,
  bragButton,
  progressButton,
  progressSubmit,
  snoozeButton,
  notMineButton,
  detailsButton,
  bragCommand,
  bragPageButton,
  highlightReportCommand,
  reportPublishButton,
  reportDownloadButton,
  threadMessageEvent,
] as const;

export function registerListeners(app: App, deps: HandlerDeps): void {
  const routes = new Routes();
  const recording = routes.recordRoutes(app);
  for (const l of LISTENERS) l.register(recording, deps);
  // Last: what no listener above takes is acknowledged and answered in words.
  unknownInteraction.register(app, deps, routes);
}
