/** What the Slack adapter is given by `bragbot serve`, and what its handlers see. */
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../logging.js';
import type { Inbox } from '../../services/inbox/index.js';
import type { ReportService } from './report-service.js';

export interface SlackDeps {
  config: Config;
  db: Db;
  /** The one workspace (council) this deployment serves. */
  workspaceId: string;
  logger: Logger;
  clock: () => Date;
  /** The highlight report service; without it /highlight-report says it is not set up. */
  reports?: ReportService | undefined;
  /** HTTP mode: listen here instead of SLACK_PORT (tests pass 0 for an ephemeral port). */
  httpPort?: number | undefined;
  /**
   * The machine's clock for Slack's five-minute window on request timestamps: Slack signs with
   * its own real time, so this is never the deployment's clock (a demo's runs in 2021).
   * Default: the machine's clock (http-guard.ts).
   */
  wallClock?: Clock | undefined;
  /** The process's inbox (serve shares one between the channels); without it Slack makes its own. */
  inbox?: Inbox | undefined;
  /** Told how long each request waited for its acknowledgement, by kind (block_actions…): metrics. */
  onAck?: ((kind: string, seconds: number) => void) | undefined;
}

/** What every listener gets: data, clock, logger, and the Slack team the bot token belongs to. */
export interface HandlerDeps {
  db: Db;
  workspaceId: string;
  logger: Logger;
  clock: () => Date;
  reports?: ReportService | undefined;
  /** From auth.test at start-up: payloads from any other team are refused. */
  teamId: string;
  botUserId: string;
  /** Where clicks are written before they are acknowledged (src/services/inbox). */
  inbox?: Inbox | undefined;
}
