/**
 * Import a council's action plan file into a group: read → parse (pure) → diff (pure) →
 * write everything in ONE transaction, or nothing. A file with any row-level error writes
 * nothing and says which rows to fix; every guess comes back as a warning naming its row.
 * Re-importing updates in place: changed BRAG, progress or dates are recorded as StatusUpdates
 * through the 'import' channel, so the history shows them like any other update.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { idEntropy, realClock } from '../clock.js';
import { BRAGS, type Brag } from '../core/brag.js';
import { BragbotError } from '../core/errors.js';
import { diffPlan, extraToJson, sourceToJson, type ExistingAction, type PlanDiff } from '../core/import/diff.js';
import { MappingFile, type StoredLayout } from '../core/import/layout.js';
import type { Issue } from '../core/import/parse-plan.js';
import { parseWorkbook, storedLayout, type ParsedWorkbook } from '../core/import/workbook.js';
import { Prisma, type Db } from '../db/client.js';
import { columnList, STATUS_UPDATE_COLUMNS, valuesInOrder, type StatusUpdate } from '../db/columns.js';
import type { ReadLimits } from '../io/limits.js';
import { readTables } from '../io/read-table.js';
import { auditStatusUpdates, recordAudit, type AuditActor, type AuditEntry } from './audit.js';
import { findGroupBySlug } from './groups.js';

export interface ImportOptions {
  workspaceId: string;
  groupSlug: string;
  path: string;
  /** Path of a JSON mapping file, for layouts the header recognition does not know. */
  mappingPath?: string | undefined;
  sheet?: string | undefined;
  /** The name of a group this import creates (default: the file's title row, else the slug in words). */
  name?: string | undefined;
  dryRun?: boolean | undefined;
  now: Date;
  onProgress?: ((stage: 'read' | 'write', done: number, total?: number) => void) | undefined;
  /** Give up reading after this long (a shorter limits.maxReadMs). */
  idleTimeoutMs?: number | undefined;
  /** What a plan can be (io/limits.ts); tests narrow them, the CLI keeps the defaults. */
  limits?: Partial<ReadLimits> | undefined;
}

export type { StoredLayout };

export interface ImportSummary {
  group: string;
  groupCreated: boolean;
  /** The group's name (for a new group: --name, the file's title row, or the slug in words). */
  groupName: string;
  file: string;
  /** The first sheet imported (null for a CSV). */
  sheet: string | null;
  /** Every sheet imported, in workbook order. */
  sheets: string[];
  /** Sheets with no action table, and why. */
  skippedSheets: { sheet: string; reason: string }[];
  layout: string;
  dryRun: boolean;
  written: boolean;
  objectives: number;
  actions: number;
  brag: Record<Brag, number>;
  created: { row: number; ref: string; rowKey: string }[];
  updated: { row: number; ref: string; rowKey: string; changes: { field: string; from: string; to: string }[] }[];
  unchanged: number;
  archived: { ref: string; rowKey: string }[];
  warnings: Issue[];
  errors: Issue[];
}

async function loadMapping(path: string | undefined): Promise<MappingFile | undefined> {
  if (!path) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new BragbotError('INPUT_INVALID', `mapping file ${path}: ${(e as Error).message}`);
  }
  const parsed = MappingFile.safeParse(json);
  if (!parsed.success) {
    throw new BragbotError('INPUT_INVALID', `mapping file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Reads and parses every sheet that holds an action table (or the one --sheet names). */
export async function readPlanFile(
  path: string,
  options: Pick<ImportOptions, 'mappingPath' | 'sheet' | 'onProgress' | 'idleTimeoutMs' | 'limits'> = {},
): Promise<ParsedWorkbook> {
  const mapping = await loadMapping(options.mappingPath);
  const sheet = options.sheet ?? mapping?.sheet;
  const tables = await readTables(path, {
    ...(sheet ? { sheet } : {}),
    ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    onProgress: (n) => options.onProgress?.('read', n),
  });
  return parseWorkbook(tables, mapping ? { mapping } : {});
}

function summarise(groupSlug: string, groupName: string, groupCreated: boolean, file: string, plan: ParsedWorkbook, diff: PlanDiff | null, dryRun: boolean, written: boolean): ImportSummary {
  const brag = Object.fromEntries(BRAGS.map((b) => [b, 0])) as Record<Brag, number>;
  for (const a of plan.actions) brag[a.brag] += 1;
  return {
    group: groupSlug,
    groupCreated,
    groupName,
    file,
    sheet: plan.layout.sheet ?? null,
    sheets: plan.layout.sheet === undefined ? [] : plan.sheets.filter((x) => x.imported).map((x) => x.sheet),
    skippedSheets: plan.layouts.length === 0 ? [] : plan.sheets.filter((x) => !x.imported).map((x) => ({ sheet: x.sheet, reason: x.reason ?? '' })),
    layout: plan.layout.name,
    dryRun,
    written,
    objectives: plan.objectives.length,
    actions: plan.actions.length,
    brag,
    created: (diff?.created ?? []).map((a) => ({ row: a.row, ref: a.ref, rowKey: a.rowKey })),
    updated: (diff?.updated ?? []).map((u) => ({ row: u.parsed.row, ref: u.parsed.ref, rowKey: u.parsed.rowKey, changes: u.changes })),
    unchanged: diff?.unchanged.length ?? 0,
    archived: (diff?.archived ?? []).map((a) => ({ ref: a.ref, rowKey: a.rowKey })),
    warnings: plan.warnings,
    errors: plan.errors,
  };
}

export async function importPlan(db: Db, opts: ImportOptions): Promise<ImportSummary> {
  const file = basename(opts.path);
  const plan = await readPlanFile(opts.path, opts);
  const existingGroup = await findGroupBySlug(db, opts.workspaceId, opts.groupSlug);
  const groupName = opts.name?.trim() || existingGroup?.name || plan.title?.replace(/\s+/g, ' ').slice(0, 120) || titleFromSlug(opts.groupSlug);
  if (plan.errors.length > 0) {
    const summary = summarise(opts.groupSlug, groupName, !existingGroup, file, plan, null, !!opts.dryRun, false);
    throw new BragbotError(
      'IMPORT_INVALID',
      `${file}: ${plan.errors.length} row${plan.errors.length === 1 ? '' : 's'} to fix before it can be imported; nothing was written.\n${plan.errors.map((e) => `  ${e.sheet ? `sheet "${e.sheet}" ` : ''}row ${e.row}${e.column ? ` (${e.column})` : ''}: ${e.message.replace(/^row \d+: /, '')}`).join('\n')}`,
      summary,
    );
  }

  const existing: ExistingAction[] = existingGroup
    ? (
        await db.action.findMany({
          where: { groupId: existingGroup.id },
          select: { id: true, rowKey: true, ref: true, activity: true, progress: true, evidence: true, leadAgency: true, leadOfficer: true, dueRaw: true, brag: true, extraJson: true, sourceJson: true, archivedAt: true, objective: { select: { position: true } } },
        })
      ).map((a) => ({ ...a, brag: a.brag as Brag, archived: a.archivedAt !== null, objectivePosition: a.objective?.position ?? null }))
    : [];
  const diff = diffPlan(existing, plan.actions);
  if (opts.dryRun) return summarise(opts.groupSlug, groupName, !existingGroup, file, plan, diff, true, false);

  const sha256 = createHash('sha256').update(await readFile(opts.path)).digest('hex');
  const layout = storedLayout(plan, fileTypeOf(opts.path));
  await applyImport(db, { workspaceId: opts.workspaceId, groupSlug: opts.groupSlug, groupName, groupCreated: !existingGroup, renameGroup: !!opts.name?.trim(), plan, diff, layout, file, sha256, now: opts.now, onProgress: opts.onProgress });
  return summarise(opts.groupSlug, groupName, !existingGroup, file, plan, diff, false, true);
}

function fileTypeOf(path: string): StoredLayout['fileType'] {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.ods') return 'ods';
  if (ext === '.docx') return 'docx';
  return 'xlsx';
}

// Rows per statement. Small enough that the last 100 statements' arguments, which Prisma's debug
// module keeps in memory whether or not DEBUG is set, stay small (at 1,000 rows a 100,000-row import
// held ~170 MB of them until it finished); large enough that per-statement cost does not show.
const CHUNK = 250;
function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * A collision-resistant id in the shape of Prisma's cuid() (25 lower-case characters starting
 * with 'c'), for rows inserted with raw SQL: time, a per-process counter and random bytes.
 */
let idCounter = 0;
const idFingerprint = randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, '0').slice(-4);
let randomPool = Buffer.alloc(0);
let randomAt = 0;
function newId(): string {
  idCounter = (idCounter + 1) % 36 ** 4;
  // Random bytes drawn 6 KiB at a time: one randomBytes call per id was measurable at 100,000 rows.
  if (randomAt + 6 > randomPool.length) {
    randomPool = randomBytes(6 * 1024);
    randomAt = 0;
  }
  const random = randomPool.readUIntBE(randomAt, 6).toString(36).padStart(8, '0').slice(-8);
  randomAt += 6;
  return `c${idEntropy().toString(36).padStart(8, '0').slice(-8)}${idCounter.toString(36).padStart(4, '0')}${idFingerprint}${random}`;
}

const titleFromSlug = (slug: string): string => slug.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

interface ApplyArgs {
  workspaceId: string;
  groupSlug: string;
  groupName: string;
  groupCreated: boolean;
  /** --name given: an existing group takes it too. */
  renameGroup: boolean;
  plan: ParsedWorkbook;
  diff: PlanDiff;
  layout: StoredLayout;
  file: string;
  sha256: string;
  now: Date;
  onProgress?: ImportOptions['onProgress'];
}

async function applyImport(db: Db, a: ApplyArgs): Promise<void> {
  const { plan, diff, now } = a;
  const total = diff.created.length + diff.updated.length;
  await db.$transaction(
    async (tx) => {
      // A new group is created in the same transaction: a failed first import leaves no empty group behind.
      const { id: groupId } = await tx.group.upsert({
        where: { workspaceId_slug: { workspaceId: a.workspaceId, slug: a.groupSlug } },
        create: { workspaceId: a.workspaceId, slug: a.groupSlug, name: a.groupName },
        update: a.renameGroup ? { name: a.groupName } : {},
        select: { id: true },
      });
      // Objectives are positional: the file's order is the plan's order. One statement per chunk
      // (an upsert each was a compiled Prisma query each: 2,000 of them in a 100,000-row plan).
      for (const part of chunks(plan.objectives, CHUNK)) {
        const values = part.map((o) => Prisma.sql`(${newId()}, ${groupId}, ${o.position}, ${o.code}, ${o.title}, ${o.description}, ${JSON.stringify(o.source)})`);
        await tx.$executeRaw`INSERT INTO "Objective" ("id", "groupId", "position", "code", "title", "description", "sourceJson") VALUES ${Prisma.join(values)}
          ON CONFLICT ("groupId", "position") DO UPDATE SET "code" = excluded."code", "title" = excluded."title", "description" = excluded."description", "sourceJson" = excluded."sourceJson"`;
      }
      await tx.objective.deleteMany({ where: { groupId, position: { gt: plan.objectives.length } } });
      const objectiveIds = new Map((await tx.objective.findMany({ where: { groupId }, select: { id: true, position: true } })).map((o) => [o.position, o.id]));

      // Lead officers named in the plan become people (owners), matched by name, so a chair can
      // map them to Slack/Teams later with `bragbot people set`. Existing people are kept as they are.
      const officerIds = new Map<string, string>();
      for (const part of chunks([...new Set(plan.actions.flatMap((p) => p.leadOfficers))], CHUNK)) {
        const values = part.map((name) => Prisma.sql`(${newId()}, ${a.workspaceId}, ${name}, ${now})`);
        await tx.$executeRaw`INSERT INTO "Person" ("id", "workspaceId", "name", "createdAt") VALUES ${Prisma.join(values)} ON CONFLICT ("workspaceId", "name") DO NOTHING`;
        for (const person of await tx.person.findMany({ where: { workspaceId: a.workspaceId, name: { in: part } }, select: { id: true, name: true } })) {
          officerIds.set(person.name, person.id);
        }
      }

      const fields = (p: (typeof plan.actions)[number]) => ({
        objectiveId: p.objectivePosition === null ? null : (objectiveIds.get(p.objectivePosition) ?? null),
        ref: p.ref,
        position: p.position,
        activity: p.activity,
        progress: p.progress,
        evidence: p.evidence,
        leadAgency: p.leadAgency,
        leadOfficer: p.leadOfficer,
        dueKind: p.due.kind,
        dueDate: p.due.date,
        dueRaw: p.due.raw,
        brag: p.brag,
        extraJson: extraToJson(p.extra),
        sourceJson: sourceToJson(p.source),
      });

      // New actions and their owners go in as multi-row INSERTs, in chunks: Prisma's createMany
      // compiled and interpreted a query plan per chunk in WASM, which was most of a 10,000-row
      // import's time and memory (found by the import benchmark). Ids are made here, so the new
      // rows need not be read back to link their owners. Chunks keep each statement under the
      // databases' parameter caps (SQLite 32,766; PostgreSQL 65,535).
      if (diff.created.length > 0) {
        const owners: { id: string; actionId: string; personId: string }[] = [];
        for (const part of chunks(diff.created, CHUNK)) {
          const values = part.map((p) => {
            const id = newId();
            for (const name of new Set(p.leadOfficers)) {
              const personId = officerIds.get(name);
              if (personId) owners.push({ id: newId(), actionId: id, personId });
            }
            const f = fields(p);
            return Prisma.sql`(${id}, ${groupId}, ${f.objectiveId}, ${f.ref}, ${p.rowKey}, ${f.position}, ${f.activity}, ${f.progress}, ${f.evidence}, ${f.leadAgency}, ${f.leadOfficer}, ${f.dueKind}, ${f.dueDate}, ${f.dueRaw}, ${f.brag}, ${f.extraJson}, ${f.sourceJson}, ${now}, ${now})`;
          });
          await tx.$executeRaw`INSERT INTO "Action" ("id", "groupId", "objectiveId", "ref", "rowKey", "position", "activity", "progress", "evidence", "leadAgency", "leadOfficer", "dueKind", "dueDate", "dueRaw", "brag", "extraJson", "sourceJson", "createdAt", "updatedAt") VALUES ${Prisma.join(values)}`;
        }
        for (const part of chunks(owners, CHUNK)) {
          await tx.$executeRaw`INSERT INTO "ActionOwner" ("id", "actionId", "personId") VALUES ${Prisma.join(part.map((o) => Prisma.sql`(${o.id}, ${o.actionId}, ${o.personId})`))}`;
        }
      }
      a.onProgress?.('write', diff.created.length, total);

      // Changed rows: one raw UPDATE each, the history and new owners as multi-row INSERTs. Each
      // Prisma update/create was a query plan compiled in WASM: re-importing 2,000 changed rows
      // took ~6 s, so a large plan would hold the write lock for minutes (import benchmark).
      let done = diff.created.length;
      const history: Prisma.Sql[] = [];
      const historyIds: string[] = [];
      const newOwners: Prisma.Sql[] = [];
      // The row's version stamp (chat buttons carry it; see versionOf in actions.ts), as Prisma's
      // @updatedAt writes it: the machine's clock, so it differs from the last version even when the
      // deployment's clock stands still (a test's fixed clock). It is never shown as a time.
      const wallClock = realClock();
      for (const u of diff.updated) {
        const p = u.parsed;
        const f = fields(p);
        const changed = (field: string) => u.changes.some((c) => c.field === field);
        const reported = changed('brag') || changed('progress') || changed('dueRaw') || changed('evidence');
        await tx.$executeRaw`UPDATE "Action" SET "objectiveId" = ${f.objectiveId}, "ref" = ${f.ref}, "position" = ${f.position}, "activity" = ${f.activity},
          "progress" = ${f.progress}, "evidence" = ${f.evidence}, "leadAgency" = ${f.leadAgency}, "leadOfficer" = ${f.leadOfficer}, "dueKind" = ${f.dueKind},
          "dueDate" = ${f.dueDate}, "dueRaw" = ${f.dueRaw}, "brag" = ${f.brag}, "extraJson" = ${f.extraJson}, "sourceJson" = ${f.sourceJson}, "archivedAt" = NULL, "updatedAt" = ${wallClock}
          ${reported ? Prisma.sql`, "lastUpdatedAt" = ${now}` : Prisma.empty}
          WHERE "id" = ${u.existing.id}`;
        if (reported) {
          // The history records what the file changed, like any other update, through 'import'.
          const historyId = newId();
          historyIds.push(historyId);
          // Every StatusUpdate column by name (src/db/columns.ts): a column added to the schema
          // fails to compile here until the import says what it writes in it.
          const row: Record<keyof StatusUpdate, unknown> = {
            id: historyId, actionId: u.existing.id, personId: null, actorName: `import of ${a.file}`, at: now, kind: 'import',
            fromBrag: u.existing.brag, toBrag: p.brag,
            fromProgress: changed('progress') ? u.existing.progress : null, toProgress: changed('progress') ? p.progress : null,
            note: null, evidence: changed('evidence') ? p.evidence : null,
            fromDueRaw: changed('dueRaw') ? u.existing.dueRaw : null, revisedDueRaw: changed('dueRaw') ? p.due.raw : null, revisedDueDate: changed('dueRaw') ? p.due.date : null,
            channel: 'import', route: null, idempotencyKey: `import:${a.sha256}:${groupId}:${p.rowKey}`,
          };
          history.push(Prisma.sql`(${Prisma.join(valuesInOrder(STATUS_UPDATE_COLUMNS, row))})`);
        }
        if (changed('leadOfficer')) {
          for (const name of new Set(p.leadOfficers)) {
            const personId = officerIds.get(name);
            if (personId) newOwners.push(Prisma.sql`(${newId()}, ${u.existing.id}, ${personId})`);
          }
        }
        done += 1;
        if (done % 500 === 0) a.onProgress?.('write', done, total);
      }
      for (const part of chunks(history, CHUNK)) {
        await tx.$executeRaw`INSERT INTO "StatusUpdate" (${Prisma.raw(columnList(STATUS_UPDATE_COLUMNS))}) VALUES ${Prisma.join(part)}`;
      }
      // Their audit rows: one INSERT … SELECT per 250 (src/services/audit.ts), in this transaction.
      await auditStatusUpdates(tx, historyIds);
      for (const part of chunks(newOwners, CHUNK)) {
        await tx.$executeRaw`INSERT INTO "ActionOwner" ("id", "actionId", "personId") VALUES ${Prisma.join(part)} ON CONFLICT ("actionId", "personId") DO NOTHING`;
      }

      for (const part of chunks(diff.archived, CHUNK)) {
        await tx.action.updateMany({ where: { id: { in: part.map((x) => x.id) } }, data: { archivedAt: now } });
      }
      await tx.group.update({ where: { id: groupId }, data: { layoutJson: JSON.stringify(a.layout) } });
      // The audit: the group if this import made it, every action archived or brought back, the run itself.
      const by: AuditActor = { personId: null, name: `import of ${a.file}`, channel: 'import' };
      const entry = (e: Omit<AuditEntry, 'workspaceId' | 'groupId' | 'at' | 'by'>): AuditEntry => ({ workspaceId: a.workspaceId, groupId, at: now, by, ...e });
      await recordAudit(tx, [
        ...(a.groupCreated ? [entry({ kind: 'group-created', to: a.groupName, summary: `Group ${a.groupSlug} (${a.groupName}) created by importing ${a.file}` })] : []),
        ...diff.archived.map((x) => entry({ kind: 'archived', action: { id: x.id, ref: x.ref }, summary: `No longer in ${a.file}: archived (its history kept)` })),
        ...diff.updated.filter((u) => u.existing.archived).map((u) => entry({ kind: 'restored', action: { id: u.existing.id, ref: u.parsed.ref }, summary: `Back in ${a.file}: no longer archived` })),
        entry({
          kind: 'import', to: a.sha256,
          summary: `Imported ${a.file} (${a.layout.name}): ${diff.created.length} added, ${diff.updated.length} changed, ${diff.archived.length} archived, ${diff.unchanged.length} unchanged`,
        }),
      ]);
      await tx.importRun.create({
        data: {
          groupId, fileName: a.file, sha256: a.sha256, layout: a.layout.name, at: now,
          created: diff.created.length, updated: diff.updated.length, unchanged: diff.unchanged.length, archived: diff.archived.length,
          warningsJson: JSON.stringify(plan.warnings),
        },
      });
      a.onProgress?.('write', total, total);
    },
    // Large plans take a while to write; Prisma's 5 s default would abort a 100k-row import half-way (it rolls back, but fails).
    { timeout: 15 * 60_000, maxWait: 60_000 },
  );
}
