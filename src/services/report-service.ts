/**
 * The highlight report as the chat adapters need it, as a seam: handlers code against
 * `ReportService`, tests inject fakes, and `reportService` wires the real one over reports.ts
 * (versions, publish freezes, renderings). Every call is scoped to the workspace and checks
 * the person: members may read and generate; chairs, managers and admins may publish.
 */
import type { Db } from '../db/client.js';
import { decideOnGroup } from './access.js';
import type { ChatSummaryOptions } from '../render/chat.js';
import { groupChannelOn } from './groups.js';
import type { SentenceStyle } from './interactions/style.js';
import { PLAIN } from './interactions/style.js';
import * as reportsModule from './reports.js';
import type { StoredReport } from './reports.js';

export type ReportFileFormat = 'docx' | 'pdf';

export interface ReportPreview {
  reportId: string;
  groupSlug: string;
  meetingDate: string;
  version: number;
  /** draft | published | superseded */
  status: string;
  /** The chat summary in the adapter's flavour (Slack mrkdwn, Teams Markdown), within its limit. */
  summary: string;
  /** May the person it was made for publish it? A Publish button is shown only then. */
  canPublish?: boolean | undefined;
}

export interface ReportFileOut {
  body: Buffer | string;
  filename: string;
  mimeType: string;
}

export interface GeneratePreviewRequest {
  workspaceId: string;
  groupSlug: string;
  meetingDate?: string | undefined;
  requestedBy: string;
  requesterPersonId: string;
  now: Date;
  /** The platform asking (the audit's channel). */
  platform?: 'slack' | 'teams' | 'web' | undefined;
}

export interface PublishPreviewRequest {
  workspaceId: string;
  reportId: string;
  by: string;
  byPersonId: string;
  now: Date;
  /** The platform the Publish came from: the report goes to the group's channel on it. */
  platform: 'slack' | 'teams';
}

/** Where a published report is posted: always the group's own channel, never where Publish was clicked. */
export interface GroupChannelTarget {
  platform: 'slack' | 'teams';
  conversationId: string;
  /** Slack: the workspace id; Teams: the team id. */
  teamId: string | null;
  /** Teams: the service URL to post proactively. */
  serviceUrl: string | null;
}

/**
 * What a Publish did (issue 10 pt 6). `published`: the version is frozen and the adapter posts
 * it in `channel`. `no-channel`: the group has no channel on this platform, so nothing was
 * frozen or posted (the button says "to channel": publishing where it was clicked, a DM, would
 * tell the board nothing); `preview` is the version as it stands, to keep on screen.
 */
export type PublishOutcome =
  | { kind: 'published'; preview: ReportPreview; channel: GroupChannelTarget }
  | { kind: 'no-channel'; preview: ReportPreview; groupName: string; platform: 'slack' | 'teams'; text: string };

export interface ReportService {
  /** Generates (or reuses) the report for a group's meeting; refuses people who may not read it. */
  generate(req: GeneratePreviewRequest): Promise<ReportPreview>;
  /** A stored version as a file; refuses people who may not read it. */
  render(req: { workspaceId: string; reportId: string; format: ReportFileFormat; personId: string }): Promise<ReportFileOut>;
  /**
   * Publishes a version into the group's channel on the platform: refuses people who may not
   * publish (first), then freezes it (idempotent) and names the channel to post in; a group with
   * no channel there gets `no-channel` and nothing is frozen.
   */
  publish(req: PublishPreviewRequest): Promise<PublishOutcome>;
  /** A stored version's preview again (after a refused Publish, so the preview is not lost); refuses people who may not read it. */
  previewOf(req: { workspaceId: string; reportId: string; personId: string }): Promise<ReportPreview>;
}

/** The reports module's functions the service uses (`bragbot serve` may pass the module itself). */
export type ReportsModule = Pick<typeof reportsModule, 'generateReport' | 'publishReport' | 'getReport' | 'authorizeReportAccess' | 'renderReport' | 'reportChatSummary'>;

/** The real service; `summary` is the adapter's chat flavour and length limit. */
export function reportService(db: Db, summary: Pick<ChatSummaryOptions, 'flavour' | 'maxChars'>, m: ReportsModule = reportsModule): ReportService {
  const preview = async (report: StoredReport, workspaceId: string, personId: string | undefined): Promise<ReportPreview> => ({
    reportId: report.id,
    groupSlug: report.content.group.slug,
    meetingDate: report.meetingDate,
    version: report.version,
    status: report.status,
    summary: m.reportChatSummary(report, summary),
    canPublish: personId !== undefined
      && (await decideOnGroup(db, { workspaceId, caller: { kind: 'person', personId }, group: { id: report.groupId }, capability: 'report.publish' })).allowed,
  });
  return {
    async generate(req) {
      const { report } = await m.generateReport(db, {
        workspaceId: req.workspaceId, groupSlug: req.groupSlug, meetingDate: req.meetingDate, requestedBy: req.requestedBy, requesterPersonId: req.requesterPersonId, now: req.now, channel: req.platform,
      });
      return preview(report, req.workspaceId, req.requesterPersonId);
    },
    async previewOf(req) {
      const report = await m.getReport(db, req.workspaceId, req.reportId);
      await m.authorizeReportAccess(db, req.workspaceId, report.groupId, req.personId, 'read');
      return preview(report, req.workspaceId, req.personId);
    },
    async render(req) {
      const report = await m.getReport(db, req.workspaceId, req.reportId);
      await m.authorizeReportAccess(db, req.workspaceId, report.groupId, req.personId, 'read');
      return m.renderReport(report, req.format);
    },
    async publish(req) {
      // Authorise before anything else: who may not publish learns nothing about the channel.
      const report = await m.getReport(db, req.workspaceId, req.reportId);
      await m.authorizeReportAccess(db, req.workspaceId, report.groupId, req.byPersonId, 'publish');
      const channel = await groupChannelOn(db, report.groupId, req.platform);
      if (!channel) {
        const facts = { kind: 'no-channel' as const, preview: await preview(report, req.workspaceId, req.byPersonId), groupName: report.content.group.name, platform: req.platform };
        return { ...facts, text: describeNoChannel(facts, PLAIN) };
      }
      const published = await m.publishReport(db, { workspaceId: req.workspaceId, reportId: req.reportId, by: req.by, byPersonId: req.byPersonId, now: req.now, channel: req.platform });
      return { kind: 'published', preview: await preview(published, req.workspaceId, req.byPersonId), channel: { platform: req.platform, conversationId: channel.conversationId, teamId: channel.teamId, serviceUrl: channel.serviceUrl } };
    },
  };
}

/** "Nothing was published: … has no Slack channel", with how to set one on that platform. */
export function describeNoChannel(o: Pick<Extract<PublishOutcome, { kind: 'no-channel' }>, 'groupName' | 'platform' | 'preview'>, s: SentenceStyle): string {
  const slug = o.preview.groupSlug;
  const how = o.platform === 'slack'
    ? `${s.code(`bragbot groups channel ${slug} --platform slack --id C…`)} (after inviting bragbot to the channel)`
    : `${s.code(`@bragbot set-channel ${slug}`)} in the team channel (or ${s.code(`bragbot groups channel ${slug} --platform teams --id 19:…`)})`;
  const platform = o.platform === 'slack' ? 'Slack' : 'Teams';
  return `${s.icon('warning')}Nothing was published: ${s.strong(s.text(o.groupName))} has no ${platform} channel to publish to, and a highlight report is only ever published in the group’s own channel. Its chair or an admin can set one with ${how}, then click Publish again. Version ${o.preview.version} stays a ${o.preview.status}; Download still works.`;
}
