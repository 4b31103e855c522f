/**
 * Signed links: what lets someone with no chat account act on a message (issue 14 pt 3/5).
 *
 * A link's token is `<id>.<signature>`: 18 random bytes and an HMAC-SHA256 of them under
 * LINK_SECRET, both base64url. The signature is checked first (a tampered or made-up token costs
 * one HMAC and no database read); the database keeps only the SHA-256 of the whole token, so a
 * copy of the database or a log line holds nothing that opens a page. Each row says who the link
 * is for (one person), what it is for (its purpose: one action, one update round, one group), when
 * it expires and, once a write has used it, which write (usedKey): a write uses a link up, and the
 * exact same submission replayed is passed on to be answered "already recorded".
 *
 * The URL carries nothing but the token: no names, emails, action refs or group slugs.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';

export const LINK_PURPOSES = ['action', 'round', 'group'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** What a link lets its person open: one action, one meeting's update round, one group's plan. */
export type LinkScope =
  | { purpose: 'action'; actionId: string }
  | { purpose: 'round'; meetingId: string; groupId: string }
  | { purpose: 'group'; groupId: string };

export interface LinkSigner {
  /** LINK_SECRET. */
  secret: string;
  /** How long a new link works, in days (LINK_TTL_DAYS). */
  ttlDays: number;
}

export interface IssueLink {
  workspaceId: string;
  personId: string;
  scope: LinkScope;
  now: Date;
  /** The outbox message carrying it, and its route (recorded with a change made through it). */
  outboxKey?: string | undefined;
  route?: string | undefined;
  /**
   * The link goes into the outbox message itself (the email port): every send of that message
   * mints the same link. Not for a link a page mints later under the same outboxKey (the follow-up
   * after a write must be a new one: the opened link is used up).
   */
  inMessage?: boolean | undefined;
  /** Overrides the signer's ttlDays (a link shown on a page after a write is short-lived). */
  ttlMs?: number | undefined;
}

export interface Link {
  id: string;
  workspaceId: string;
  purpose: LinkPurpose;
  personId: string;
  actionId: string | null;
  meetingId: string | null;
  groupId: string | null;
  outboxKey: string | null;
  route: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  usedKey: string | null;
}

/** Why a token does not open a page, for the page that says so (nothing is written for any of them). */
export type LinkProblem = 'tampered' | 'unknown' | 'expired';

export type OpenedLink = { ok: true; link: Link } | { ok: false; problem: LinkProblem; link?: Link };

const ID_BYTES = 18;
const TOKEN = /^([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/;

const sign = (secret: string, id: string): string => createHmac('sha256', secret).update(`bragbot-link-v1:${id}`).digest('base64url');

/** The stored form of a token: its SHA-256 (tokens are random, so no salt is needed). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A short, non-reversible name for a token in logs and rate-limit keys (never the token). */
export const tokenTag = (token: string): string => tokenHash(token).slice(0, 12);

/** True when the token is one we signed (constant-time); says nothing about expiry or use. */
export function verifySignature(secret: string, token: string): boolean {
  const m = TOKEN.exec(token);
  if (!m) return false;
  const expected = Buffer.from(sign(secret, m[1]!));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * A link's id. Random, except for a link minted into an outbox message (inMessage): then it is derived (HMAC under
 * LINK_SECRET) from the message's idempotency key, the person and the scope, so a message sent
 * again — a retry after the mail server failed, a send repeated after a crash mid-send — carries
 * the very same links rather than a second live set (and adds no rows). Unguessable either way:
 * deriving it needs the secret.
 */
function linkId(secret: string, req: IssueLink): string {
  if (!req.inMessage || req.outboxKey === undefined) return randomBytes(ID_BYTES).toString('base64url');
  const s = req.scope;
  const what = s.purpose === 'action' ? `action:${s.actionId}` : s.purpose === 'round' ? `round:${s.meetingId}:${s.groupId}` : `group:${s.groupId}`;
  return createHmac('sha256', secret).update(`bragbot-link-id-v1\0${req.workspaceId}\0${req.outboxKey}\0${req.route ?? ''}\0${req.personId}\0${what}`).digest().subarray(0, ID_BYTES).toString('base64url');
}

/**
 * Mints a link and stores its hash; the token is returned to be put in the message. The same
 * outbox message's link minted again is the same row, with the expiry it was first given.
 */
export async function issueLink(db: Db, signer: LinkSigner, req: IssueLink): Promise<{ token: string; id: string; expiresAt: Date }> {
  const id = linkId(signer.secret, req);
  const token = `${id}.${sign(signer.secret, id)}`;
  const s = req.scope;
  const hash = tokenHash(token);
  const expiresAt = new Date(req.now.getTime() + (req.ttlMs ?? signer.ttlDays * 86_400_000));
  const data = {
    workspaceId: req.workspaceId,
    tokenHash: hash,
    purpose: s.purpose,
    personId: req.personId,
    actionId: s.purpose === 'action' ? s.actionId : null,
    meetingId: s.purpose === 'round' ? s.meetingId : null,
    groupId: s.purpose === 'action' ? null : s.groupId,
    outboxKey: req.outboxKey ?? null,
    route: req.route ?? null,
    expiresAt,
    createdAt: req.now,
  };
  let row: { id: string; expiresAt: Date };
  try {
    row = await db.signedLink.create({ data, select: { id: true, expiresAt: true } });
  } catch (e) {
    // The same message sent before (a retry, a send repeated after a crash) or at the same moment
    // (a replica whose claim lapsed): that row is this link, with the expiry it was first given.
    const again = isUniqueViolation(e) && req.inMessage ? await db.signedLink.findUnique({ where: { tokenHash: hash }, select: { id: true, expiresAt: true } }) : null;
    if (!again) throw e;
    row = again;
  }
  return { token, id: row.id, expiresAt: row.expiresAt };
}

const LINK_SELECT = {
  id: true, workspaceId: true, purpose: true, personId: true, actionId: true, meetingId: true, groupId: true,
  outboxKey: true, route: true, expiresAt: true, usedAt: true, usedKey: true,
} as const;

/** Reads a token: ours and unaltered, known, not expired. Use (for a write) is decided by claimLink. */
export async function openLink(db: Db, secret: string, token: string, now: Date): Promise<OpenedLink> {
  if (!verifySignature(secret, token)) return { ok: false, problem: 'tampered' };
  const row = await db.signedLink.findUnique({ where: { tokenHash: tokenHash(token) }, select: LINK_SELECT });
  if (!row) return { ok: false, problem: 'unknown' };
  const link = row as Link;
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired', link };
  return { ok: true, link };
}

export type Claim = 'claimed' | 'same-write' | 'used';

/**
 * Uses the link up for the write keyed `key`, before the write: one conditional UPDATE, so two
 * different submissions racing on one link cannot both write. 'same-write': this very
 * submission used it (a replay: the interaction answers "already recorded"). Call releaseLink
 * when the write then records nothing (stale, unchanged, invalid, refused), so the link still works.
 */
export async function claimLink(db: Db, linkId: string, key: string, now: Date): Promise<Claim> {
  const res = await db.signedLink.updateMany({ where: { id: linkId, usedAt: null }, data: { usedAt: now, usedKey: key } });
  if (res.count > 0) return 'claimed';
  const row = await db.signedLink.findUnique({ where: { id: linkId }, select: { usedKey: true } });
  return row?.usedKey === key ? 'same-write' : 'used';
}

/** Gives a claim back: the write it was for recorded nothing. */
export async function releaseLink(db: Db, linkId: string, key: string): Promise<void> {
  await db.signedLink.updateMany({ where: { id: linkId, usedKey: key }, data: { usedAt: null, usedKey: null } });
}

/** Where a token opens: PUBLIC_BASE_URL + /l/<token>. */
export function linkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/l/${token}`;
}
