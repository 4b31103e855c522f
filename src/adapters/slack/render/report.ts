/** /highlight-report's ephemeral preview: the summary, Publish (only for those who may) and Download buttons. */
import type { KnownBlock } from '@slack/types';
import { ACTION_IDS } from '../ids.js';
import type { ReportPreview } from '../report-service.js';
import { SLACK_LIMITS, textSections } from './limits.js';
import type { RenderedMessage } from './outbound.js';
import { esc, ukDate } from './text.js';

export function renderReportPreview(p: ReportPreview): RenderedMessage {
  const value = JSON.stringify({ r: p.reportId, g: p.groupSlug });
  const blocks: KnownBlock[] = [
    ...textSections(p.summary, 10),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Preview, only you can see this. Version ${p.version} (${p.status}).` }] },
    {
      type: 'actions',
      block_id: 'report',
      elements: [
        ...(p.canPublish === true ? [{ type: 'button' as const, action_id: ACTION_IDS.reportPublish, style: 'primary' as const, text: { type: 'plain_text' as const, text: 'Publish to channel' }, value }] : []),
        { type: 'button', action_id: `${ACTION_IDS.reportDownloadPrefix}docx`, text: { type: 'plain_text', text: 'Download Word' }, value },
        { type: 'button', action_id: `${ACTION_IDS.reportDownloadPrefix}pdf`, text: { type: 'plain_text', text: 'Download PDF' }, value },
      ],
    },
  ];
  return { text: `Highlight report preview: ${p.groupSlug}, meeting ${ukDate(p.meetingDate)}`, blocks: blocks.slice(0, SLACK_LIMITS.messageBlocks) };
}

export function renderPublishedReport(p: ReportPreview, publishedBy: string): RenderedMessage {
  const blocks: KnownBlock[] = [
    ...textSections(p.summary, 45),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Published by ${esc(publishedBy)}. Version ${p.version}.` }] },
  ];
  return { text: `Highlight report: ${p.groupSlug}, meeting ${ukDate(p.meetingDate)}`, blocks };
}
