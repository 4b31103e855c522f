/**
 * `/highlight-report [group] [meeting date]`: acknowledged at once (Slack allows 3 seconds;
 * assembling and rendering a report can take longer), then the preview arrives through the
 * command's response_url with Publish / Download buttons. Only the person who asked sees it.
 */
import type { App } from '@slack/bolt';
import { stopwatch } from '../../../clock.js';
import { parseReportArgs as parseArgs, type ReportArgs } from '../../common/report-args.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import { groupOfChannel, groupSlugsOf } from '../../../services/groups.js';
import type { HandlerDeps } from '../deps.js';
import { SLACK_COMMANDS } from '../ids.js';
import { renderReportPreview } from '../render/report.js';
import { esc } from '../render/text.js';
import type { CommandArgs } from './brag-command.js';

export const REPORT_USAGE = 'Usage: `/highlight-report [group] [meeting date]`, e.g. `/highlight-report cic-partnership 13/01/2027`. In a group’s channel the group can be left out; without a date the next meeting is used.';

/** Group slug and meeting date, in any order; dates UK day-first or YYYY-MM-DD. */
export const parseReportArgs = (text: string): ReportArgs => parseArgs(text, REPORT_USAGE, (word) => `"${word}"`);

export async function handleHighlightReportCommand(deps: HandlerDeps, args: CommandArgs): Promise<void> {
  // First, before any work: Slack shows an error if this takes more than 3 seconds.
  await args.ack({ response_type: 'ephemeral', text: ':hourglass_flowing_sand: Preparing the highlight report…' });
  const { command } = args;
  const log = deps.logger.child({ slack: { kind: 'command', command: command.command, user: command.user_id, team: command.team_id } });
  const say = async (text: string) => { await args.respond({ response_type: 'ephemeral', text }); };
  await withUserErrors(log, say, {}, async () => {
    if (!deps.reports) return say('The highlight report is not set up on this bragbot yet. Ask whoever runs it.');
    const person = await personOf(deps, command.user_id);
    if (!person) return refuse(log, say, NOT_MAPPED, {});
    const parsed = parseReportArgs(command.text);
    if (parsed.error) return say(parsed.error);
    let groupSlug = parsed.groupSlug ?? (await groupOfChannel(deps.db, deps.workspaceId, 'slack', command.channel_id)) ?? undefined;
    if (!groupSlug) {
      const mine = await groupSlugsOf(deps.db, deps.workspaceId, person.id);
      if (mine.length === 1) groupSlug = mine[0];
      else return say(mine.length ? `Which group? Yours: ${mine.map((g) => `\`${esc(g)}\``).join(', ')}. ${REPORT_USAGE}` : `Which group? ${REPORT_USAGE}`);
    }
    const elapsed = stopwatch();
    const preview = await deps.reports.generate({
      workspaceId: deps.workspaceId, groupSlug: groupSlug!, meetingDate: parsed.meetingDate, requestedBy: person.name, requesterPersonId: person.id, now: deps.clock(),
    });
    log.info({ group: groupSlug, reportId: preview.reportId, version: preview.version, ms: Math.round(elapsed()) }, 'slack: highlight report previewed');
    const rendered = renderReportPreview(preview);
    await args.respond({ response_type: 'ephemeral', text: rendered.text, blocks: rendered.blocks });
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.command(SLACK_COMMANDS.highlightReport, async ({ ack, command, client, respond }) => {
    await handleHighlightReportCommand(deps, { ack, command, client, respond });
  });
}
