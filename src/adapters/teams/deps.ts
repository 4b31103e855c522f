/** What the Teams adapter is given by `bragbot serve`, and what its handlers see. */
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../logging.js';
import type { Inbox } from '../../services/inbox/index.js';
import type { ConnectorClient } from './connector.js';
import type { ReportsModule, TeamsReportService } from './report-service.js';

export interface TeamsDeps {
  config: Config;
  db: Db;
  /** The one workspace (council) this deployment serves. */
  workspaceId: string;
  logger: Logger;
  clock: () => Date;
  /**
   * The highlight report: a TeamsReportService, or the reports module itself
   * (src/services/reports.ts, wrapped by dbReportService); default: the real one.
   */
  reports?: TeamsReportService | ReportsModule | undefined;
  /** Listen here instead of TEAMS_PORT (tests and the demo pass 0 for an ephemeral port). */
  port?: number | undefined;
  /** Listen on this interface (default: all, as Azure Bot Service must reach it). */
  host?: string | undefined;
  /**
   * Called after a conversation reference is stored from an install (the app added for a person
   * or to a team; in the Playground, each time its page opens, so it may repeat). The demo uses
   * it to nudge at once: whatever it triggers must be idempotent (the outbox is).
   */
  onInstalled?: ((e: InstalledConversation) => void) | undefined;
  /** The process's inbox (serve shares one between the channels); without it Teams makes its own. */
  inbox?: Inbox | undefined;
  /** Told how long each activity took to answer (a click is answered once it is recorded): metrics. */
  onAnswered?: ((seconds: number) => void) | undefined;
}

export interface InstalledConversation {
  conversationId: string;
  kind: 'personal' | 'groupChat' | 'channel';
  /** The person a personal chat belongs to, when bragbot knows them. */
  personId: string | null;
}

/** What every handler gets: data, clock, logger, and how to reach other conversations. */
export interface HandlerDeps {
  db: Db;
  workspaceId: string;
  logger: Logger;
  clock: () => Date;
  reports: TeamsReportService;
  /** When set (TEAMS_TENANT_ID), activities from any other tenant are refused. */
  tenantId?: string | undefined;
  /** Proactive posts (publishing a report to the group's channel). */
  connector: ConnectorClient;
  defaultServiceUrl: string;
  onInstalled?: ((e: InstalledConversation) => void) | undefined;
  /** Where clicks are written before they are worked (src/services/inbox). */
  inbox?: Inbox | undefined;
  /**
   * A person's link to a group's plan page (by slug), null when they may not open it; set when
   * the web pages are on (WEB_MODE=on): `highlight-report` in a personal chat gives it, since a
   * Teams bot cannot attach the Word or PDF file and the page serves both.
   */
  planLink?: ((personId: string, groupSlug: string) => Promise<string | null>) | undefined;
}
