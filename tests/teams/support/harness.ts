/**
 * Handlers as plain functions: a real (SQLite) database with a standard group, recorded
 * activities from tests/fixtures/teams, and a Turn whose replies, edits and log lines are
 * captured. No server, no SDK.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { ConnectorClient, ConversationTarget, OutgoingCard } from '../../../src/adapters/teams/connector.js';
import type { HandlerDeps } from '../../../src/adapters/teams/deps.js';
import type { RosterLookup } from '../../../src/adapters/teams/identity.js';
import type { PublishOutcome, ReportPreview, TeamsReportService } from '../../../src/adapters/teams/report-service.js';
import type { Turn } from '../../../src/adapters/teams/handlers/turn.js';
import type { LooseActivity } from '../../../src/adapters/teams/activity.js';
import type { Db } from '../../../src/db/client.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'teams');
export const DEMO_AAD = { owner: '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e01' } as const;
export const TENANT = '7d1c3a52-0d5e-4c4b-9f0e-1b2a3c4d5e00';

export function fixture(name: string, vars: Record<string, string> = {}): LooseActivity {
  let text = readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
  for (const [k, v] of Object.entries({ SERVICE_URL: 'https://smba.trafficmanager.net/uk/', ...vars })) {
    // JSON-escape the value: a scope is itself JSON inside a string.
    text = text.split(`{{${k}}}`).join(JSON.stringify(v).slice(1, -1));
  }
  return JSON.parse(text) as LooseActivity;
}

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export function captureLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines };
}

export interface FakeTurn extends Turn {
  replies: OutgoingCard[];
  updates: { id: string; message: OutgoingCard }[];
  lines: LogLine[];
}

export function fakeTurn(activity: LooseActivity, o: { roster?: RosterLookup; failUpdate?: boolean } = {}): FakeTurn {
  const { logger, lines } = captureLogger();
  const replies: OutgoingCard[] = [];
  const updates: { id: string; message: OutgoingCard }[] = [];
  return {
    activity,
    log: logger,
    lines,
    replies,
    updates,
    roster: o.roster,
    async reply(message) {
      replies.push(message);
      return `reply-${replies.length}`;
    },
    async update(id, message) {
      if (o.failUpdate) throw new Error('update refused');
      updates.push({ id, message });
    },
  };
}

export class FakeConnector implements ConnectorClient {
  posts: { to: ConversationTarget; message: OutgoingCard }[] = [];
  async post(to: ConversationTarget, message: OutgoingCard) {
    this.posts.push({ to, message });
    return { id: `posted-${this.posts.length}` };
  }
  async update(): Promise<void> {}
}

export class FakeReports implements TeamsReportService {
  generated: Parameters<TeamsReportService['generate']>[0][] = [];
  published: Parameters<TeamsReportService['publish']>[0][] = [];
  preview(over: Partial<ReportPreview> = {}): ReportPreview {
    return { reportId: 'rep1', groupSlug: 'ops', meetingDate: '2021-01-13', version: 1, status: 'draft', summary: '**Children in Care Operational Group – Highlight Report** (version 1, draft)', canPublish: true, ...over };
  }
  async previewOf() {
    return this.preview();
  }
  async generate(req: Parameters<TeamsReportService['generate']>[0]) {
    this.generated.push(req);
    return this.preview({ groupSlug: req.groupSlug });
  }
  /** The group's channel the real service would name (null: the group has none). */
  channel: { conversationId: string; serviceUrl: string | null } | null = { conversationId: '19:bragbot-demo-updates@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/uk' };
  async publish(req: Parameters<TeamsReportService['publish']>[0]): Promise<PublishOutcome> {
    this.published.push(req);
    if (!this.channel) return { kind: 'no-channel', preview: this.preview(), groupName: 'Children in Care Operational Group', platform: 'teams', text: 'Nothing was published.' };
    return { kind: 'published', preview: this.preview({ status: 'published' }), channel: { platform: 'teams', teamId: null, ...this.channel } };
  }
}

export function handlerDeps(db: Db, workspaceId: string, now: Date, over: Partial<HandlerDeps> = {}): HandlerDeps & { connector: FakeConnector; reports: FakeReports } {
  const { logger } = captureLogger();
  return {
    db,
    workspaceId,
    logger,
    clock: () => now,
    reports: new FakeReports(),
    connector: new FakeConnector(),
    defaultServiceUrl: 'https://smba.trafficmanager.net/teams',
    ...over,
  } as HandlerDeps & { connector: FakeConnector; reports: FakeReports };
}
