/** What a page opened by a signed link is given, and what it gives back (see ./index.ts). */
import type { Request } from 'express';
import type { Html } from './html.js';
import type { PageContent } from './layout.js';
import type { Link, LinkPurpose } from '../services/links.js';
import type { WebContext } from './context.js';

export interface LinkRequest {
  ctx: WebContext;
  req: Request;
  link: Link;
  /** This request's instant, on the deployment's clock. */
  now: Date;
  /** The hidden fields a form on this page must carry (a fresh nonce and its CSRF token each call). */
  formFields(): Html;
  /** The form's address: the link's own (the token is the only thing in it). */
  action: string;
}

export interface LinkPost extends LinkRequest {
  /** The submitted fields (urlencoded; repeated names keep the last). */
  form: Record<string, string>;
  /** This submission's idempotency key: `web:<link id>:<form nonce>`; a replay of it has the same. */
  key: string;
}

export interface LinkPage {
  purpose: LinkPurpose;
  get(r: LinkRequest): Promise<PageContent>;
  /**
   * A form sent from the page. The link is already claimed for this submission (used up) when
   * this runs; `wrote: false` gives it back (nothing was recorded: stale, unchanged, invalid,
   * refused), so the person can try again with the same link.
   */
  post?(r: LinkPost): Promise<PageContent & { wrote: boolean }>;
  /**
   * A file under the link, GET /l/<token>/report/<file> (a report version to download): the
   * file, or a page saying why not. Read-only: it never uses the link up.
   */
  download?(r: LinkRequest, file: string): Promise<LinkDownload | PageContent>;
}

/** A file a page serves under its link (sent as an attachment, never shown inline). */
export interface LinkDownload {
  filename: string;
  mimeType: string;
  body: Buffer;
}
