/**
 * `highlight-report [group] [meeting date]`: the report's chat summary as a card, with a
 * Publish button for a draft. The group may be left out in a group's channel, or when the
 * person belongs to one group only.
 */
import type { App } from '@microsoft/teams.apps';
import { splitThreadId } from '../activity.js';
import { stopwatch } from '../../../clock.js';
import { renderReportCard } from '../cards/report.js';
import { groupOfChannel, groupSlugsOf } from '../../../services/groups.js';
import type { HandlerDeps } from '../deps.js';
import { parseReportArgs, REPORT_USAGE } from './commands.js';
import { onCommand, runCommand, type CommandOutcome } from './command-runner.js';
import { BragbotError } from '../../../core/errors.js';
import type { Turn } from './turn.js';

export async function handleHighlightReport(deps: HandlerDeps, turn: Turn, args: string): Promise<CommandOutcome> {
  return runCommand(deps, turn, 'highlight-report', async (person) => {
    const parsed = parseReportArgs(args);
    if (parsed.error) throw new BragbotError('INPUT_INVALID', parsed.error);
    const channel = splitThreadId(turn.activity.conversation?.id ?? '').base;
    let groupSlug = parsed.groupSlug ?? (await groupOfChannel(deps.db, deps.workspaceId, 'teams', channel)) ?? undefined;
    if (!groupSlug) {
      const mine = await groupSlugsOf(deps.db, deps.workspaceId, person.id);
      if (mine.length === 1) groupSlug = mine[0];
      else throw new BragbotError('INPUT_INVALID', mine.length ? `Which group? Yours: ${mine.join(', ')}. ${REPORT_USAGE}` : `Which group? ${REPORT_USAGE}`);
    }
    const elapsed = stopwatch();
    const preview = await deps.reports.generate({
      workspaceId: deps.workspaceId, groupSlug: groupSlug!, meetingDate: parsed.meetingDate, requestedBy: person.name, requesterPersonId: person.id, now: deps.clock(),
    });
    turn.log.info({ group: groupSlug, reportId: preview.reportId, version: preview.version, ms: Math.round(elapsed()) }, 'teams: highlight report previewed');
    await turn.reply({ card: renderReportCard(preview), summary: `Highlight report: ${groupSlug}` });
  });
}

export function register(app: App, deps: HandlerDeps): void {
  onCommand(app, deps, 'highlight-report', (turn, args) => handleHighlightReport(deps, turn, args));
}
