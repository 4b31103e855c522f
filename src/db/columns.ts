/**
 * Column lists for the raw statements, in ONE place, taken from the generated client (that is,
 * from prisma/schema.prisma): a raw INSERT never copies a model's columns by hand. Each statement
 * gives a value (or an SQL expression) per column through a `Record` over the model's fields, so
 * a column added to the schema fails to compile in every raw INSERT until it is given a value;
 * tests/db/columns.test.ts checks these lists against the migrated databases' own tables.
 */
import { Prisma } from './client.js';
import type { AuditEventModel as AuditEvent, InboundInteractionModel as InboundInteraction, StatusUpdateModel as StatusUpdate } from './client.js';

export type { AuditEvent, InboundInteraction, StatusUpdate };

export const STATUS_UPDATE_COLUMNS = Object.values(Prisma.StatusUpdateScalarFieldEnum) as readonly (keyof StatusUpdate & string)[];
export const INBOUND_INTERACTION_COLUMNS = Object.values(Prisma.InboundInteractionScalarFieldEnum) as readonly (keyof InboundInteraction & string)[];
export const AUDIT_EVENT_COLUMNS = Object.values(Prisma.AuditEventScalarFieldEnum) as readonly (keyof AuditEvent & string)[];

/** The models raw SQL writes, by table name (the test reads each table's real columns). */
export const RAW_WRITTEN_TABLES = { StatusUpdate: STATUS_UPDATE_COLUMNS, InboundInteraction: INBOUND_INTERACTION_COLUMNS, AuditEvent: AUDIT_EVENT_COLUMNS } as const;

const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');

/**
 * `("a", "b", …) SELECT <expr a>, <expr b>, …` for `INSERT INTO "T" … FROM …`: one SQL expression
 * per column, in the schema's order.
 */
export function insertSelect<M>(columns: readonly (keyof M & string)[], exprs: Record<keyof M & string, string>): string {
  return `(${quoted(columns)}) SELECT ${columns.map((c) => exprs[c]).join(', ')}`;
}

/** `("a", "b", …) VALUES (<expr a>, <expr b>, …)`. */
export function insertValues<M>(columns: readonly (keyof M & string)[], exprs: Record<keyof M & string, string>): string {
  return `(${quoted(columns)}) VALUES (${columns.map((c) => exprs[c]).join(', ')})`;
}

/** A row's values in the columns' order (every column required by the type), for multi-row VALUES. */
export function valuesInOrder<M>(columns: readonly (keyof M)[], row: { [K in keyof M]: unknown }): unknown[] {
  return columns.map((c) => row[c]);
}

/** `"a", "b", …` */
export const columnList = (columns: readonly string[]): string => quoted(columns);
