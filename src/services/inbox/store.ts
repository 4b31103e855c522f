/**
 * The inbox table's statements (InboundInteraction), straight to the driver: the first of them
 * runs before every acknowledgement, so it is one cheap statement (src/db/sql.ts says why not Prisma).
 */
import { columnList, INBOUND_INTERACTION_COLUMNS, insertValues, type InboundInteraction } from '../../db/columns.js';
import { asDate, type Row, type SqlRunner } from '../../db/sql.js';
import { ACCOUNT_COLUMN, ACCOUNT_ORG_COLUMN, type AccountPlatform } from '../people.js';

export type InboxPlatform = 'slack' | 'teams' | 'web';
export type InboxKind = 'brag' | 'snooze' | 'not-mine';

/** A row as the inbox works it: the JSON columns parsed. */
export interface StoredInteraction<Reply = unknown> {
  key: string;
  platform: InboxPlatform;
  kind: InboxKind;
  workspaceId: string;
  personId: string | null;
  input: Record<string, unknown>;
  reply: Reply;
  receivedAt: Date;
  attempts: number;
}

/** Who clicked: already resolved by the channel, or a chat account resolved in the inbox write itself. */
export type Who = { personId: string | null } | { account: { platform: AccountPlatform; userId: string } };

export interface NewInteraction<Reply = unknown> {
  key: string;
  platform: InboxPlatform;
  kind: InboxKind;
  workspaceId: string;
  who: Who;
  input: Record<string, unknown>;
  reply: Reply;
  receivedAt: Date;
}

function fromRow<Reply>(r: Row): StoredInteraction<Reply> {
  return {
    key: String(r.key),
    platform: r.platform as InboxPlatform,
    kind: r.kind as InboxKind,
    workspaceId: String(r.workspaceId),
    personId: (r.personId as string | null) ?? null,
    input: JSON.parse(String(r.inputJson)) as Record<string, unknown>,
    reply: JSON.parse(String(r.replyJson)) as Reply,
    receivedAt: asDate(r.receivedAt)!,
    attempts: Number(r.attempts),
  };
}

const ALL = columnList(INBOUND_INTERACTION_COLUMNS);

/**
 * Writes the interaction, claimed by `claimedBy` until `claimedUntil`. Null when its key is there
 * already (a repeat: Slack's retry, a double click): then `existing` reads that row.
 */
export async function insertInteraction<Reply>(sql: SqlRunner, n: NewInteraction<Reply>, claimedBy: string, claimedUntil: Date): Promise<StoredInteraction<Reply> | null> {
  const byAccount = 'account' in n.who;
  const person = byAccount
    // An account resolved here is one of our own workspace's (a partner's is resolved by the
    // channel, by workspace and user id): a partner's person never answers to it (issue 15).
    ? `(SELECT "id" FROM "Person" WHERE "workspaceId" = $4 AND "${ACCOUNT_COLUMN[(n.who as { account: { platform: AccountPlatform } }).account.platform]}" = $5 AND "${ACCOUNT_ORG_COLUMN[(n.who as { account: { platform: AccountPlatform } }).account.platform]}" IS NULL)`
    : '$5';
  const exprs: Record<keyof InboundInteraction, string> = {
    key: '$1', platform: '$2', kind: '$3', workspaceId: '$4', personId: person, inputJson: '$6', replyJson: '$7', receivedAt: '$8',
    claimedBy: '$9', claimedUntil: '$10', attempts: '1', outcome: 'NULL', doneAt: 'NULL', lastError: 'NULL',
  };
  const who = 'account' in n.who ? n.who.account.userId : n.who.personId;
  const platformOf = 'account' in n.who ? n.who.account.platform : 'person';
  const rows = await sql.rows<{ personId: string | null }>(
    `INSERT INTO "InboundInteraction" ${insertValues<InboundInteraction>(INBOUND_INTERACTION_COLUMNS, exprs)} ON CONFLICT ("key") DO NOTHING RETURNING "personId"`,
    [n.key, n.platform, n.kind, n.workspaceId, who, JSON.stringify(n.input), JSON.stringify(n.reply), n.receivedAt, claimedBy, claimedUntil],
    `inbox-insert-${platformOf}`,
  );
  if (rows.length === 0) return null;
  return { key: n.key, platform: n.platform, kind: n.kind, workspaceId: n.workspaceId, personId: rows[0]!.personId ?? null, input: n.input, reply: n.reply, receivedAt: n.receivedAt, attempts: 1 };
}

export async function readInteraction<Reply>(sql: SqlRunner, key: string): Promise<(StoredInteraction<Reply> & { doneAt: Date | null; outcome: string | null }) | null> {
  const rows = await sql.rows(`SELECT ${ALL} FROM "InboundInteraction" WHERE "key" = $1`, [key]);
  const r = rows[0];
  return r ? { ...fromRow<Reply>(r), doneAt: asDate(r.doneAt), outcome: (r.outcome as string | null) ?? null } : null;
}

/** Claims up to `limit` interactions nobody is working on (never worked, or their lease ran out), oldest first. */
export async function claimUnfinished(sql: SqlRunner, o: { platforms: readonly InboxPlatform[]; claimedBy: string; now: Date; until: Date; limit: number }): Promise<StoredInteraction[]> {
  if (o.platforms.length === 0 || o.limit <= 0) return [];
  const platforms = o.platforms.map((_, i) => `$${i + 5}`).join(', ');
  const pick = `SELECT "key" FROM "InboundInteraction" WHERE "doneAt" IS NULL AND ("claimedUntil" IS NULL OR "claimedUntil" < $3) AND "platform" IN (${platforms}) ORDER BY "receivedAt" LIMIT $4`;
  // PostgreSQL: replicas sweeping at once skip each other's rows; SQLite has one writer.
  const locked = sql.provider === 'postgresql' ? `${pick} FOR UPDATE SKIP LOCKED` : pick;
  const rows = await sql.rows(
    `UPDATE "InboundInteraction" SET "claimedBy" = $1, "claimedUntil" = $2, "attempts" = "attempts" + 1 WHERE "key" IN (${locked}) RETURNING ${ALL}`,
    [o.claimedBy, o.until, o.now, o.limit, ...o.platforms],
  );
  return rows.map((r) => fromRow(r)).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/** Worked and told: nothing left to do. */
export async function markDone(sql: SqlRunner, key: string, outcome: string, now: Date, lastError: string | null = null): Promise<void> {
  await sql.run(
    `UPDATE "InboundInteraction" SET "doneAt" = $2, "outcome" = $3, "lastError" = $4, "claimedUntil" = NULL WHERE "key" = $1 AND "doneAt" IS NULL`,
    [key, now, outcome, lastError],
    'inbox-done',
  );
}

/** Not worked this time (the database failed): any process may try again after `retryAt`. */
export async function release(sql: SqlRunner, key: string, retryAt: Date, error: string): Promise<void> {
  await sql.run(`UPDATE "InboundInteraction" SET "claimedBy" = NULL, "claimedUntil" = $2, "lastError" = $3 WHERE "key" = $1 AND "doneAt" IS NULL`, [key, retryAt, error]);
}

/** Forgets interactions finished before `before` (the inbox is work to do, not a history: StatusUpdate is). */
export async function purgeDone(sql: SqlRunner, before: Date): Promise<number> {
  return sql.run(`DELETE FROM "InboundInteraction" WHERE "doneAt" IS NOT NULL AND "doneAt" < $1`, [before]);
}

/** Unfinished interactions (for /metrics and tests). */
export async function countUnfinished(sql: SqlRunner): Promise<number> {
  const rows = await sql.rows<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "InboundInteraction" WHERE "doneAt" IS NULL`);
  return Number(rows[0]?.n ?? 0);
}
