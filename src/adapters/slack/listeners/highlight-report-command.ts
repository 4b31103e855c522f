/**
 * `/highlight-report [group] [meeting date]`: acknowledged at once (Slack allows 3 seconds;
 * assembling and rendering a report can take longer), then the preview arrives through the
 * command's response_url with Publish / Download buttons. Only the person who asked sees it.
 */
import type { App } from '@slack/bolt';
import { stopwatch } from '../../../clock.js';
import { parseReportArgs as parseArgs, type ReportArgs } from '../../common/report-args.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import { chooseReportGroup, describeReportGroupChoice, exampleGroupOf } from '../../../services/interactions/index.js';
import { SLACK_STYLE } from '../render/style.js';
import type { HandlerDeps } from '../deps.js';
import { SLACK_COMMANDS } from '../ids.js';
import { renderReportPreview } from '../render/report.js';
import { esc } from '../render/text.js';
import type { CommandArgs } from './brag-command.js';

/** The usage line, with one of the person's own groups as the example (never an invented one). */
export const reportUsage = (example: string | null): string =>
  `Usage: \`/highlight-report [group] [meeting date]\`, e.g. \`/highlight-report ${example ?? '<group>'} dd/mm/yyyy\`. In a group’s channel the group can be left out; without a date the next meeting is used.`;

export const REPORT_USAGE = reportUsage(null);

/** Group slug and meeting date, in any order; dates UK day-first or YYYY-MM-DD. */
export const parseReportArgs = (text: string, usage = REPORT_USAGE): ReportArgs => parseArgs(text, usage, (word) => `"${word}"`);

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
    const base = { workspaceId: deps.workspaceId, caller: { kind: 'person' as const, personId: person.id }, channel: 'slack' as const, now: deps.clock() };
    const usage = reportUsage(await exampleGroupOf(deps.db, base));
    const parsed = parseReportArgs(command.text, usage);
    if (parsed.error) return say(esc(parsed.error));
    const choice = await chooseReportGroup(deps.db, { ...base, named: parsed.groupSlug, conversation: { platform: 'slack', id: command.channel_id } });
    if (choice.kind === 'refused') return refuse(log, say, esc(choice.reason), {});
    if (choice.kind === 'which') return say(`${describeReportGroupChoice(choice, SLACK_STYLE)} ${esc(usage)}`);
    const elapsed = stopwatch();
    const preview = await deps.reports.generate({
      workspaceId: deps.workspaceId, groupSlug: choice.slug, meetingDate: parsed.meetingDate, requestedBy: person.name, requesterPersonId: person.id, now: deps.clock(), platform: 'slack',
    });
    log.info({ group: choice.slug, reportId: preview.reportId, version: preview.version, ms: Math.round(elapsed()) }, 'slack: highlight report previewed');
    const rendered = renderReportPreview(preview);
    await args.respond({ response_type: 'ephemeral', text: rendered.text, blocks: rendered.blocks });
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.command(SLACK_COMMANDS.highlightReport, async ({ ack, command, client, respond }) => {
    await handleHighlightReportCommand(deps, { ack, command, client, respond });
  });
}
