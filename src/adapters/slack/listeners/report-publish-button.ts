/**
 * "Publish to channel": the report service decides (who may, and where: always the group's own
 * Slack channel, never the DM or channel the preview was asked in) and freezes the version; this
 * listener posts the summary there. Posted once per version and channel, however often the
 * button is clicked.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { firstDelivery, forgetDelivery } from '../../../services/status-updates.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { slackErrorCode } from '../errors.js';
import { ACTION_IDS, parseJson, ReportButtonValue } from '../ids.js';
import { describeNoChannel } from '../../../services/report-service.js';
import { renderPublishedReport } from '../render/report.js';
import { SLACK_STYLE } from '../render/style.js';
import { clickEphemeral, clickLogger, userTeamOf, type ButtonArgs } from './common.js';

export async function handleReportPublishButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const value = parseJson(ReportButtonValue, action.value);
  if (!value) return refuse(log, say, 'That button is not one bragbot understands. Run `/highlight-report` again.', { malformed: true });
  await withUserErrors(log, say, { reportId: value.r }, async () => {
    if (!deps.reports) return say('The highlight report is not set up on this bragbot.');
    const person = await personOf(deps, body.user.id, userTeamOf(body));
    if (!person) return refuse(log, say, NOT_MAPPED, { reportId: value.r });
    const out = await deps.reports.publish({ workspaceId: deps.workspaceId, reportId: value.r, by: person.name, byPersonId: person.id, now: deps.clock(), platform: 'slack' });
    if (out.kind === 'no-channel') {
      log.warn({ reportId: value.r, version: out.preview.version }, 'slack: report not published: the group has no Slack channel');
      return say(describeNoChannel(out, SLACK_STYLE));
    }
    const published = out.preview;
    const channel = out.channel.conversationId;
    const key = `slack:publish:${published.reportId}:${channel}`;
    if (!(await firstDelivery(deps.db, key, 'slack', deps.clock()))) return say(`Version ${published.version} is already published in <#${channel}>.`);
    const rendered = renderPublishedReport(published, person.name);
    try {
      await args.client.chat.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, unfurl_links: false });
    } catch (e) {
      // Not posted: let a later click try again.
      await forgetDelivery(deps.db, key);
      const code = slackErrorCode(e);
      if (code === 'not_in_channel' || code === 'channel_not_found') {
        return say(`Version ${published.version} is published, but I cannot post in the group’s channel <#${channel}>: invite me there with \`/invite @bragbot\` and click Publish again.`);
      }
      throw e;
    }
    log.info({ reportId: published.reportId, version: published.version, channel }, 'slack: highlight report published');
    if (args.respond) await args.respond({ response_type: 'ephemeral', replace_original: true, text: `:white_check_mark: Published version ${published.version} in <#${channel}>.` });
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.reportPublish, async ({ ack, body, action, client, respond }) => {
    await handleReportPublishButton(deps, { ack, body, action, client, respond });
  });
}
