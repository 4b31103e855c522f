/**
 * A BRAG click recorded by ONE conditional statement (issue 16): it writes the StatusUpdate (and
 * its audit row, src/services/audit.ts) and changes the action only when everything a click needs holds —
 *   the caller is a person of the workspace holding a role that grants `action.update` (the
 *   access module's SQL for the matrix: authorisation is in the WHERE, so it comes first),
 *   the action is in the workspace and not archived, the button's version is current (when it
 *   has one), the BRAG is a change, and the idempotency key is new (ON CONFLICT DO NOTHING) —
 * and returns the action as it now is, so the channel can redraw it without reading it again.
 * When nothing was written the caller asks why (refused, repeat, stale, unchanged) the slow way:
 * that is rare, and it is where the sentences are.
 *
 * PostgreSQL: one statement (a data-modifying WITH; the action row is locked FOR UPDATE, so a
 * concurrent click on it waits and then sees the new state). SQLite cannot change three tables in
 * one statement without a trigger, so there the statement is the conditional INSERT of the
 * StatusUpdate, and a TEMP trigger on the driver connection (src/db/sql.ts) writes its audit row
 * and changes the action as part of that statement: atomic as any statement, no BEGIN/COMMIT
 * around it. A TEMP trigger lives on its one connection, so Prisma's connection and other
 * processes never see it. No interactive transaction either way.
 */
import type { Brag } from '../core/brag.js';
import type { ActionCard } from '../core/chat.js';
import { realClock } from '../clock.js';
import { insertSelect, STATUS_UPDATE_COLUMNS, type StatusUpdate } from '../db/columns.js';
import { param, type SqlRunner, type SqlValue } from '../db/sql.js';
import { capabilityOnActionSql } from './access.js';
import { auditOfStatusUpdate } from './audit.js';
import { toActionCard, versionOf } from './actions.js';
import { newId } from '../db/ids.js';
import type { UpdateChannel } from './status-updates.js';

export interface BragChange {
  workspaceId: string;
  actionId: string;
  personId: string;
  brag: Exclude<Brag, 'unrated'>;
  /** The action's version when the button was drawn (versionOf); undefined: no version on the button. */
  version?: string | undefined;
  channel: UpdateChannel;
  /** The route the change came through (a link in an email), recorded with it; one of src/delivery/routes.ts. */
  route?: string | undefined;
  idempotencyKey: string;
  now: Date;
}

export interface BragChanged {
  fromBrag: Brag;
  toBrag: Brag;
  actorName: string;
  /** The action as it now is, and its new version: what the channel redraws. */
  card: ActionCard;
  version: string;
}

/** The version token back to the instant it stands for; null when it is not one of ours. */
function versionInstant(version: string): Date | null {
  if (!/^[0-9a-z]{1,12}$/.test(version)) return null;
  const ms = parseInt(version, 36);
  return Number.isSafeInteger(ms) ? new Date(ms) : null;
}

// $1 action, $2 workspace, $3 person, $4 brag, $5 StatusUpdate id, $6 now, $7 channel, $8 key, $9 version stamp, $10 the button's version.
/** A route as an SQL literal: routes are a fixed set of words (src/delivery/routes.ts), checked here, never free text. */
function routeLiteral(route: string | undefined): string {
  if (route === undefined) return 'NULL';
  if (!/^[a-z][a-z-]{0,31}$/.test(route)) throw new Error(`not a route: ${route}`);
  return `'${route}'`;
}

const statusUpdate = (route: string | undefined): Record<keyof StatusUpdate & string, string> => ({
  id: '$5', actionId: 'a."id"', personId: 'p."id"', actorName: 'p."name"', at: '$6', kind: `'update'`, fromBrag: 'a."brag"', toBrag: '$4',
  fromProgress: 'NULL', toProgress: 'NULL', note: 'NULL', evidence: 'NULL', fromDueRaw: 'NULL', revisedDueRaw: 'NULL', revisedDueDate: 'NULL',
  channel: '$7', route: routeLiteral(route), idempotencyKey: '$8',
});

const candidate = (versioned: boolean, pg: boolean) => `FROM "Action" a
  JOIN "Group" g ON g."id" = a."groupId"
  JOIN "Person" p ON p."id" = $3 AND p."workspaceId" = g."workspaceId"
  WHERE a."id" = $1 AND g."workspaceId" = $2 AND a."archivedAt" IS NULL AND a."brag" <> $4
    ${versioned ? `AND a."updatedAt" = $10${pg ? '::timestamp' : ''}` : ''}
    AND ${capabilityOnActionSql('action.update')}`;

const CARD_COLUMNS = ['id', 'groupId', 'ref', 'activity', 'progress', 'dueKind', 'dueDate', 'dueRaw', 'brag', 'leadAgency', 'leadOfficer', 'updatedAt'] as const;

/** Group, owners and latest note of the changed action `x` (scalar subqueries, both engines). */
const cardExtras = (x: string, pg: boolean) => `
  (SELECT g2."slug" FROM "Group" g2 WHERE g2."id" = ${x}."groupId") AS "groupSlug",
  (SELECT g2."name" FROM "Group" g2 WHERE g2."id" = ${x}."groupId") AS "groupName",
  (SELECT g2."settingsJson" FROM "Group" g2 WHERE g2."id" = ${x}."groupId") AS "settingsJson",
  (SELECT ${pg ? 'string_agg(op."name", chr(31))' : 'group_concat(op."name", char(31))'} FROM "ActionOwner" o2 JOIN "Person" op ON op."id" = o2."personId" WHERE o2."actionId" = ${x}."id") AS "ownerNames",
  (SELECT s2."note" FROM "StatusUpdate" s2 WHERE s2."actionId" = ${x}."id" AND s2."note" IS NOT NULL ORDER BY s2."at" DESC LIMIT 1) AS "latestNote"`;

const sqlCache = new Map<string, string>();
function statement(name: string, build: () => string): string {
  let s = sqlCache.get(name);
  if (!s) sqlCache.set(name, (s = build()));
  return s;
}

function postgresStatement(versioned: boolean, route: string | undefined): string {
  return statement(`pg:${versioned}:${route ?? ''}`, () => `WITH cur AS (
    SELECT a."id", a."brag", p."id" AS "personId", p."name" AS "actorName" ${candidate(versioned, true)}
    FOR UPDATE OF a
  ), ins AS (
    INSERT INTO "StatusUpdate" ${insertSelect<StatusUpdate>(STATUS_UPDATE_COLUMNS, { ...statusUpdate(route), actionId: 'a."id"', personId: 'a."personId"', actorName: 'a."actorName"' })} FROM cur a
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING *
  ), aud AS (
    ${auditOfStatusUpdate('ins', 'ax', 'gx')} FROM ins JOIN "Action" ax ON ax."id" = ins."actionId" JOIN "Group" gx ON gx."id" = ax."groupId"
  ), upd AS (
    UPDATE "Action" u SET "brag" = $4, "updatedAt" = $9, "lastUpdatedAt" = $6 FROM ins WHERE u."id" = ins."actionId"
    RETURNING ${CARD_COLUMNS.map((c) => `u."${c}"`).join(', ')}, ins."fromBrag", ins."actorName"
  )
  SELECT upd.*, ${cardExtras('upd', true)} FROM upd`);
}

type Changed = Record<string, unknown>;

// ---- SQLite: the INSERT, and the trigger that makes the rest of the change part of it ----

/** The version stamp of each StatusUpdate this module's statement is inserting, by its id: what the trigger stamps the action with. */
const stamps = new Map<string, string>();
const STAMP_FUNCTION = 'bragbot_brag_change_stamp';

/**
 * After this connection inserts a StatusUpdate: its audit row (src/services/audit.ts) and the
 * action's new BRAG, version and last update, in the same statement. A StatusUpdate this module
 * did not stamp is refused (the whole statement fails): nothing else can change an action by it.
 */
const sqliteTrigger = () => `CREATE TEMP TRIGGER "bragbot_brag_change" AFTER INSERT ON main."StatusUpdate"
BEGIN
  SELECT RAISE(ABORT, 'a StatusUpdate written through this connection is a BRAG change of src/services/brag-change.ts') WHERE ${STAMP_FUNCTION}(NEW."id") IS NULL;
  ${auditOfStatusUpdate('s', 'a', 'g')} FROM "StatusUpdate" s JOIN "Action" a ON a."id" = s."actionId" JOIN "Group" g ON g."id" = a."groupId" WHERE s."id" = NEW."id";
  UPDATE "Action" SET "brag" = NEW."toBrag", "updatedAt" = ${STAMP_FUNCTION}(NEW."id"), "lastUpdatedAt" = NEW."at" WHERE "id" = NEW."actionId";
END`;

/** The action as its card shows it, read in the INSERT's RETURNING: one JSON object of scalar subqueries. */
const sqliteCard = () => `(SELECT json_object(${CARD_COLUMNS.map((c) => `'${c}', x."${c}"`).join(', ')},
    'groupSlug', g2."slug", 'groupName', g2."name", 'settingsJson', g2."settingsJson",
    'ownerNames', (SELECT group_concat(op."name", char(31)) FROM "ActionOwner" o2 JOIN "Person" op ON op."id" = o2."personId" WHERE o2."actionId" = x."id"),
    'latestNote', (SELECT s2."note" FROM "StatusUpdate" s2 WHERE s2."actionId" = x."id" AND s2."note" IS NOT NULL ORDER BY s2."at" DESC LIMIT 1))
  FROM "Action" x JOIN "Group" g2 ON g2."id" = x."groupId" WHERE x."id" = "StatusUpdate"."actionId")`;

const sqliteStatement = (versioned: boolean, route: string | undefined) =>
  statement(`sqlite:${versioned}:${route ?? ''}`, () => `INSERT INTO "StatusUpdate" ${insertSelect<StatusUpdate>(STATUS_UPDATE_COLUMNS, statusUpdate(route))}
  ${candidate(versioned, false)}
  ON CONFLICT ("idempotencyKey") DO NOTHING
  RETURNING "fromBrag", "actorName", ${sqliteCard()} AS "card"`);

async function sqliteChange(sql: SqlRunner, versioned: boolean, route: string | undefined, params: SqlValue[], stamp: Date): Promise<Changed | undefined> {
  sql.setUpConnection('brag-change', (connection) => {
    connection.function(STAMP_FUNCTION, (statusUpdateId) => stamps.get(String(statusUpdateId)) ?? null);
    connection.exec(sqliteTrigger());
  });
  const id = String(params[4]);
  // The stamp ($9) reaches the trigger through its function; the INSERT itself does not name it.
  stamps.set(id, String(param(stamp, 'sqlite')));
  try {
    const [r] = await sql.rows<{ fromBrag: string; actorName: string; card: string }>(sqliteStatement(versioned, route), params);
    return r ? { ...(JSON.parse(r.card) as Changed), fromBrag: r.fromBrag, actorName: r.actorName } : undefined;
  } finally {
    stamps.delete(id);
  }
}


/** Records the click when it is authorised, current, a change and new; null when nothing was written. */
export async function recordBragChange(sql: SqlRunner, c: BragChange, today: string): Promise<BragChanged | null> {
  const versionAt = c.version !== undefined ? versionInstant(c.version) : null;
  if (c.version !== undefined && !versionAt) return null; // not a version of ours: stale, say so the slow way
  const versioned = versionAt !== null;
  // The version token, as Prisma's @updatedAt stamps it: the machine's clock (a token, never a time
  // shown). It must differ from the version it replaces: a change within the same millisecond as
  // the last one (a burst of clicks; found by a race test on CI) got the same token, so a second
  // click drawn on the old card passed the version check and was recorded too.
  const machine = realClock();
  const stamp = versionAt && machine.getTime() <= versionAt.getTime() ? new Date(versionAt.getTime() + 1) : machine;
  const params: SqlValue[] = [c.actionId, c.workspaceId, c.personId, c.brag, newId(), c.now, c.channel, c.idempotencyKey, stamp, ...(versioned ? [versionAt] : [])];
  const row = sql.provider === 'postgresql'
    ? (await sql.rows<Changed>(postgresStatement(versioned, c.route), params, `brag-change${versioned ? '-v' : ''}${c.route ? `-${c.route}` : ''}`))[0]
    : await sqliteChange(sql, versioned, c.route, params, stamp);
  if (!row) return null;
  // What this change wrote (the card's subqueries may read the action either side of SQLite's trigger).
  const updatedAt = stamp;
  row.brag = c.brag;
  const ownerNames = typeof row.ownerNames === 'string' && row.ownerNames !== '' ? row.ownerNames.split('\u001f').sort() : [];
  const card = toActionCard(
    {
      id: String(row.id), ref: String(row.ref), activity: String(row.activity), progress: String(row.progress), dueKind: String(row.dueKind),
      dueDate: (row.dueDate as string | null) ?? null, dueRaw: String(row.dueRaw), brag: String(row.brag), leadAgency: String(row.leadAgency), leadOfficer: String(row.leadOfficer),
      group: { slug: String(row.groupSlug), name: String(row.groupName), settingsJson: String(row.settingsJson) },
      owners: ownerNames.map((name) => ({ person: { name } })),
      updates: row.latestNote ? [{ note: String(row.latestNote) }] : [],
    },
    today,
  );
  return { fromBrag: row.fromBrag as Brag, toBrag: c.brag, actorName: String(row.actorName), card, version: versionOf(updatedAt) };
}
