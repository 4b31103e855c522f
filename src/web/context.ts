/** What every web page is given: the database, the workspace, the one clock, the signer, the logger. */
import type { Request } from 'express';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logging.js';
import type { LinkSigner } from '../services/links.js';

export interface WebContext {
  db: Db;
  workspaceId: string;
  clock: Clock;
  logger: Logger;
  /** PUBLIC_BASE_URL: where links point (new links on a page use it too). */
  publicBaseUrl: string;
  /** LINK_SECRET and LINK_TTL_DAYS. */
  signer: LinkSigner;
  /** LINK_RATE_PER_MINUTE. */
  ratePerMinute: number;
  /**
   * Who is signed in to this browser, when sign-in exists (issue 18, OIDC): a link opened by
   * someone signed in as another person is refused ("sent to someone else"). Absent: the link
   * alone says who it is for.
   */
  signedInPerson?: ((req: Request) => Promise<string | null> | string | null) | undefined;
}

export const secureCookies = (ctx: Pick<WebContext, 'publicBaseUrl'>): boolean => ctx.publicBaseUrl.startsWith('https://');
