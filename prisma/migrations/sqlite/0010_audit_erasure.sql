-- Erasure (issue 18 pt 4) against the append-only audit: an audit row may be changed in exactly one
-- way — an erased person's name replaced by their pseudonym ("Former officer N") in the name,
-- value and summary columns. Every other column must stay as it was, and a changed name column
-- must now read "Former officer …": any other update is still refused, and deletes always are.
DROP TRIGGER "AuditEvent_no_update";
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
WHEN NOT (
  NEW."id" IS OLD."id" AND NEW."workspaceId" IS OLD."workspaceId" AND NEW."groupId" IS OLD."groupId" AND NEW."at" IS OLD."at"
  AND NEW."kind" IS OLD."kind" AND NEW."personId" IS OLD."personId" AND NEW."channel" IS OLD."channel" AND NEW."actionId" IS OLD."actionId"
  AND NEW."actionRef" IS OLD."actionRef" AND NEW."subjectPersonId" IS OLD."subjectPersonId" AND NEW."statusUpdateId" IS OLD."statusUpdateId"
  AND (NEW."actorName" IS OLD."actorName" OR NEW."actorName" LIKE '%Former officer %')
  AND (NEW."subjectName" IS OLD."subjectName" OR NEW."subjectName" LIKE '%Former officer %')
  AND (NEW."fromValue" IS OLD."fromValue" OR NEW."fromValue" LIKE '%Former officer %')
  AND (NEW."toValue" IS OLD."toValue" OR NEW."toValue" LIKE '%Former officer %')
  AND (NEW."summary" IS OLD."summary" OR NEW."summary" LIKE '%Former officer %')
)
BEGIN SELECT RAISE(ABORT, 'AuditEvent is append-only: an audit row is never updated (only an erased person''s name may become their pseudonym)'); END;
