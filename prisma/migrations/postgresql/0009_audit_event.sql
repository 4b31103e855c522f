-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "groupId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "personId" TEXT,
    "actorName" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "actionId" TEXT,
    "actionRef" TEXT,
    "subjectPersonId" TEXT,
    "subjectName" TEXT,
    "fromValue" TEXT,
    "toValue" TEXT,
    "summary" TEXT NOT NULL DEFAULT '',
    "statusUpdateId" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_statusUpdateId_key" ON "AuditEvent"("statusUpdateId");

-- CreateIndex
CREATE INDEX "AuditEvent_workspaceId_at_idx" ON "AuditEvent"("workspaceId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_groupId_at_idx" ON "AuditEvent"("groupId", "at");


-- The history the tables already hold, so the audit starts complete: every status update (its
-- detail stays in StatusUpdate), every report version and publication, every archived action.
INSERT INTO "AuditEvent" ("id", "workspaceId", "groupId", "at", "kind", "personId", "actorName", "channel", "actionId", "actionRef", "subjectPersonId", "subjectName", "fromValue", "toValue", "summary", "statusUpdateId")
SELECT 'au' || s."id", g."workspaceId", a."groupId", s."at", CASE s."kind" WHEN 'update' THEN 'status' WHEN 'import' THEN 'import-change' ELSE s."kind" END,
       s."personId", s."actorName", s."channel", a."id", a."ref", NULL, NULL, s."fromBrag", s."toBrag", '', s."id"
FROM "StatusUpdate" s JOIN "Action" a ON a."id" = s."actionId" JOIN "Group" g ON g."id" = a."groupId";
INSERT INTO "AuditEvent" ("id", "workspaceId", "groupId", "at", "kind", "personId", "actorName", "channel", "actionId", "actionRef", "subjectPersonId", "subjectName", "fromValue", "toValue", "summary", "statusUpdateId")
SELECT 'ag' || r."id", g."workspaceId", r."groupId", r."requestedAt", 'report-generated', NULL, r."requestedBy", 'system', NULL, NULL, NULL, NULL, NULL, r."meetingDate",
       'Highlight report for ' || r."meetingDate" || ' generated (version ' || r."version" || ')', NULL
FROM "HighlightReport" r JOIN "Group" g ON g."id" = r."groupId";
INSERT INTO "AuditEvent" ("id", "workspaceId", "groupId", "at", "kind", "personId", "actorName", "channel", "actionId", "actionRef", "subjectPersonId", "subjectName", "fromValue", "toValue", "summary", "statusUpdateId")
SELECT 'ap' || r."id", g."workspaceId", r."groupId", r."publishedAt", 'report-published', NULL, COALESCE(r."publishedBy", ''), 'system', NULL, NULL, NULL, NULL, 'draft', 'published',
       'Highlight report for ' || r."meetingDate" || ' published (version ' || r."version" || ')', NULL
FROM "HighlightReport" r JOIN "Group" g ON g."id" = r."groupId" WHERE r."publishedAt" IS NOT NULL;
INSERT INTO "AuditEvent" ("id", "workspaceId", "groupId", "at", "kind", "personId", "actorName", "channel", "actionId", "actionRef", "subjectPersonId", "subjectName", "fromValue", "toValue", "summary", "statusUpdateId")
SELECT 'aa' || a."id", g."workspaceId", a."groupId", a."archivedAt", 'archived', NULL, 'import', 'import', a."id", a."ref", NULL, NULL, NULL, NULL,
       'No longer in the imported plan: archived (history kept)', NULL
FROM "Action" a JOIN "Group" g ON g."id" = a."groupId" WHERE a."archivedAt" IS NOT NULL;

-- Append-only: no row is ever changed or removed, nor the table emptied (issue 10 pt 10).
CREATE FUNCTION "AuditEvent_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER "AuditEvent_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION "AuditEvent_append_only"();
