/** "Download Word / PDF": the paper, uploaded (files.uploadV2) into the person's DM with bragbot. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { parseJson, REPORT_DOWNLOAD_PATTERN, ReportButtonValue } from '../ids.js';
import type { ReportFileFormat } from '../report-service.js';
import { esc } from '../render/text.js';
import { clickEphemeral, clickLogger, userTeamOf, type ButtonArgs } from './common.js';

export async function handleReportDownloadButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const format = REPORT_DOWNLOAD_PATTERN.exec(action.action_id)?.[1] as ReportFileFormat | undefined;
  const value = parseJson(ReportButtonValue, action.value);
  if (!value || !format) return refuse(log, say, 'That button is not one bragbot understands. Run `/highlight-report` again.', { malformed: true });
  await withUserErrors(log, say, { reportId: value.r, format }, async () => {
    if (!deps.reports) return say('The highlight report is not set up on this bragbot.');
    const person = await personOf(deps, body.user.id, userTeamOf(body));
    if (!person) return refuse(log, say, NOT_MAPPED, { reportId: value.r });
    const file = await deps.reports.render({ workspaceId: deps.workspaceId, reportId: value.r, format, personId: person.id });
    // To the person's own DM: the preview was private, so is the paper until it is published.
    const dm = await args.client.conversations.open({ users: body.user.id });
    const channelId = dm.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    await args.client.filesUploadV2({
      channel_id: channelId,
      file: typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body,
      filename: file.filename,
      title: file.filename,
      initial_comment: 'Here is the highlight report you asked for.',
    });
    log.info({ reportId: value.r, format }, 'slack: highlight report downloaded');
    await say(`:page_facing_up: Sent *${esc(file.filename)}* to your DMs with bragbot.`);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(REPORT_DOWNLOAD_PATTERN, async ({ ack, body, action, client, respond }) => {
    await handleReportDownloadButton(deps, { ack, body, action, client, respond });
  });
}
